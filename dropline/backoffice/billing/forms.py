"""Forms for the staff billing pages. They parse what staff type (an amount in dollars
becomes exact cents through ``Decimal``, never a float); ``dropline.billing`` decides."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.billing.adjustments import MAX_ADJUSTMENT_CENTS
from dropline.billing.models import AdjustmentKind, BillRunStatus, ChargeCategory, InvoiceStatus
from dropline.billing.search import InvoiceFilters

# "12", "12.5", "12.50", "1,234.50", "$12.50": digits, optional thousands commas, at
# most two decimals. Anything else (a minus sign, an exponent, three decimals) is refused.
_DOLLARS = re.compile(r"^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$")


def dollars_to_cents(text: str) -> int:
    """What staff typed as an amount in dollars, as exact integer cents."""
    cleaned = text.strip().replace(" ", "")
    if not _DOLLARS.match(cleaned):
        raise ValidationError(_("Enter an amount in dollars and cents, such as 12.50."))
    digits = cleaned.lstrip("$").replace(",", "")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise ValidationError(_("Enter an amount in dollars and cents, such as 12.50.")) from None
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValidationError(_("Enter the amount with at most 2 decimals (cents)."))
    return int(cents)


class DollarsField(forms.CharField):
    """An amount in dollars ("12.50"), cleaned to integer cents."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        return dollars_to_cents(text)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class InvoiceSearchForm(StaffForm):
    """The invoice search's filters; every one optional, all combined."""

    number = forms.CharField(label=_("Invoice number"), max_length=20, required=False)
    account = forms.CharField(label=_("Account number"), max_length=40, required=False)
    period_from = forms.DateField(
        label=_("Bill cycle starts on or after"), required=False, widget=DateInput()
    )
    period_to = forms.DateField(
        label=_("Bill cycle starts on or before"), required=False, widget=DateInput()
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *InvoiceStatus.choices]
    )

    def filters(self) -> InvoiceFilters:
        """The valid filters (an invalid one is dropped and shown); none when unbound."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return InvoiceFilters(
            number=str(data.get("number") or "").strip(),
            account=str(data.get("account") or "").strip(),
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            status=str(data.get("status") or ""),
        )


class AdjustmentForm(StaffForm):
    """A one-time charge or a credit for the account's next bill."""

    # The domain's names for the inputs, and the form fields that show their errors.
    DOMAIN_FIELDS = {
        "kind": "kind",
        "category": "category",
        "amount_cents": "amount",
        "description": "description",
        "reason": "reason",
        "occurred_on": "occurred_on",
    }

    kind = forms.ChoiceField(
        label=_("Kind"), choices=AdjustmentKind.choices, widget=forms.RadioSelect
    )
    amount = DollarsField(
        label=_("Amount"),
        help_text=_("In dollars, such as 12.50. Always positive: the kind says which way."),
        error_messages={"required": _("Enter the amount.")},
    )
    category = forms.ChoiceField(
        label=_("For"), choices=ChargeCategory.choices, initial=ChargeCategory.FEES
    )
    description = forms.CharField(
        label=_("Words on the bill"),
        max_length=120,
        help_text=_("The customer sees this on their next bill."),
        error_messages={"required": _("Enter the words the customer will see.")},
    )
    description_es = forms.CharField(
        label=_("Words on the bill in Spanish"),
        max_length=120,
        required=False,
        help_text=_("For customers who read their bills in Spanish; optional."),
    )
    taxable = forms.BooleanField(label=_("Taxable"), required=False)
    occurred_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
        help_text=_("When it happened; today if left empty."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Why, for the account's history. Only staff see it."),
        error_messages={"required": _("Say why, for the account's history.")},
    )

    def clean_amount(self) -> int | None:
        cents: int | None = self.cleaned_data.get("amount")
        if cents is not None and cents <= 0:
            raise ValidationError(_("Enter an amount greater than zero."))
        if cents is not None and cents > MAX_ADJUSTMENT_CENTS:
            raise ValidationError(_("Enter an amount of $10,000.00 or less."))
        return cents


class VoidInvoiceForm(StaffForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Why the invoice is wrong, for the account's history."),
        error_messages={"required": _("Say why the invoice is being voided.")},
    )
    reissue = forms.BooleanField(
        label=_("Bill the cycle again as a new invoice"), required=False, initial=True
    )


class StartBillRunForm(StaffForm):
    run_on = forms.DateField(
        label=_("Bill cycle start date"),
        widget=DateInput(),
        help_text=_("Every account whose bill cycle starts on this day is billed."),
        error_messages={"required": _("Choose the day whose bill cycles to bill.")},
    )


class BillRunFilterForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *BillRunStatus.choices]
    )


class TaxRateForm(StaffForm):
    """A new rate for one tax or fee, from a date: a percentage or an amount per line,
    whichever the tax is."""

    DOMAIN_FIELDS = {
        "percent": "percent",
        "amount_cents": "amount",
        "effective_from": "effective_from",
        "code": "effective_from",
    }

    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput(),
        help_text=_("The first bill cycle starting on or after this day uses the new rate."),
        error_messages={"required": _("Choose the first day of the new rate.")},
    )
    percent = forms.DecimalField(
        label=_("Rate (percent)"),
        max_digits=7,
        decimal_places=4,
        required=False,
        help_text=_("Such as 6 or 2.5."),
    )
    amount = DollarsField(
        label=_("Amount per line"), required=False, help_text=_("In dollars, such as 1.00.")
    )

    def __init__(self, *args: Any, percent_kind: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.percent_kind = percent_kind
        del self.fields["amount" if percent_kind else "percent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = "percent" if self.percent_kind else "amount"
        if name not in self.errors and data.get(name) is None:
            self.add_error(
                name,
                _("Enter the new rate.") if self.percent_kind else _("Enter the new amount."),
            )
        return data
