"""Bundles: the largest bundle an account qualifies for on a day, never more than its
services cost that day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from dropline.billing.history import (
    AccountHistory,
    BundleTerm,
)
from dropline.billing.rating.segments import (
    ACCOUNT_CATEGORY,
    DISCOUNT,
    ONE_DAY,
    RECURRING,
    Item,
    Segment,
    segment_amount,
)
from dropline.customers.cycles import Cycle


def bundle_on(
    bundles: Sequence[BundleTerm], kinds: Iterable[str], day: dt.date
) -> BundleTerm | None:
    """The bundle an account with services of ``kinds`` gets on ``day``: of those in force
    that day whose kinds it has, the largest discount; on a tie the one combining more
    services, then the first by code. The discount itself is at most what those services
    cost (see ``rate``)."""
    having = set(kinds)
    best: BundleTerm | None = None
    for bundle in bundles:
        if not bundle.kinds <= having or bundle.starts_on > day:
            continue
        if bundle.ends_on is not None and day > bundle.ends_on:
            continue
        if best is None or (bundle.monthly_discount_cents, len(bundle.kinds)) > (
            best.monthly_discount_cents,
            len(best.kinds),
        ):
            best = bundle
    return best


def bundle_segments(
    history: AccountHistory, period: Cycle, segments: Sequence[Segment]
) -> list[Segment]:
    """The bundle discount for each day of ``period``: the largest bundle in force whose
    kinds all have a service billed that day, as much as those services cost that day at
    most, in runs of days at one discount."""
    if not history.bundles:
        return []
    kinds_of = {subscription.item_key: subscription.kind for subscription in history.subscriptions}
    services = [
        segment
        for segment in segments
        if segment.item.group_key in kinds_of
        and segment.item.kind in (RECURRING, DISCOUNT)
        and not segment.item.key.startswith(("addon:", "equip:"))
    ]
    wanted = set().union(*(bundle.kinds for bundle in history.bundles))
    if not services or len(wanted & set(kinds_of.values())) < 2:
        return []
    # The state only changes where a service's segment or a bundle starts or stops:
    # each stretch between two such days is one run (usually the whole period).
    after_end = period.end + ONE_DAY
    changes = {period.start, after_end}
    for segment in services:
        changes.update((segment.start, segment.end + ONE_DAY))
    for term in history.bundles:
        changes.add(term.starts_on)
        if term.ends_on is not None:
            changes.add(term.ends_on + ONE_DAY)
    edges = sorted(day for day in changes if period.start <= day <= after_end)
    runs: list[tuple[BundleTerm, dt.date, dt.date, int]] = []
    for first, following in pairwise(edges):
        last_day = following - ONE_DAY
        net: dict[str, int] = defaultdict(int)
        kinds: set[str] = set()
        for segment in services:
            if segment.start <= first <= segment.end:
                kind = kinds_of[segment.item.group_key]
                net[kind] += segment.monthly_cents
                if segment.item.kind == RECURRING:
                    kinds.add(kind)
        chosen = bundle_on(history.bundles, kinds, first)
        if chosen is None:
            continue
        monthly = min(chosen.monthly_discount_cents, sum(net[kind] for kind in chosen.kinds))
        if monthly <= 0:
            continue
        previous = runs[-1] if runs else None
        if (
            previous is not None
            and previous[0] == chosen
            and previous[3] == monthly
            and previous[2] + ONE_DAY == first
        ):
            runs[-1] = (chosen, previous[1], last_day, monthly)
        else:
            runs.append((chosen, first, last_day, monthly))
    if not runs:
        return []
    items: dict[str, Item] = {}
    result = []
    for bundle, start, end, monthly in runs:
        item = items.setdefault(
            bundle.code,
            Item(
                key=bundle.item_key,
                kind=DISCOUNT,
                category=ACCOUNT_CATEGORY,
                group_key=bundle.item_key,
                label=bundle.label,
                label_es=bundle.label_es,
            ),
        )
        result.append(Segment(item, start, end, -monthly))
    combined = set().union(*(bundle.kinds for bundle, *_days in runs))
    return _held_to_charges(result, services, kinds_of, combined, period)


def _held_to_charges(
    discounts: list[Segment],
    services: Sequence[Segment],
    kinds_of: dict[str, str],
    combined: set[str],
    period: Cycle,
) -> list[Segment]:
    """Each day's discount is at most what its services cost that day, but rounding a
    split once per line could still leave the discount a cent above the services' lines:
    the last runs give that cent back, so the discount never exceeds the charges."""
    charges = sum(
        segment_amount(segment, period)
        for segment in services
        if kinds_of[segment.item.group_key] in combined
    )
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
