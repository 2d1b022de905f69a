"""Where a cycle's usage is heading: the bytes used so far, carried on at the same pace
to the cycle's end.

Pure arithmetic on integers. The pace is measured over the time elapsed since the
cycle began (at least one day, so a quiet first morning does not project zero and a
busy first hour does not project the moon).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dropline.customers.cycles import Cycle

_MIN_ELAPSED = dt.timedelta(days=1)


def cycle_bounds(cycle: Cycle) -> tuple[dt.datetime, dt.datetime]:
    """The cycle's first instant and the instant after its last day, in the provider's
    time zone."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(cycle.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(cycle.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end


def project(used_bytes: int, cycle: Cycle, now: dt.datetime) -> int:
    """The bytes the cycle will have used at its end if use goes on as it has: never
    less than what is used already, and exactly that once the cycle is over."""
    start, end = cycle_bounds(cycle)
    if now >= end:
        return used_bytes
    elapsed = max(now - start, _MIN_ELAPSED)
    total = end - start
    if elapsed >= total:
        return used_bytes
    elapsed_s = int(elapsed.total_seconds())
    total_s = int(total.total_seconds())
    return max(used_bytes, -(-used_bytes * total_s // elapsed_s))
