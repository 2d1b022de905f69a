"""Calendar arithmetic that never breaks on the 29th, 30th or 31st."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int, *, anchor_day: int | None = None) -> dt.date:
    """``day`` moved by ``months``, on ``anchor_day`` (default: ``day.day``) clamped to the
    length of the target month: Jan 31 + 1 month is Feb 28 (29 in a leap year), and with
    anchor 31, Feb 28 + 1 month is Mar 31."""
    anchor = anchor_day if anchor_day is not None else day.day
    if not 1 <= anchor <= 31:
        raise ValueError("anchor_day must be between 1 and 31")
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(anchor, last))
