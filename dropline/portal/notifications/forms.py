"""Input for the notification settings: parsed here, acted on by dropline.notifications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dropline.notifications.categories import ESSENTIAL, Category, Channel
from dropline.notifications.preferences import quiet_hours_time_zones

# "<category> by <channel>", phrased per channel so each reads (and translates) naturally.
_CHECKBOX_LABELS: dict[str, Promise] = {
    Channel.EMAIL: _("{category} by email"),
    Channel.SMS: _("{category} by text message"),
    Channel.IN_APP: _("{category} in the portal"),
    Channel.PUSH: _("{category} by push notification"),
}


def preference_field(category: str, channel: str) -> str:
    return f"{category}__{channel}"


def checkbox_label(category: str, channel: str) -> str:
    return str(format_lazy(_CHECKBOX_LABELS[channel], category=Category(category).label))


class PreferencesForm(forms.Form):
    """One checkbox per category and channel; security ones are shown on and cannot change."""

    def __init__(self, *args: Any, grid: dict[str, dict[str, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in Category.values:
            for channel in Channel.values:
                self.fields[preference_field(category, channel)] = forms.BooleanField(
                    label=checkbox_label(category, channel),
                    required=False,
                    initial=True if category in ESSENTIAL else grid[category][channel],
                    # A disabled field ignores what is posted and keeps its initial value.
                    disabled=category in ESSENTIAL,
                )

    def chosen_grid(self) -> dict[str, dict[str, bool]]:
        """What was ticked: an unticked box is off. Security is left out: it cannot change."""
        return {
            category: {
                channel: bool(self.cleaned_data[preference_field(category, channel)])
                for channel in Channel.values
            }
            for category in Category.values
            if category not in ESSENTIAL
        }


class QuietHoursForm(forms.Form):
    starts = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=_("Until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args: Any, current_zone: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = quiet_hours_time_zones(current=current_zone)
        zone_field.initial = current_zone or settings.TIME_ZONE

    @property
    def turns_off(self) -> bool:
        return self.cleaned_data.get("starts") is None
