"""The true-up: the period billed before, re-rated from today's history, per item."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from dropline.billing.history import (
    AccountHistory,
    PreviousLine,
)
from dropline.billing.lines import RatedLine
from dropline.billing.rating.segments import (
    PRORATION,
    Item,
    Segment,
    segment_amount,
)
from dropline.billing.rating.services import monthly_segments
from dropline.customers.cycles import Cycle


def true_up_period(history: AccountHistory, cycle: Cycle) -> Cycle | None:
    """The period billed before ``cycle`` that the bill for ``cycle`` trues up: the
    latest invoice's period; before the first invoice, the cycle before when the
    account opened during it; None otherwise."""
    if history.previous_period is not None:
        start, end = history.previous_period
        return Cycle(start=start, end=end) if end < cycle.start else None
    before = cycle.previous()
    return before if before.start <= history.opened_on <= before.end else None


def _differing_days(
    expected: Sequence[Segment], billed: Sequence[PreviousLine], period: Cycle
) -> list[dt.date]:
    """The days whose monthly price now differs from what the billed lines charged.

    A billed partial line's monthly price is recovered from its amount, so it is only
    known within the rounding of that amount: a day differs when the gap is larger."""
    now: dict[dt.date, Fraction] = defaultdict(Fraction)
    then: dict[dt.date, Fraction] = defaultdict(Fraction)
    slack: dict[dt.date, Fraction] = defaultdict(Fraction)
    for segment in expected:
        for offset in range(segment.days):
            now[segment.start + dt.timedelta(days=offset)] += segment.monthly_cents
    for line in billed:
        assert line.period_start is not None
        assert line.period_end is not None
        days = (line.period_end - line.period_start).days + 1
        monthly = Fraction(line.amount_cents * period.days, days)
        for offset in range(days):
            day = line.period_start + dt.timedelta(days=offset)
            then[day] += monthly
            slack[day] += Fraction(period.days, 2 * days)
    return sorted(day for day in set(now) | set(then) if abs(now[day] - then[day]) > slack[day])


def true_up_lines(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    period = true_up_period(history, cycle)
    if period is None:
        return []
    billed_by_item: dict[str, list[PreviousLine]] = defaultdict(list)
    for line in history.previous_lines:
        if (
            line.period_start is not None
            and line.period_end is not None
            and period.start <= line.period_start
            and line.period_end <= period.end
        ):
            billed_by_item[line.item_key].append(line)
    expected_by_item: dict[str, list[Segment]] = defaultdict(list)
    items: dict[str, Item] = {}
    for segment in monthly_segments(history, period):
        expected_by_item[segment.item.key].append(segment)
        items.setdefault(segment.item.key, segment.item)
    for key, lines in billed_by_item.items():
        if key not in items:
            first = lines[0]
            items[key] = Item(
                key=key,
                kind=first.kind,
                category=first.category,
                group_key=first.group_key,
                label=first.label,
                label_es=first.label_es,
            )

    result = []
    for key, item in items.items():
        expected = expected_by_item[key]
        billed = billed_by_item[key]
        difference = sum(segment_amount(segment, period) for segment in expected) - sum(
            line.amount_cents for line in billed
        )
        if difference == 0:
            continue
        days = _differing_days(expected, billed, period)
        if not days:
            continue  # only the rounding of a split differs, not a price or a day
        taxable = all(line.taxable for line in billed) if billed else True
        result.append(
            RatedLine(
                kind=PRORATION,
                category=item.category,
                item_key=key,
                group_key=item.group_key,
                label=item.label,
                label_es=item.label_es,
                period_start=days[0],
                period_end=days[-1],
                quantity=1,
                amount_cents=difference,
                taxable=taxable,
            )
        )
    return result
