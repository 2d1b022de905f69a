"""Forms for the back-office notification pages (message log, SMS inbox, template
preview): they parse input, the domain decides."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.backoffice.words import message_event
from dropline.notifications.categories import Category, Channel
from dropline.notifications.models import MessageStatus
from dropline.notifications.queries import MessageLogFilters


class MessageFilterForm(StaffForm):
    """The message log's filters; every one optional, all combined."""

    account = forms.CharField(label=_("Account number"), max_length=40, required=False)
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=254,
        required=False,
        help_text=_("Email address, mobile number or username"),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *MessageStatus.choices]
    )
    created = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("24h", _("In the last 24 hours")),
            ("7d", _("In the last 7 days")),
        ],
    )

    def filters(self) -> MessageLogFilters:
        """The valid filters (an invalid one is dropped); none for an unbound form."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return MessageLogFilters(**{name: str(data.get(name) or "") for name in self.base_fields})


class SmsFilterForm(StaffForm):
    to = forms.CharField(label=_("Mobile number"), max_length=40, required=False)


def event_names() -> list[str]:
    """The events that have message templates: the folders under
    ``notifications/templates/notifications/``."""
    root = Path(apps.get_app_config("notifications").path) / "templates" / "notifications"
    return sorted(path.name for path in root.iterdir() if path.is_dir())


def _event_choices() -> list[tuple[str, str]]:
    return [(name, message_event(name)) for name in event_names()]


class TemplatePreviewForm(StaffForm):
    event = forms.ChoiceField(label=_("Event"), choices=_event_choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def language_label(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.cleaned_data.get("language", ""), ""))
