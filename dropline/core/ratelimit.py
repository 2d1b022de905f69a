"""Rate limits in the shared cache: one implementation for every limit in Dropline.

A :class:`Limit` allows at most ``count`` hits in ``seconds``. Counters live in
Django's default cache (the database cache, or Redis with ``REDIS_URL``), so every
web process shares them, and time comes from ``core.clock`` so tests move it.

How it counts: the window is cut into ``buckets`` equal steps, each a counter keyed
by its step number on the clock. A hit adds one to the current step's counter (with
``cache.incr``: atomic on Redis and in the local-memory cache, a read and a write in
the database cache) and then sums the steps still inside the window. Over the limit,
the hit is taken back, so a refused hit is never counted: the wait is never longer
than one window after the last allowed hit, and nobody is locked out for good. A hit
leaves the window between ``seconds - step`` and ``seconds`` after it was made (when
its step ends its last window), so the limit is a sliding window to within one step:
``buckets=1`` is a fixed window aligned to the clock; the default, up to 60 steps,
is within 1/60 of the window.

Racing hits can only be refused too often, never allowed too often (where ``incr`` is
atomic): each hit sums after adding its own, so the last one allowed saw every other
allowed hit.

Keys are keyed hashes (HMAC under the ``SECRET_KEY``) of what the limit is about, so
no email address, phone number or IP address appears in the cache.

On Redis (Django's ``RedisCache``) a hit is one round trip: a short Lua script adds one
to the current step, reads the older steps and takes the hit back when refused, all at
once on the server (``_HIT_SCRIPT``); a give-back is one more (``_GIVE_BACK_SCRIPT``).
Other caches take three operations a hit (``get_many``, ``incr`` or ``add``) and two a
give-back, with the same counts and the same keys.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac
from redis.commands.core import Script

from dropline.core import clock

_KEY_SALT = "dropline.core.ratelimit"
_NAME = re.compile(r"^[a-z0-9_.:-]{1,64}$")
_MAX_BUCKETS = 60
_TTL_SLACK = 60  # seconds a counter outlives its last window, for slow clocks


def _default_cache() -> BaseCache:
    """The default cache itself (not Django's proxy to it), so the Redis path is seen."""
    return caches["default"]


def _default_buckets(seconds: int) -> int:
    """The largest divisor of ``seconds`` up to 60, so every step is whole seconds."""
    return max(n for n in range(1, min(seconds, _MAX_BUCKETS) + 1) if seconds % n == 0)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits in any ``seconds`` (to within one step, see the module)."""

    name: str
    count: int
    seconds: int
    buckets: int = field(default=0)  # 0: up to 60, whatever divides ``seconds``; 1: fixed

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"limit name {self.name!r}: lower-case letters, digits, _.:- only")
        if self.count < 1 or self.seconds < 1:
            raise ValueError("a limit needs a count and a window of at least 1")
        if self.buckets == 0:
            object.__setattr__(self, "buckets", _default_buckets(self.seconds))
        if self.buckets < 1 or self.seconds % self.buckets:
            raise ValueError("buckets must divide the window into whole seconds")

    @classmethod
    def per(cls, name: str, count: int, window: dt.timedelta, *, buckets: int = 0) -> Limit:
        """The same limit, its window given as a ``timedelta`` of whole seconds."""
        seconds = window.total_seconds()
        if seconds != int(seconds):
            raise ValueError("a window is whole seconds")
        return cls(name, count, int(seconds), buckets)

    @property
    def window(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.seconds)

    @property
    def step(self) -> int:
        """Seconds per bucket."""
        return self.seconds // self.buckets


@dataclass(frozen=True)
class Decision:
    """What a hit (or a check) found. True when allowed."""

    allowed: bool
    remaining: int  # hits still allowed now, after this one
    retry_after: dt.timedelta | None  # when refused: until a hit would be allowed
    counted: str = ""  # an allowed hit: the counter it added one to (``give_back``)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, rounded up, at least one (0 when allowed)."""
        if self.retry_after is None:
            return 0
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))

    @property
    def seconds(self) -> int:
        """Whole seconds to wait, rounded up, at least one (0 when allowed): Retry-After."""
        if self.retry_after is None:
            return 0
        return max(1, math.ceil(self.retry_after.total_seconds()))


class ThrottledError(Exception):
    """Raised by :func:`enforce`: too many hits; ``retry_after`` says for how long."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        super().__init__(f"throttled, retry after {retry_after}")
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, rounded up, at least one."""
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


# --- keys and counters ----------------------------------------------------------------


def subject_digest(key: str) -> str:
    """``key`` (an email address, a number, an IP address) as it appears in the cache."""
    return salted_hmac(_KEY_SALT, key, algorithm="sha256").hexdigest()[:40]


def _bucket_key(limit: Limit, digest: str, index: int) -> str:
    return f"dropline:rl:{limit.name}:{limit.count}:{limit.seconds}:{limit.step}:{index}:{digest}"


def _current_index(limit: Limit, now: float) -> int:
    return int(now // limit.step)


def _window_keys(limit: Limit, key: str, now: float) -> list[tuple[int, str]]:
    """(step number, cache key) for every step still in the window, oldest first."""
    digest = subject_digest(key)
    current = _current_index(limit, now)
    return [
        (index, _bucket_key(limit, digest, index))
        for index in range(current - limit.buckets + 1, current + 1)
    ]


def _ttl(limit: Limit) -> int:
    return limit.seconds + limit.step + _TTL_SLACK


def _counts(store: BaseCache, keys: list[tuple[int, str]]) -> list[tuple[int, int]]:
    if not keys:
        return []
    found = store.get_many([k for _i, k in keys])
    return [(index, int(found.get(k, 0) or 0)) for index, k in keys]


def _retry_after(limit: Limit, counts: list[tuple[int, int]], now: float) -> dt.timedelta:
    """Until the window has room for one more hit: when enough old steps have left it."""
    total = sum(c for _i, c in counts)
    for index, count in counts:  # oldest first
        if total < limit.count:
            break
        total -= count
        if total < limit.count:
            return dt.timedelta(seconds=max((index + limit.buckets) * limit.step - now, 0.0))
    return dt.timedelta(0)


def _increment(store: BaseCache, key: str, ttl: int) -> int:
    """Add one to the counter ``key`` (created with ``ttl``); its new value."""
    for _attempt in range(3):
        try:
            return int(store.incr(key))
        except ValueError:  # not there yet, or expired a moment ago
            if store.add(key, 1, timeout=ttl):
                return 1
    store.set(key, 1, timeout=ttl)  # pragma: no cover - a cache that keeps losing the key
    return 1  # pragma: no cover


def _decrement(store: BaseCache, key: str) -> None:
    if isinstance(store, RedisCache):
        _run(store, _GIVE_BACK_SCRIPT, [key], [])
        return
    with contextlib.suppress(ValueError):  # expired in between: nothing to take back
        store.decr(key)


# KEYS: the current step's counter, then the older steps' (oldest first); ARGV: the
# counter's time to live, the limit's count. Returns the older steps' counts and the
# current step's count after the hit (oldest first, as ``_counts`` gives them), then 1
# if the hit was allowed or 0 if it was refused (and taken back). Django keeps whole
# numbers in Redis as plain integers, so ``incr``, ``get_many`` and ``decr`` on the
# same keys agree with the script.
_HIT_SCRIPT = """
local own = redis.call('INCR', KEYS[1])
if own == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local counts = {}
local total = own
local allowed = 1
if #KEYS > 1 then
  local older = redis.call('MGET', unpack(KEYS, 2))
  for i = 1, #KEYS - 1 do
    local n = tonumber(older[i]) or 0
    counts[i] = n
    total = total + n
  end
end
if total > tonumber(ARGV[2]) then
  redis.call('DECR', KEYS[1])
  own = own - 1
  allowed = 0
end
counts[#KEYS] = own
counts[#KEYS + 1] = allowed
return counts
"""
# KEYS: one counter. Takes one off, unless it has expired (then nothing is created).
_GIVE_BACK_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return false
"""


def _run(store: RedisCache, script: str, keys: list[str], args: list[int]) -> object:
    """Run ``script`` on the cache's Redis (EVALSHA, loading it when Redis does not
    have it yet) with the cache's own key prefix and version."""
    full = [store.make_and_validate_key(key) for key in keys]
    client = store._cache.get_client(full[0], write=True)  # type: ignore[attr-defined]
    return _script(script)(keys=full, args=args, client=client)


@functools.cache
def _script(source: str) -> Script:
    """The script as redis-py runs it (by its SHA-1), made once per process; each call
    names the client it runs on."""
    return Script(None, source.encode())  # type: ignore[arg-type]


def _redis_hit(store: RedisCache, limit: Limit, keys: list[tuple[int, str]]) -> list[int]:
    ordered = [keys[-1][1]] + [k for _i, k in keys[:-1]]
    reply = cast(list[int], _run(store, _HIT_SCRIPT, ordered, [_ttl(limit), limit.count]))
    return [int(n) for n in reply]


# --- the calls ------------------------------------------------------------------------


def hit(limit: Limit, key: str, *, cache: BaseCache | None = None) -> Decision:
    """Count one hit against ``key``; a refused hit is not counted."""
    store = cache if cache is not None else _default_cache()
    now = clock.now().timestamp()
    keys = _window_keys(limit, key, now)
    own = keys[-1][1]
    if isinstance(store, RedisCache):
        # One round trip; a refused hit is already taken back by the script.
        *found, allowed = _redis_hit(store, limit, keys)
        counts = [(index, count) for (index, _k), count in zip(keys, found, strict=True)]
        total = sum(found)
        if allowed:
            return Decision(
                allowed=True, remaining=limit.count - total, retry_after=None, counted=own
            )
        return Decision(allowed=False, remaining=0, retry_after=_retry_after(limit, counts, now))
    counts = [*_counts(store, keys[:-1]), (keys[-1][0], _increment(store, own, _ttl(limit)))]
    total = sum(c for _i, c in counts)
    if total <= limit.count:
        return Decision(allowed=True, remaining=limit.count - total, retry_after=None, counted=own)
    _decrement(store, own)
    counts[-1] = (counts[-1][0], max(counts[-1][1] - 1, 0))
    return Decision(allowed=False, remaining=0, retry_after=_retry_after(limit, counts, now))


def give_back(decision: Decision, *, cache: BaseCache | None = None) -> None:
    """Take back an allowed hit (a sign-in's failure count, once the password was
    right); nothing when its step has already expired."""
    if decision.allowed and decision.counted:
        _decrement(cache if cache is not None else _default_cache(), decision.counted)


def check(limit: Limit, key: str, *, cache: BaseCache | None = None) -> Decision:
    """Would a hit be allowed now? Counts nothing."""
    store = cache if cache is not None else _default_cache()
    now = clock.now().timestamp()
    counts = _counts(store, _window_keys(limit, key, now))
    total = sum(c for _i, c in counts)
    if total < limit.count:
        return Decision(allowed=True, remaining=limit.count - total - 1, retry_after=None)
    return Decision(allowed=False, remaining=0, retry_after=_retry_after(limit, counts, now))


def retry_after(limit: Limit, key: str, *, cache: BaseCache | None = None) -> dt.timedelta | None:
    """How long until a hit against ``key`` would be allowed; None if it would be now."""
    return check(limit, key, cache=cache).retry_after


def reset(limit: Limit, key: str, *, cache: BaseCache | None = None) -> None:
    """Forget every hit counted against ``key`` in the current window."""
    store = cache if cache is not None else _default_cache()
    store.delete_many([k for _i, k in _window_keys(limit, key, clock.now().timestamp())])


def enforce(limit: Limit, key: str, *, cache: BaseCache | None = None) -> None:
    """:func:`hit`, raising :class:`ThrottledError` when refused."""
    decision = hit(limit, key, cache=cache)
    if not decision.allowed:
        assert decision.retry_after is not None
        raise ThrottledError(decision.retry_after)


def hit_all(limits: Iterable[tuple[Limit, str]], *, cache: BaseCache | None = None) -> Decision:
    """Hit every (limit, key) pair, each counted if it allows; refused if any refuses,
    with the longest wait among those that refused."""
    decisions = [hit(limit, key, cache=cache) for limit, key in limits]
    refused = [d.retry_after for d in decisions if not d.allowed and d.retry_after is not None]
    if refused:
        return Decision(allowed=False, remaining=0, retry_after=max(refused))
    return Decision(
        allowed=True,
        remaining=min((d.remaining for d in decisions), default=0),
        retry_after=None,
    )
