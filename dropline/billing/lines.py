"""The shape of a priced line, before it is written to an invoice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RatedLine:
    """One line of a bill as rating prices it: the fields of ``InvoiceLine`` without the
    invoice and the position (the order of the list is the position)."""

    kind: str
    category: str
    item_key: str
    group_key: str
    label: str
    label_es: str
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: int
    amount_cents: int
    taxable: bool
    jurisdiction_code: str = ""
    percent: Decimal | None = None


def prorate(monthly_cents: int, days: int, period_days: int) -> int:
    """``monthly_cents * days / period_days`` rounded half-up (away from zero), exactly,
    in integers: $7.00 for 10 days of 28 is 250 cents, never 249."""
    if period_days <= 0:
        raise ValueError("a period has at least one day")
    quotient, remainder = divmod(abs(monthly_cents) * days, period_days)
    if 2 * remainder >= period_days:
        quotient += 1
    return quotient if monthly_cents >= 0 else -quotient
