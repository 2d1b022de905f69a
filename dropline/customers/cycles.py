"""Bill cycles from an account's anchor day, clamped in shorter months.

A cycle runs from the anchor day of one month (or that month's last day when it is
shorter) to the day before the next month's. Anchor 31 gives Jan 31 to Feb 27,
Feb 28 to Mar 30, Mar 31 to Apr 29 (Feb 29 in a leap year): the cycles tile the
calendar, exactly twelve start in any year, and none drifts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dropline.core.dates import add_months

_ONE_DAY = dt.timedelta(days=1)


def _start_in_month(anchor_day: int, year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 0, anchor_day=anchor_day)


@dataclass(frozen=True, slots=True)
class Cycle:
    """One bill cycle; ``start`` and ``end`` are both inclusive."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a cycle cannot end ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def anchor_day(self) -> int:
        """The anchor the cycle was cut from. Of two consecutive months one always has 31
        days, so at most one of the two starts was clamped: the larger day is the anchor."""
        return max(self.start.day, (self.end + _ONE_DAY).day)

    def next(self) -> Cycle:
        start = self.end + _ONE_DAY
        following = add_months(start, 1, anchor_day=self.anchor_day)
        return Cycle(start=start, end=following - _ONE_DAY)

    def previous(self) -> Cycle:
        start = add_months(self.start, -1, anchor_day=self.anchor_day)
        return Cycle(start=start, end=self.start - _ONE_DAY)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlap(self, start: dt.date, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
        """The days of ``start``..``end`` (open when ``end`` is None) inside the cycle."""
        first = max(start, self.start)
        last = self.end if end is None else min(end, self.end)
        return (first, last) if first <= last else None


def cycle_containing(anchor_day: int, day: dt.date) -> Cycle:
    """The cycle of an account anchored on ``anchor_day`` that ``day`` falls in."""
    start = _start_in_month(anchor_day, day.year, day.month)
    if start > day:
        start = add_months(start, -1, anchor_day=anchor_day)
    return Cycle(start=start, end=add_months(start, 1, anchor_day=anchor_day) - _ONE_DAY)


def cycle_starting_on(anchor_day: int, day: dt.date) -> Cycle | None:
    """The cycle that starts on ``day``, or None when no cycle of that anchor starts then."""
    cycle = cycle_containing(anchor_day, day)
    return cycle if cycle.start == day else None


def anchor_days_starting_on(day: dt.date) -> list[int]:
    """Every anchor whose cycle starts on ``day``: Feb 28, 2027 is [28, 29, 30, 31]."""
    return [
        anchor for anchor in range(1, 32) if _start_in_month(anchor, day.year, day.month) == day
    ]
