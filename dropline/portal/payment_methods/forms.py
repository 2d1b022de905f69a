"""Input for the saved-methods pages. The forms only parse; ``dropline.payments``
decides (and the simulator's own checks say what is wrong with a number)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.payments.models import MethodKind

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class TokenForm(forms.Form):
    """What a gateway's collecting element posts back: the token it made."""

    token = forms.CharField(max_length=128)
    make_default = forms.BooleanField(required=False)


def _digits(label: str | _StrPromise, *, autocomplete: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": autocomplete, "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class SimulatorMethodForm(forms.Form):
    """The simulator's own card or bank form. The numbers go to the simulator's
    tokeniser and nowhere else: the page is never shown again with them filled in."""

    kind = forms.ChoiceField(
        label=_("Type"),
        choices=MethodKind.choices,
        initial=MethodKind.CARD,
        widget=forms.RadioSelect,
    )
    holder_name = forms.CharField(
        label=_("Name on the card or account"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    number = _digits(_("Card number"), autocomplete="cc-number", max_length=23)
    exp_month = forms.IntegerField(
        label=_("Expiry month"),
        required=False,
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-month"}),
    )
    exp_year = forms.IntegerField(
        label=_("Expiry year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-year"}),
    )
    cvc = _digits(_("Security code"), autocomplete="cc-csc", max_length=4)
    routing_number = _digits(_("Routing number"), autocomplete="off", max_length=9)
    account_number = _digits(_("Account number"), autocomplete="off", max_length=17)
    make_default = forms.BooleanField(label=_("Make this my default method"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == MethodKind.CARD:
            wanted = ["number", "exp_month", "exp_year", "cvc"]
        else:
            wanted = ["routing_number", "account_number"]
        for name in wanted:
            if data.get(name) in (None, ""):
                self.add_error(name, _("Enter this to add the method."))
        return data

    def forget_numbers(self) -> None:
        """Blank every number before the form is shown again."""
        if self.is_bound:
            data = dict(self.data.items())
            for name in ("number", "cvc", "account_number"):
                data[name] = ""
            self.data = data
