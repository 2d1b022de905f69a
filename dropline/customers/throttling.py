"""Sliding-window rate limits in the shared cache (the database cache, or Redis).

A limit allows ``amount`` attempts in any ``window``; a refused attempt is not
counted, so the wait is never longer than one window after the last allowed
attempt and nobody is ever locked out for good. Timestamps come from
``core.clock`` so tests can move time.

allauth's own helper (``allauth.core.ratelimit.consume``) reads its limits only
from ``ACCOUNT_RATE_LIMITS`` and its clock is ``time.time()``; these limits belong
to the customers domain and must be testable by moving the clock, hence this
small module with the same algorithm.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

from dropline.core import clock

_LOCK_TIMEOUT = 10  # seconds a crashed holder keeps the lock
_LOCK_WAIT = 1.0  # seconds to wait for the lock before refusing


@dataclass(frozen=True)
class Limit:
    action: str
    amount: int
    window: dt.timedelta


class ThrottledError(Exception):
    """Too many attempts; ``retry_after`` is when the oldest one leaves the window."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        super().__init__(f"throttled, retry after {retry_after}")
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, rounded up, at least one."""
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


def _cache_key(limit: Limit, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"dropline:rl:{limit.action}:{limit.amount}:{int(limit.window.total_seconds())}:{digest}"


def _acquire(lock_key: str) -> bool:
    deadline = time.monotonic() + _LOCK_WAIT
    pause = 0.01
    while not cache.add(lock_key, 1, timeout=_LOCK_TIMEOUT):
        if time.monotonic() >= deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    return True


def hit(*, limit: Limit, key: str) -> None:
    """Count one attempt against ``key``, or raise ``ThrottledError`` without counting it."""
    cache_key = _cache_key(limit, key)
    lock_key = f"{cache_key}:lock"
    window = limit.window.total_seconds()
    if not _acquire(lock_key):
        raise ThrottledError(dt.timedelta(seconds=_LOCK_TIMEOUT))
    try:
        now = clock.now().timestamp()
        history = [ts for ts in cache.get(cache_key, []) if now - window < ts <= now]
        if len(history) >= limit.amount:
            oldest = min(history)
            raise ThrottledError(dt.timedelta(seconds=oldest + window - now))
        history.append(now)
        cache.set(cache_key, history, timeout=math.ceil(window))
    finally:
        cache.delete(lock_key)


def clear(*, limit: Limit, key: str) -> None:
    cache.delete(_cache_key(limit, key))
