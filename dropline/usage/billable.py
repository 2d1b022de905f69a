"""What billing reads of usage: the billable bytes of a bill cycle, per subscription.

``billable_usage`` reads any number of subscriptions, each for its own cycle (the one
a bill charges in arrears), in one query. Billable bytes are what counts against an
allowance: input plus output, less the data staff credited, never below zero
(``UsageCycle.billable_bytes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dropline.core import bulk
from dropline.usage.models import UsageCycle


@dataclass(frozen=True, slots=True)
class BillableUsage:
    """A subscription's data in one bill cycle."""

    subscription_id: int
    cycle_start: dt.date
    cycle_end: dt.date
    used_bytes: int
    credited_bytes: int

    @property
    def billable_bytes(self) -> int:
        return max(0, self.used_bytes - self.credited_bytes)


def billable_usage(cycles: Mapping[int, dt.date]) -> dict[int, BillableUsage]:
    """The usage of each subscription id of ``cycles`` in the cycle starting on the day it
    maps to, in one query; a subscription without usage in that cycle is left out."""
    if not cycles:
        return {}
    starts = sorted(set(cycles.values()))
    rows = (
        UsageCycle.objects.filter(
            subscription_id__in=bulk.many(sorted(cycles)), cycle_start__in=starts
        )
        .values_list(
            "subscription_id",
            "cycle_start",
            "cycle_end",
            "input_bytes",
            "output_bytes",
            "credited_bytes",
        )
        .order_by("subscription_id")
    )
    found: dict[int, BillableUsage] = {}
    for subscription_id, start, end, input_bytes, output_bytes, credited in rows:
        if cycles[subscription_id] != start:
            continue  # another subscription's cycle start: not this one's
        found[subscription_id] = BillableUsage(
            subscription_id=subscription_id,
            cycle_start=start,
            cycle_end=end,
            used_bytes=input_bytes + output_bytes,
            credited_bytes=credited,
        )
    return found
