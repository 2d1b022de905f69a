"""Input for a payment extension: a date; ``payments.extensions`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ExtensionForm(forms.Form):
    until = forms.DateField(
        label=_("Pay by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date such as 2026-02-09.")},
    )
