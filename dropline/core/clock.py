"""The one clock. Code asks ``clock.now()``; tests move it with ``clock.frozen``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen_at: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return _frozen_at if _frozen_at is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the provider's time zone (``TIME_ZONE``)."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Hold the clock at ``at`` (which must be timezone-aware) inside the block."""
    global _frozen_at
    if timezone.is_naive(at):
        raise ValueError("frozen() needs a timezone-aware datetime")
    previous, _frozen_at = _frozen_at, at
    try:
        yield
    finally:
        _frozen_at = previous
