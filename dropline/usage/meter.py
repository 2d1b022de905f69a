"""A service's data meter: what it used this bill cycle, against what allowance, where
the cycle is heading, and what going over would cost.

Pure: ``usage.queries`` reads the rows (a fixed number of queries for the whole
account) and hands them here. Bytes are integers (a GB is 10**9 bytes); money is
integer cents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from dropline.catalog.models import Plan
from dropline.core.money import Money
from dropline.customers.cycles import Cycle
from dropline.usage import overage
from dropline.usage.models import GB

HISTORY_CYCLES = 12
TB = 1000 * GB
MB = GB // 1000


@dataclass(frozen=True, slots=True)
class DayUsage:
    day: dt.date
    bytes: int


@dataclass(frozen=True, slots=True)
class CycleUsage:
    """One bill cycle's total (billable bytes), the current one still running."""

    start: dt.date
    end: dt.date
    used_bytes: int
    allowance_bytes: int | None
    in_progress: bool


@dataclass(frozen=True, slots=True)
class ExtraDataTerms:
    """What data past the allowance costs: blocks (``block_bytes`` for ``block_cents``,
    a started block in full, at most ``cap_cents`` a cycle) or a price per GB."""

    currency: str
    block_bytes: int | None = None
    block_cents: int = 0
    cap_cents: int | None = None
    price_per_gb: Decimal | None = None

    @classmethod
    def of(cls, plan: Plan) -> ExtraDataTerms:
        return cls(
            currency=plan.currency,
            block_bytes=plan.overage_block_gb * GB if plan.overage_block_gb else None,
            block_cents=plan.overage_block_cents,
            cap_cents=plan.overage_cap_cents,
            price_per_gb=plan.price_per_gb,
        )

    @property
    def charged(self) -> bool:
        return self.price_per_gb is not None or (
            self.block_bytes is not None and self.block_cents > 0
        )

    def cost(self, extra_bytes: int) -> Money:
        """What ``extra_bytes`` past the allowance (every byte, for a plan charged by the
        GB without one) cost, as the bill will charge them (``usage.overage``)."""
        if extra_bytes <= 0 or not self.charged:
            return Money.zero(self.currency)
        if self.price_per_gb is not None:
            gigabytes = overage.gigabytes_over(extra_bytes, 0)
            return Money(overage.by_the_gig_cents(gigabytes, self.price_per_gb), self.currency)
        assert self.block_bytes is not None
        blocks = overage.blocks_over(extra_bytes, 0, self.block_bytes)
        cents, _capped = overage.blocks_cents(blocks, self.block_cents, self.cap_cents)
        return Money(cents, self.currency)


@dataclass(frozen=True)
class ServiceMeter:
    subscription_id: int
    kind: str  # "internet" or "mobile"
    kind_label: str
    label: str  # the service's own label, or its plan's name
    plan_name: str
    phone_number: str  # E.164, mobile lines
    used_bytes: int  # billable: counted less any credit
    allowance_bytes: int | None  # None: unlimited
    cycle: Cycle
    today: dt.date
    projected_bytes: int
    terms: ExtraDataTerms
    daily: list[DayUsage]
    history: list[CycleUsage]

    @property
    def unlimited(self) -> bool:
        return self.allowance_bytes is None

    @property
    def days_left(self) -> int:
        """Days of the cycle still to come, today included."""
        return max(0, (self.cycle.end - self.today).days + 1)

    @property
    def percent_used(self) -> int | None:
        if not self.allowance_bytes:
            return None
        return self.used_bytes * 100 // self.allowance_bytes

    @property
    def over_bytes(self) -> int:
        """Used past the allowance already."""
        if self.allowance_bytes is None:
            return 0
        return max(0, self.used_bytes - self.allowance_bytes)

    @property
    def projected_over_bytes(self) -> int:
        if self.allowance_bytes is None:
            return 0
        return max(0, self.projected_bytes - self.allowance_bytes)

    def _charged_bytes(self, used: int) -> int:
        if self.allowance_bytes is None:
            return used if self.terms.price_per_gb is not None else 0
        return max(0, used - self.allowance_bytes)

    @property
    def overage_cost(self) -> Money:
        """What the data used so far past the allowance costs."""
        return self.terms.cost(self._charged_bytes(self.used_bytes))

    @property
    def projected_overage_cost(self) -> Money:
        """What the cycle's extra data would cost at the end of it, at this pace."""
        return self.terms.cost(self._charged_bytes(self.projected_bytes))

    @property
    def daily_pace_bytes(self) -> int | None:
        """The allowance spread evenly over the cycle's days: a day's share."""
        if self.allowance_bytes is None:
            return None
        return self.allowance_bytes // self.cycle.days

    @property
    def by_the_gig(self) -> bool:
        return self.allowance_bytes is None and self.terms.price_per_gb is not None


def daily_series(days: Mapping[dt.date, int], *, cycle: Cycle, today: dt.date) -> list[DayUsage]:
    """Every day of the cycle up to today (or its end), zeros included."""
    last = min(today, cycle.end)
    count = (last - cycle.start).days + 1
    return [
        DayUsage(day=day, bytes=days.get(day, 0))
        for day in (cycle.start + dt.timedelta(days=n) for n in range(max(0, count)))
    ]


def history_cycles(current: Cycle, *, started_on: dt.date) -> list[Cycle]:
    """The current cycle and the ones before it, oldest first: at most twelve, none
    ending before the service started."""
    cycles = [current]
    while len(cycles) < HISTORY_CYCLES:
        before = cycles[-1].previous()
        if before.end < started_on:
            break
        cycles.append(before)
    return cycles[::-1]


def history(
    totals: Iterable[tuple[dt.date, int]],
    *,
    cycles: list[Cycle],
    allowance_bytes: int | None,
) -> list[CycleUsage]:
    """Per cycle totals from ``(cycle_start, billable_bytes)`` rows: a row counts in the
    cycle its start falls in (so a changed bill date loses nothing)."""
    sums = [0] * len(cycles)
    for start, used in totals:
        for index, cycle in enumerate(cycles):
            if cycle.contains(start):
                sums[index] += used
                break
    return [
        CycleUsage(
            start=cycle.start,
            end=cycle.end,
            used_bytes=sums[index],
            allowance_bytes=allowance_bytes,
            in_progress=index == len(cycles) - 1,
        )
        for index, cycle in enumerate(cycles)
    ]
