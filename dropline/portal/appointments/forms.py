"""Forms for the appointment pages: they parse input, the field domain decides (a window
that filled up meanwhile is refused by ``field.booking``, which offers the nearest open
ones). The arrival windows are radio buttons grouped by day, drawn by the template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.field.models import VisitReason

DETAILS_MAX_LENGTH = 2000


def _window_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Arrival window"),
        min_value=1,
        error_messages={
            "required": _("Choose an arrival window."),
            "invalid": _("Choose an arrival window."),
            "min_value": _("Choose an arrival window."),
        },
    )


class BookForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is the visit for?"),
        choices=VisitReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the visit is for."),
            "invalid_choice": _("Choose what the visit is for."),
        },
    )
    window_id = _window_field()
    details = forms.CharField(
        label=_("Anything the technician should know (optional)"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, what is not working, or how to find your door."),
    )
    run = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RescheduleForm(forms.Form):
    window_id = _window_field()
