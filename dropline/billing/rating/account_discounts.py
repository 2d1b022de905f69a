"""Account discounts (autopay and paperless): for each day a service is billed, held to
what the account's monthly items cost that day after the other discounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from dropline.billing.history import (
    AccountDiscountTerm,
    AccountHistory,
)
from dropline.billing.rating.segments import (
    ACCOUNT_CATEGORY,
    DISCOUNT,
    ONE_DAY,
    RECURRING,
    Item,
    Segment,
    clip,
    segment_amount,
)
from dropline.customers.cycles import Cycle


def account_discount_segments(
    history: AccountHistory, period: Cycle, segments: Sequence[Segment]
) -> list[Segment]:
    """Each account discount for the days of ``period`` it is in force and a service is
    billed, at most what the monthly items cost that day after the other discounts, in
    runs of days at one amount; never more than those items cost over the period."""
    if not history.account_discounts:
        return []
    result: list[Segment] = []
    charged = list(segments)
    after_end = period.end + ONE_DAY
    for term in history.account_discounts:
        days = clip(term.starts_on, term.ends_on, (period.start, period.end))
        if days is None or term.monthly_discount_cents <= 0:
            continue
        changes = {days[0], days[1] + ONE_DAY}
        for segment in charged:
            changes.update((segment.start, segment.end + ONE_DAY))
        edges = sorted(
            day for day in changes if days[0] <= day <= min(days[1] + ONE_DAY, after_end)
        )
        runs: list[tuple[dt.date, dt.date, int]] = []
        for first, following in pairwise(edges):
            net = 0
            served = False
            for segment in charged:
                if segment.start <= first <= segment.end:
                    net += segment.monthly_cents
                    served = served or (
                        segment.item.kind == RECURRING and segment.item.key.startswith("sub:")
                    )
            monthly = min(term.monthly_discount_cents, net) if served else 0
            if monthly <= 0:
                continue
            last_day = following - ONE_DAY
            if runs and runs[-1][2] == monthly and runs[-1][1] + ONE_DAY == first:
                runs[-1] = (runs[-1][0], last_day, monthly)
            else:
                runs.append((first, last_day, monthly))
        item = _account_discount_item(term)
        found = [Segment(item, start, end, -monthly) for start, end, monthly in runs]
        held = _held_to_total(found, charged, period)
        result.extend(held)
        charged.extend(held)
    return result


def _account_discount_item(term: AccountDiscountTerm) -> Item:
    return Item(
        key=term.item_key,
        kind=DISCOUNT,
        category=ACCOUNT_CATEGORY,
        group_key=term.item_key,
        label=term.label,
        label_es=term.label_es,
    )


def _held_to_total(
    discounts: list[Segment], charged: Sequence[Segment], period: Cycle
) -> list[Segment]:
    """``discounts`` given back the cents by which rounding made them exceed what
    ``charged`` comes to over the period (the last runs first)."""
    charges = sum(segment_amount(segment, period) for segment in charged)
    amounts = [segment_amount(segment, period) for segment in discounts]
    excess = -sum(amounts) - max(charges, 0)
    if excess <= 0:
        return [segment for segment, amount in zip(discounts, amounts, strict=True) if amount]
    held = []
    for segment, amount in reversed(list(zip(discounts, amounts, strict=True))):
        back = min(excess, -amount)
        excess -= back
        held.append(replace(segment, fixed_cents=amount + back))
    return [segment for segment in reversed(held) if segment.fixed_cents != 0]
