"""The limits on recovery requests, as fixed windows on ``core.clock`` counted in the
shared cache (Redis or the database cache): they end, and never lock anyone out for good.

The limits a visitor can see are keyed by what they typed and their IP address, never
by the account found; those keyed by the account are silent: past them nothing more is
sent, and the answer is the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.core.cache import cache

from dropline.accounts.models import User
from dropline.core import clock
from dropline.identity.recovery.errors import ThrottledError


@dataclass(frozen=True)
class Limit:
    """At most ``amount`` in each fixed ``window``."""

    action: str
    amount: int
    window: dt.timedelta


# Seen by the visitor (the answer becomes "too many requests"): keyed by IP or input.
CODE_REQUESTS_PER_IP = Limit("reset_code_request:ip", 10, dt.timedelta(hours=1))
CODE_REQUESTS_PER_INPUT = Limit("reset_code_request:input", 3, dt.timedelta(minutes=15))
CODE_ATTEMPTS_PER_IP = Limit("reset_code_attempt:ip", 30, dt.timedelta(hours=1))
CODE_ATTEMPTS_PER_INPUT = Limit("reset_code_attempt:input", 10, dt.timedelta(minutes=15))
# Silent, keyed by the account: past them nothing is sent (or checked), same answer.
CODE_REQUESTS_PER_ACCOUNT = Limit("reset_code_request:account", 3, dt.timedelta(hours=1))
CODE_REQUESTS_PER_ACCOUNT_DAY = Limit("reset_code_request:account:day", 10, dt.timedelta(days=1))
CODE_ATTEMPTS_PER_ACCOUNT = Limit("reset_code_attempt:account", 15, dt.timedelta(hours=1))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _window(limit: Limit) -> tuple[int, float]:
    """The current window's number and the seconds until it ends."""
    seconds = limit.window.total_seconds()
    now = clock.now().timestamp()
    number = int(now // seconds)
    return number, (number + 1) * seconds - now


def _hit(limit: Limit, key: str) -> dt.timedelta | None:
    """Count one use against ``key``; how long to wait if that was one too many."""
    number, remaining = _window(limit)
    cache_key = f"dropline:recovery:{limit.action}:{number}:{digest(key)}"
    timeout = math.ceil(limit.window.total_seconds()) + 60
    cache.add(cache_key, 0, timeout=timeout)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        count = 1
    if count > limit.amount:
        return dt.timedelta(seconds=remaining)
    return None


def check_visible(limits: list[tuple[Limit, str]]) -> None:
    """Count against every limit; raise ``ThrottledError`` with the longest wait."""
    waits = [wait for limit, key in limits if (wait := _hit(limit, key)) is not None]
    if waits:
        raise ThrottledError(max(waits))


def allowed_silently(limits: list[Limit], user: User) -> bool:
    results = [_hit(limit, f"user:{user.pk}") for limit in limits]
    return all(result is None for result in results)


def input_key(text: str) -> str:
    return " ".join(text.split()).casefold()
