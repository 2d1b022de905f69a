"""Things that happened to a demo account on a given day, replayed under the clock.

A step that writes history as it happened, rather than as of today, describes each
change as an ``Event``; the billing step replays them in date order between the
bill runs, so every bill sees exactly what was true when it was made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from dropline.core import clock


@dataclass(frozen=True)
class Event:
    """``apply`` makes the change unless it was made before (the demo is loaded again),
    and returns how many records it created."""

    day: dt.date
    name: str
    apply: Callable[[], int]


def moment(day: dt.date, hour: int) -> dt.datetime:
    """``hour`` o'clock on ``day`` in the provider's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def happen(event: Event) -> int:
    """``event`` at 10 in the morning of its day."""
    with clock.frozen(moment(event.day, 10)):
        return event.apply()
