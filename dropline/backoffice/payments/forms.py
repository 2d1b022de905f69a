"""Forms for the staff payment pages: the search's filters and a refund. They parse
what staff type (dollars become exact cents); ``dropline.payments`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.billing.forms import DateInput, DollarsField
from dropline.backoffice.common import StaffForm
from dropline.payments.models import PaymentStatus
from dropline.payments.search import PaymentFilters


class PaymentSearchForm(StaffForm):
    """The payment search's filters; every one optional, all combined."""

    confirmation = forms.CharField(label=_("Confirmation number"), max_length=20, required=False)
    account = forms.CharField(label=_("Account number"), max_length=40, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *PaymentStatus.choices]
    )
    made_from = forms.DateField(label=_("Made on or after"), required=False, widget=DateInput())
    made_to = forms.DateField(label=_("Made on or before"), required=False, widget=DateInput())
    amount = DollarsField(label=_("Amount"), required=False)

    def filters(self) -> PaymentFilters:
        """The valid filters (an invalid one is dropped and shown); none when unbound."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return PaymentFilters(
            confirmation=str(data.get("confirmation") or "").strip(),
            account=str(data.get("account") or "").strip(),
            status=str(data.get("status") or ""),
            made_from=data.get("made_from"),
            made_to=data.get("made_to"),
            amount_cents=data.get("amount"),
        )


class RefundForm(StaffForm):
    """Money given back on a payment: all of what is left, or part of it, with a reason."""

    amount = DollarsField(
        label=_("Amount to refund"),
        help_text=_("In dollars, such as 12.50; at most what is left to refund."),
        error_messages={"required": _("Enter the amount.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=255,
        help_text=_("Why, for the account's history. Only staff see it."),
        error_messages={"required": _("Say why, for the account's history.")},
    )
    idempotency_key = forms.CharField(max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, left_cents: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.left_cents = left_cents

    def clean_amount(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Enter an amount more than zero."))
        if amount is not None and amount > self.left_cents:
            raise forms.ValidationError(_("That is more than is left to refund on this payment."))
        return amount
