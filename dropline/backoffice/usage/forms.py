"""The staff form for a goodwill credit of data. It parses what staff type (GB with up
to three decimals becomes exact bytes through ``Decimal``, never a float);
``dropline.usage.adjustments`` decides."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.usage.adjustments import REASON_MAX
from dropline.usage.models import GB

# "12", "12.5", "0.125", "1,200": digits, optional thousands commas, at most 3 decimals.
_GIGABYTES = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,3})?$")


def gigabytes_to_bytes(text: str) -> int:
    """What staff typed in GB, as exact bytes (a GB is 10**9 bytes)."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.lower().endswith("gb"):
        cleaned = cleaned[:-2]
    if not _GIGABYTES.match(cleaned):
        raise ValidationError(_("Enter the data in GB with at most 3 decimals, such as 12.5."))
    return int(Decimal(cleaned.replace(",", "")) * GB)


class CreditForm(StaffForm):
    """A goodwill credit of data for one service's cycle."""

    # The domain's names for the inputs, and the form fields that show their errors.
    DOMAIN_FIELDS = {
        "subscription_id": "cycle",
        "cycle_start": "cycle",
        "credited_bytes": "gigabytes",
        "reason": "reason",
    }

    cycle = forms.ChoiceField(
        label=_("Service and bill cycle"),
        error_messages={"required": _("Choose the service and the bill cycle.")},
    )
    gigabytes = forms.CharField(
        label=_("Data to credit (GB)"),
        max_length=20,
        help_text=_("Such as 50 or 12.5; at most 3 decimals. It lowers the data billed."),
        error_messages={"required": _("Enter the data to credit.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text=_("Why, for the account's history. Only staff see it."),
        error_messages={"required": _("Say why, for the account's history.")},
    )

    def __init__(self, *args: Any, cycles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cycle = self.fields["cycle"]
        assert isinstance(cycle, forms.ChoiceField)
        cycle.choices = [("", _("Choose…")), *cycles]
        self.fields["gigabytes"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off"}
        )

    def clean_gigabytes(self) -> int:
        return gigabytes_to_bytes(self.cleaned_data["gigabytes"])

    def target(self) -> tuple[int, dt.date]:
        """The chosen (subscription id, cycle start)."""
        subscription_id, start = self.cleaned_data["cycle"].split(":")
        return int(subscription_id), dt.date.fromisoformat(start)


def cycle_choice(subscription_id: int, start: dt.date) -> str:
    return f"{subscription_id}:{start.isoformat()}"
