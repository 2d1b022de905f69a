"""The form for a new catalogue price. It parses what staff type (dollars become exact
cents, never a float); ``dropline.catalog.price_schedule`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.billing.forms import DateInput, DollarsField
from dropline.backoffice.common import StaffForm


class SchedulePriceForm(StaffForm):
    # The domain's names for the inputs, and the form fields that show their errors.
    DOMAIN_FIELDS = {
        "effective_on": "effective_on",
        "monthly_price_cents": "price",
        "reason": "reason",
        "applies_to_subscribers": "applies_to_subscribers",
    }

    effective_on = forms.DateField(
        label=_("Effective from"),
        widget=DateInput(),
        help_text=_("New orders pay the new price from this day."),
        error_messages={"required": _("Choose the first day of the new price.")},
    )
    price = DollarsField(
        label=_("New monthly price"),
        help_text=_("In dollars, such as 65.00."),
        error_messages={"required": _("Enter the new monthly price.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Why the price changes. Subscribers see it with their new price."),
        error_messages={"required": _("Say why the price changes.")},
    )
    applies_to_subscribers = forms.BooleanField(
        label=_("Existing subscribers pay it too"),
        required=False,
        help_text=_(
            "Every current service on the plan gets the new price from that day, and its "
            "people are told now. The day must be at least 30 days away."
        ),
    )

    def __init__(self, *args: Any, can_apply: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_apply:
            del self.fields["applies_to_subscribers"]
