"""Forms for a technician's own visits: they parse input, ``field.own_visits`` decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm

# How far from today the list goes, either way.
DAYS_EITHER_SIDE = 7
# What "On my way" offers as minutes to arrival (the domain takes 5 to 240).
ETA_CHOICES = (5, 10, 15, 20, 30, 45, 60, 90, 120)


class DayForm(StaffForm):
    """Which day the list shows (GET ``?day=``): within a week of today."""

    day = forms.DateField(label=_("Day"), required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_day(self) -> dt.date:
        day: dt.date | None = self.cleaned_data.get("day")
        if day is None:
            return self.today
        if abs((day - self.today).days) > DAYS_EITHER_SIDE:
            raise forms.ValidationError(
                _("Choose a day within a week of today."), code="out_of_range"
            )
        return day


class StepForm(StaffForm):
    """One step on one visit (POST): the domain checks the step and the minutes."""

    step = forms.CharField(required=False, max_length=20)
    eta_minutes = forms.IntegerField(
        label=_("Minutes to arrival"), required=False, widget=forms.Select, initial=20
    )
    day = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded here, in the page's language: a lazy text formatted at import is English.
        self.fields["eta_minutes"].widget.choices = [
            (minutes, gettext("%(minutes)d minutes") % {"minutes": minutes})
            for minutes in ETA_CHOICES
        ]
