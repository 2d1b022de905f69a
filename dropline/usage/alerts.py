"""Usage alerts: 75%, 90% and 100% of the allowance, then each extra block, and a
warning when the cycle is on pace to go over.

Each alert is told once per subscription and cycle (``UsageAlert``'s unique
constraint): the row is inserted first and the message asked for only if the insert
went in, in one transaction, so two workers checking the same service at once send
one alert. When several levels are crossed at once only the highest is told; the lower
ones are recorded as passed (a customer who jumps from 70% to 95% hears about 90%, and
never about 75% later). A new cycle has no alerts yet, so it alerts again. The
projected-overage warning comes only before the first level (from 75% on the levels
say enough), and only after the cycle's first days.

What counts is the cycle's billable bytes (used less staff credits), against the
plan's ``data_allowance_gb``. A plan without an allowance (unlimited internet, mobile
by the gig, whose data is simply charged per GB) never alerts.

Messages go through ``notifications.outbox.notify`` in the usage category to every
member of the account (holders and authorized users), which applies each person's
preferences and SMS quiet hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.customers.cycles import Cycle
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.subscriptions.models import Subscription, SubscriptionStatus
from dropline.usage import alert_notices, overage
from dropline.usage.models import GB, AlertKind, UsageAlert, UsageCycle
from dropline.usage.projection import cycle_bounds, project

LEVELS: tuple[tuple[str, int], ...] = (
    (AlertKind.PERCENT_75, 75),
    (AlertKind.PERCENT_90, 90),
    (AlertKind.PERCENT_100, 100),
)
# The projection is noise in a cycle's first days: one busy evening is not a pace.
PROJECTION_AFTER = dt.timedelta(days=3)


@dataclass(frozen=True, slots=True)
class Level:
    """One step of the ladder: a percent level (block 0) or extra block ``block``."""

    kind: str
    block: int = 0


def blocks_charged(over_bytes: int, plan: Plan) -> int:
    """Extra blocks charged for ``over_bytes`` past the allowance: a started block in
    full, none past the cap (the block that reaches the cap is the last charged)."""
    if over_bytes <= 0 or not plan.overage_block_gb or plan.overage_block_cents <= 0:
        return 0
    blocks = overage.blocks_over(over_bytes, 0, plan.overage_block_gb * GB)
    return overage.blocks_charged(blocks, plan.overage_block_cents, plan.overage_cap_cents)


def crossed(*, billable_bytes: int, allowance_bytes: int, plan: Plan) -> list[Level]:
    """Every level ``billable_bytes`` has reached, lowest first: the percent levels,
    then each block charged beyond the first (the first is the 100% alert's news)."""
    levels = [Level(kind) for kind, pct in LEVELS if billable_bytes * 100 >= pct * allowance_bytes]
    blocks = blocks_charged(billable_bytes - allowance_bytes, plan)
    return levels + [Level(AlertKind.BLOCK, block=n) for n in range(2, blocks + 1)]


def _current_cycle(cycle: UsageCycle) -> Cycle:
    return Cycle(start=cycle.cycle_start, end=cycle.cycle_end)


def _record(
    subscription_id: int, cycle_start: dt.date, level: Level, used: int, now: dt.datetime
) -> bool:
    """Insert the alert's row; False when it was already there (told before, or by a
    worker checking at the same moment)."""
    try:
        with transaction.atomic():
            UsageAlert.objects.create(
                subscription_id=subscription_id,
                cycle_start=cycle_start,
                kind=level.kind,
                block=level.block,
                used_bytes=used,
                sent_at=now,
            )
    except IntegrityError:
        return False
    return True


def _tell(
    *,
    subscription: Subscription,
    row: UsageCycle,
    kind: str,
    allowance: int,
    block: int = 0,
    projected: int = 0,
) -> int:
    messages = notify(
        event=alert_notices.EVENTS[AlertKind(kind)],
        category=Category.USAGE,
        subject_key=f"usage:{subscription.pk}:{row.cycle_start}:{kind}:{block}",
        context=alert_notices.context(
            plan=subscription.plan,
            cycle=_current_cycle(row),
            billable_bytes=row.billable_bytes,
            allowance_bytes=allowance,
            block=block,
            projected_bytes=projected,
        ),
        account=subscription.account,
        link=alert_notices.USAGE_PATH,
    )
    return len(messages)


def _check_one(
    subscription: Subscription, row: UsageCycle, told: set[tuple[str, int]], now: dt.datetime
) -> int:
    allowance = (subscription.plan.data_allowance_gb or 0) * GB
    if allowance <= 0:
        return 0  # unlimited, or mobile by the gig: nothing to warn about
    billable = row.billable_bytes
    queued = 0
    with transaction.atomic():
        new = [
            level
            for level in crossed(
                billable_bytes=billable, allowance_bytes=allowance, plan=subscription.plan
            )
            if (level.kind, level.block) not in told
        ]
        if new:
            *passed, highest = new
            for level in passed:  # recorded as passed, never told
                _record(subscription.pk, row.cycle_start, level, billable, now)
            if _record(subscription.pk, row.cycle_start, highest, billable, now):
                queued += _tell(
                    subscription=subscription,
                    row=row,
                    kind=highest.kind,
                    allowance=allowance,
                    block=highest.block,
                )
        # The projection warns before the levels do; from 75% on they say enough.
        if not new and not told:  # below 75%, and no warning yet
            cycle = _current_cycle(row)
            start, _end = cycle_bounds(cycle)
            if now >= start + PROJECTION_AFTER:
                projected = project(billable, cycle, now)
                if projected > allowance and _record(
                    subscription.pk, row.cycle_start, Level(AlertKind.PROJECTED), billable, now
                ):
                    queued += _tell(
                        subscription=subscription,
                        row=row,
                        kind=AlertKind.PROJECTED,
                        allowance=allowance,
                        projected=projected,
                    )
    return queued


def check(*, subscription_ids: Sequence[int], now: dt.datetime | None = None) -> int:
    """Tell the people of each subscription's account what its current cycle's usage
    newly crossed. Returns the number of messages queued."""
    now = now or clock.now()
    today = timezone.localdate(now)
    ids = sorted(set(subscription_ids))
    if not ids:
        return 0
    subscriptions = {
        s.pk: s
        for s in Subscription.objects.filter(pk__in=ids, plan__data_allowance_gb__isnull=False)
        .exclude(status=SubscriptionStatus.CANCELLED)
        .select_related("plan", "account")
    }
    rows = list(
        UsageCycle.objects.filter(
            subscription_id__in=subscriptions, cycle_start__lte=today, cycle_end__gte=today
        ).order_by("subscription_id")
    )
    told: dict[tuple[int, dt.date], set[tuple[str, int]]] = {}
    for subscription_id, cycle_start, kind, block in UsageAlert.objects.filter(
        subscription_id__in=subscriptions, cycle_start__in={row.cycle_start for row in rows}
    ).values_list("subscription_id", "cycle_start", "kind", "block"):
        told.setdefault((subscription_id, cycle_start), set()).add((kind, block))
    queued = 0
    for row in rows:
        subscription = subscriptions[row.subscription_id]
        queued += _check_one(
            subscription, row, told.get((row.subscription_id, row.cycle_start), set()), now
        )
    return queued


def due_for_check(*, now: dt.datetime | None = None, limit: int = 5000) -> list[int]:
    """Subscriptions whose current cycle is at 75%, 90% or 100% of the allowance with
    no alert of that level yet (a check that never ran, e.g. a lost task). One query."""
    today = timezone.localdate(now or clock.now())
    allowance_gb = Cast(F("subscription__plan__data_allowance_gb"), BigIntegerField())
    billable = F("input_bytes") + F("output_bytes") - F("credited_bytes")

    def not_told(kind: str) -> Exists:
        return Exists(
            UsageAlert.objects.filter(
                subscription_id=OuterRef("subscription_id"),
                cycle_start=OuterRef("cycle_start"),
                kind=kind,
            )
        )

    due = Q()
    for kind, pct in LEVELS:
        due |= Q(billable__gte=allowance_gb * (GB * pct // 100)) & Q(~not_told(kind))
    return list(
        UsageCycle.objects.filter(
            cycle_start__lte=today,
            cycle_end__gte=today,
            subscription__plan__data_allowance_gb__isnull=False,
        )
        .exclude(subscription__status=SubscriptionStatus.CANCELLED)
        .alias(billable=billable)
        .filter(due)
        .order_by("subscription_id")
        .values_list("subscription_id", flat=True)[:limit]
    )
