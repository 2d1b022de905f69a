"""Input for confirming a change: the form only carries the preview's fingerprint;
``dropline.orders.placing`` re-checks everything and refuses a preview that changed."""

from __future__ import annotations

from django import forms

FINGERPRINT_MAX_LENGTH = 128


class ConfirmForm(forms.Form):
    fingerprint = forms.CharField(max_length=FINGERPRINT_MAX_LENGTH, widget=forms.HiddenInput)
