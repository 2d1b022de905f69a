"""The pieces rating is made of: an item billed by the month and its days at one
price (a segment), and what a segment comes to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dropline.billing.lines import RatedLine, prorate
from dropline.billing.models import AdjustmentKind, ChargeCategory, LineKind
from dropline.customers.cycles import Cycle

ONE_DAY = dt.timedelta(days=1)
# Plain strings, looked up once: rating runs for every account of a bill run.
RECURRING = LineKind.RECURRING.value
DISCOUNT = LineKind.DISCOUNT.value
PRORATION = LineKind.PRORATION.value
ONE_TIME = LineKind.ONE_TIME.value
CREDIT = LineKind.CREDIT.value
CREDIT_ADJUSTMENT = AdjustmentKind.CREDIT.value
MOBILE = ChargeCategory.MOBILE.value
PHONE = ChargeCategory.PHONE.value
# A bundle's or an account discount's line is across services, not one of them: it is
# booked as "other".
ACCOUNT_CATEGORY = ChargeCategory.OTHER.value


@dataclass(frozen=True, slots=True)
class Item:
    """Something billed by the month: a service, its promotion, an add-on, a rental."""

    key: str
    kind: str
    category: str
    group_key: str
    label: str
    label_es: str


@dataclass(frozen=True, slots=True)
class Segment:
    """Days of an item at one monthly price (negative for a discount)."""

    item: Item
    start: dt.date
    end: dt.date
    monthly_cents: int
    # The amount, when it is not the monthly price prorated (a bundle's discount held
    # to what its services cost in the period).
    fixed_cents: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def clip(
    start: dt.date, end: dt.date | None, within: tuple[dt.date, dt.date] | None
) -> tuple[dt.date, dt.date] | None:
    if within is None:
        return None
    first = max(start, within[0])
    last = within[1] if end is None else min(end, within[1])
    return (first, last) if first <= last else None


def segment_amount(segment: Segment, period: Cycle) -> int:
    if segment.fixed_cents is not None:
        return segment.fixed_cents
    if segment.start == period.start and segment.end == period.end:
        return segment.monthly_cents
    return prorate(segment.monthly_cents, segment.days, period.days)


def in_advance(segments: Sequence[Segment], cycle: Cycle) -> list[RatedLine]:
    return [
        RatedLine(
            kind=segment.item.kind,
            category=segment.item.category,
            item_key=segment.item.key,
            group_key=segment.item.group_key,
            label=segment.item.label,
            label_es=segment.item.label_es,
            period_start=segment.start,
            period_end=segment.end,
            quantity=1,
            amount_cents=segment_amount(segment, cycle),
            taxable=True,
        )
        for segment in segments
    ]
