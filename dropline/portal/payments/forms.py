"""The pay form: how much (the amount due, the full balance or another amount), when
(now, or a day up to the due date) and with which saved method. It only parses (an
amount in dollars becomes exact cents through ``Decimal``); ``dropline.payments``
decides whether it may be paid."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AMOUNT_DUE = "due"
BALANCE = "balance"
OTHER = "other"
NOW = "now"
LATER = "later"

# "12", "12.5", "12.50", "1,234.50", "$12.50"; nothing else (no minus, no exponent).
_DOLLARS = re.compile(r"^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d{0,2})?$")


def dollars_to_cents(text: str) -> int:
    """What the customer typed as an amount in dollars, as exact integer cents."""
    cleaned = text.strip().replace(" ", "")
    if not _DOLLARS.match(cleaned):
        raise ValidationError(_("Enter an amount in dollars and cents, such as 25.50."))
    try:
        amount = Decimal(cleaned.lstrip("$").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern lets only digits through
        raise ValidationError(_("Enter an amount in dollars and cents, such as 25.50.")) from None
    return int(amount * 100)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class PayForm(forms.Form):
    amount_choice = forms.ChoiceField(label=_("How much"), widget=forms.RadioSelect)
    other_amount = forms.CharField(
        label=_("Other amount"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Now")), (LATER, _("On a later day"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    pay_on = forms.DateField(label=_("Pay on"), required=False, widget=DateInput())
    method = forms.TypedChoiceField(label=_("Pay with"), coerce=int, widget=forms.RadioSelect)
    idempotency_key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    # The amounts the page offered, so a repeat of the form asks for the same amount.
    due_cents = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    balance_cents = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        amounts: list[tuple[str, str]],
        methods: list[tuple[int, str]],
        last_day: dt.date | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        amount_field = self.fields["amount_choice"]
        assert isinstance(amount_field, forms.ChoiceField)
        amount_field.choices = amounts
        method_field = self.fields["method"]
        assert isinstance(method_field, forms.TypedChoiceField)
        method_field.choices = methods
        self.last_day = last_day
        if last_day is None:
            when = self.fields["when"]
            assert isinstance(when, forms.ChoiceField)
            when.choices = [(NOW, _("Now"))]
        else:
            self.fields["pay_on"].widget.attrs["max"] = last_day.isoformat()

    def clean_other_amount(self) -> int | None:
        text = self.cleaned_data.get("other_amount") or ""
        if self.data.get("amount_choice") != OTHER:
            return None
        if not text.strip():
            raise ValidationError(_("Enter the amount you want to pay."))
        return dollars_to_cents(text)

    def amount_cents(self) -> int:
        """The amount chosen, in cents (after ``is_valid``)."""
        data = self.cleaned_data
        if data["amount_choice"] == OTHER:
            return int(data["other_amount"])
        offered = (
            data["due_cents"] if data["amount_choice"] == AMOUNT_DUE else data["balance_cents"]
        )
        return int(offered or 0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == LATER and not data.get("pay_on"):
            self.add_error("pay_on", _("Choose the day to pay on."))
        return data
