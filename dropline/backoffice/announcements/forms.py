"""Forms for the back-office announcement pages: they parse input, the domain decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.customers.models import ServiceArea
from dropline.notifications.models import AnnouncementKind

TITLE_MAX_LENGTH = 120


class ProviderDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read as the provider's local time (``TIME_ZONE``),
    so the same form means the same moment whoever fills it in."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(settings.TIME_ZONE):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        with timezone.override(settings.TIME_ZONE):
            return super().prepare_value(value)


class AnnouncementForm(StaffForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=ServiceArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service area.")},
    )
    starts_at = ProviderDateTimeField(label=_("Starts"))
    ends_at = ProviderDateTimeField(label=_("Ends"))
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
    body_en = forms.CharField(
        label=_("Notice in English"), widget=forms.Textarea(attrs={"rows": 4, "lang": "en"})
    )
    body_es = forms.CharField(
        label=_("Notice in Spanish"), widget=forms.Textarea(attrs={"rows": 4, "lang": "es"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class ResolveForm(StaffForm):
    resolution_en = forms.CharField(
        label=_("Resolved notice in English"),
        widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}),
    )
    resolution_es = forms.CharField(
        label=_("Resolved notice in Spanish"),
        widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}),
    )
