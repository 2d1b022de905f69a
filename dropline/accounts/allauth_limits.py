"""allauth's rate limits counted by Dropline's one rate limiter (``dropline.core.ratelimit``).

allauth keeps each limit as a list of timestamps in the cache, read and rewritten under
a lock made of another cache key: four cache operations a limit (take the lock, read,
write, let go), four more to give a hit back, and a wait when two requests race. At a
sign-in that is five limits (``login``, the two ``login_failed`` and the two
``login_failed_account``) and four give-backs: about 36 cache operations, each a SQL
statement or more on the database cache.

``install`` replaces the two functions of ``allauth.core.internal.ratelimit`` that touch
the cache (counting one rate, and clearing a limit); allauth's ``consume`` and every
caller keep working unchanged. Each rate becomes a :class:`~dropline.core.ratelimit.Limit`
counted with ``cache.add`` and ``cache.incr`` (atomic on Redis and in the local-memory
cache): one or two cache operations to count, one ``get_many`` for the steps of the
window, one ``decr`` to give it back. The window slides to within a tenth of itself
(``BUCKETS``), where allauth's was exact; racing requests can only be refused too
often, never allowed too often.

The keys are allauth's subjects (the address, the user, or allauth's key such as the
login and address) as keyed hashes, so no address or login appears in the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.core.exceptions import RateLimited
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.http import HttpRequest

from dropline.core import ratelimit

# Steps per window at most: the window slides to within a tenth of itself, and a hit
# reads at most ten counters.
BUCKETS = 10


@dataclass
class CountedHit:
    """One counted rate of an allauth limit; ``rollback`` gives the hit back (allauth's
    ``SingleRateLimitUsage`` interface)."""

    decision: ratelimit.Decision

    def rollback(self) -> None:
        ratelimit.give_back(self.decision)


def _buckets(seconds: int) -> int:
    return max(n for n in range(1, min(seconds, BUCKETS) + 1) if seconds % n == 0)


def limit_for(*, app: str, action: str, rate: allauth_ratelimit.Rate) -> ratelimit.Limit | None:
    """Dropline's limit for one of allauth's rates; None for a window that is not whole
    seconds (allauth's own counting then applies)."""
    seconds = float(rate.duration)
    if seconds < 1 or seconds != int(seconds):
        return None
    name = f"{app}:{action}:{rate.per}".lower()[:64]
    return ratelimit.Limit(name, rate.amount, int(seconds), _buckets(int(seconds)))


def _subject(request: HttpRequest, *, rate: allauth_ratelimit.Rate, key: Any, user: Any) -> str:
    """What allauth counts the rate against, as allauth's own cache key names it (the
    address, the user or the key), without its prefix; hashed by ``ratelimit``."""
    cache_key = allauth_ratelimit.get_cache_key(
        request, app="", action="", rate=rate, key=key, user=user
    )
    return cache_key.split(":", 5)[-1]


_allauth_consume_single_rate = allauth_ratelimit._consume_single_rate
_allauth_clear = allauth_ratelimit.clear


def consume_single_rate(
    request: HttpRequest,
    *,
    app: str,
    action: str,
    rate: allauth_ratelimit.Rate,
    key: Any = None,
    user: Any = None,
    dry_run: bool = False,
    raise_exception: bool = False,
) -> Any:
    """allauth's ``_consume_single_rate``: count one hit (or, ``dry_run``, only check);
    what allauth can roll back, or None when refused."""
    limit = limit_for(app=app, action=action, rate=rate)
    if limit is None:
        return _allauth_consume_single_rate(
            request,
            app=app,
            action=action,
            rate=rate,
            key=key,
            user=user,
            dry_run=dry_run,
            raise_exception=raise_exception,
        )
    subject = _subject(request, rate=rate, key=key, user=user)
    decision = ratelimit.check(limit, subject) if dry_run else ratelimit.hit(limit, subject)
    if decision.allowed:
        return CountedHit(decision if not dry_run else ratelimit.Decision(True, 0, None))
    if raise_exception:
        raise RateLimited
    return None


def clear(
    request: HttpRequest,
    *,
    app: str,
    action: str,
    config: dict[str, str] | None = None,
    key: Any = None,
    user: Any = None,
) -> None:
    """allauth's ``clear``: forget every hit counted against the subject."""
    for rate in allauth_ratelimit.get_rates(app=app, action=action, config=config):
        limit = limit_for(app=app, action=action, rate=rate)
        if limit is None:
            _allauth_clear(request, app=app, action=action, config=config, key=key, user=user)
            continue
        ratelimit.reset(limit, _subject(request, rate=rate, key=key, user=user))


def install() -> None:
    """Count allauth's limits here from now on (``AccountsConfig.ready``)."""
    allauth_ratelimit._consume_single_rate = consume_single_rate
    allauth_ratelimit.clear = clear
