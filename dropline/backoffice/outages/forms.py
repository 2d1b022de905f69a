"""Forms for the back-office outage pages: they parse input, the domain decides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.announcements.forms import TITLE_MAX_LENGTH, ProviderDateTimeField
from dropline.backoffice.common import StaffForm
from dropline.catalog.models import ServiceKind
from dropline.customers.models import ServiceArea
from dropline.network.models import OutageKind, OutageStatus
from dropline.network.outages.declaring import UPDATE_STATUSES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _text(
    label: str | _StrPromise, language: str, *, rows: int = 3, required: bool = False
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "lang": language}),
    )


class DeclareForm(StaffForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutageKind.choices)
    areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=ServiceArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service area.")},
    )
    service_kinds = forms.MultipleChoiceField(
        label=_("Services affected"),
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every service."),
    )
    starts_at = ProviderDateTimeField(label=_("Starts"))
    eta = ProviderDateTimeField(
        label=_("Expected end"),
        required=False,
        help_text=_("For a maintenance, the end of its window. Leave empty if not known."),
    )
    title_en = forms.CharField(
        label=_("Title in English"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    title_es = forms.CharField(
        label=_("Title in Spanish"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"lang": "es"}),
    )
    cause_en = _text(_("Cause in English (if known)"), "en", rows=2)
    cause_es = _text(_("Cause in Spanish (if known)"), "es", rows=2)
    message_en = _text(_("More for customers in English"), "en")
    message_es = _text(_("More for customers in Spanish"), "es")
    notify = forms.BooleanField(
        label=_("Tell every account in these areas now"),
        required=False,
        initial=True,
    )


class UpdateForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (OutageStatus.SCHEDULED, *UPDATE_STATUSES)],
    )
    eta = ProviderDateTimeField(
        label=_("New expected end"), required=False, help_text=_("Leave empty to keep it.")
    )
    cause_en = _text(_("Cause in English, once found"), "en", rows=2)
    cause_es = _text(_("Cause in Spanish, once found"), "es", rows=2)
    message_en = _text(_("Message in English"), "en")
    message_es = _text(_("Message in Spanish"), "es")
    notify = forms.BooleanField(
        label=_("Tell the people who asked to be told"), required=False, initial=True
    )


class EndForm(StaffForm):
    message_en = _text(_("Message in English"), "en", rows=2)
    message_es = _text(_("Message in Spanish"), "es", rows=2)
