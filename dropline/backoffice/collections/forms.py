"""Forms for the collections list: its filters, and the reason for a suspension or a
restoration. They only parse; ``dropline.payments`` and ``dropline.subscriptions`` decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.customers.numbering import normalize_account_number
from dropline.payments.collections import CollectionFilters
from dropline.payments.models import DunningStepKind


class CollectionFilterForm(StaffForm):
    account = forms.CharField(label=_("Account number"), required=False, max_length=40)
    step = forms.ChoiceField(
        label=_("Step reached"),
        required=False,
        choices=[("", _("Any")), ("none", _("None yet")), *DunningStepKind.choices],
    )
    min_days = forms.IntegerField(
        label=_("At least this many days past due"), required=False, min_value=0, max_value=3650
    )
    autopay = forms.ChoiceField(
        label=_("Autopay"),
        required=False,
        choices=[("", _("Either")), ("yes", _("On")), ("no", _("Off"))],
    )

    def filters(self) -> CollectionFilters:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        number = data.get("account") or ""
        return CollectionFilters(
            step=data.get("step") or "",
            min_days=data.get("min_days") or 0,
            autopay=data.get("autopay") or "",
            account_number=(normalize_account_number(number) or "-") if number else "",
        )


class SuspensionForm(StaffForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Kept in the account's history."),
    )
