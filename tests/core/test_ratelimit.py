"""The one rate limiter, on each cache Dropline runs with."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dropline.core import clock, ratelimit
from dropline.core.ratelimit import Limit
from tests.support.examples import examples
from tests.support.services import need

REDIS_URL = os.environ.get("REDIS_URL", "")
START = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)


def _locmem() -> BaseCache:
    return LocMemCache(f"ratelimit-{uuid.uuid4().hex}", {})


DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "dropline_cache",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}


def _database(settings: Any) -> BaseCache:
    """The database cache as an install without REDIS_URL has it, whatever the tests use."""
    settings.CACHES = {"default": DATABASE_CACHE}
    call_command("createcachetable", verbosity=0)
    return DatabaseCache("dropline_cache", {"OPTIONS": {"MAX_ENTRIES": 1_000_000}})


def _redis() -> BaseCache:
    from django.core.cache.backends.redis import RedisCache

    store = RedisCache(REDIS_URL, {"KEY_PREFIX": f"ratelimit-test-{uuid.uuid4().hex}"})
    try:
        store.get("ping")
    except Exception:  # any failure means "not reachable"
        need(False, "REDIS_URL is set but Redis is not reachable")
    return store


@pytest.fixture(
    params=[
        "locmem",
        pytest.param("database", marks=pytest.mark.django_db),
        pytest.param("redis", marks=pytest.mark.redis),
    ]
)
def store(request: pytest.FixtureRequest) -> Iterator[BaseCache]:
    if request.param == "locmem":
        yield _locmem()
    elif request.param == "database":
        yield _database(request.getfixturevalue("settings"))
    else:
        need(bool(REDIS_URL), "REDIS_URL is not set")
        redis = _redis()
        yield redis
        redis.clear()


@pytest.fixture
def at_start() -> Iterator[None]:
    with clock.frozen(START):
        yield


def at(seconds: float) -> Any:
    return clock.frozen(START + dt.timedelta(seconds=seconds))


# --- the limit itself ---------------------------------------------------------------------


def test_a_limit_cuts_its_window_into_whole_second_steps():
    assert Limit("a", 5, 900).buckets == 60
    assert Limit("a", 5, 900).step == 15
    assert Limit("a", 5, 30).buckets == 30
    assert Limit("a", 5, 86_400).step == 1440
    assert Limit("a", 5, 7).buckets == 7
    assert Limit("a", 5, 3600, buckets=1).step == 3600
    assert Limit.per("a", 3, dt.timedelta(minutes=15)) == Limit("a", 3, 900)
    assert Limit("a", 3, 900).window == dt.timedelta(minutes=15)


@pytest.mark.parametrize(
    ("name", "count", "seconds", "buckets"),
    [("Bad Name", 1, 60, 0), ("a", 0, 60, 0), ("a", 1, 0, 0), ("a", 1, 60, 7), ("a", 1, 60, -1)],
)
def test_a_limit_that_makes_no_sense_is_refused(name, count, seconds, buckets):
    with pytest.raises(ValueError):  # noqa: PT011 - every one is a plain ValueError
        Limit(name, count, seconds, buckets)


def test_a_window_of_a_fraction_of_a_second_is_refused():
    with pytest.raises(ValueError, match="whole seconds"):
        Limit.per("a", 1, dt.timedelta(seconds=1.5))


# --- hits on every cache -----------------------------------------------------------------------


@pytest.mark.usefixtures("at_start")
def test_count_hits_are_allowed_then_refused_and_refusals_are_not_counted(store):
    limit = Limit("claim", 5, 900)
    decisions = [ratelimit.hit(limit, "826-0001", cache=store) for _ in range(5)]
    assert all(decisions)
    assert [d.remaining for d in decisions] == [4, 3, 2, 1, 0]
    refused = ratelimit.hit(limit, "826-0001", cache=store)
    assert not refused
    assert refused.retry_after == dt.timedelta(minutes=15)
    assert refused.minutes == 15
    assert refused.seconds == 900
    # Refusals are not counted: the first allowed hit still decides the wait.
    for _ in range(10):
        ratelimit.hit(limit, "826-0001", cache=store)
    assert not ratelimit.check(limit, "826-0001", cache=store)
    with at(900):
        assert ratelimit.hit(limit, "826-0001", cache=store)


@pytest.mark.usefixtures("at_start")
def test_keys_and_limits_are_counted_apart(store):
    one = Limit("one", 1, 60)
    other = Limit("other", 1, 60)
    assert ratelimit.hit(one, "a", cache=store)
    assert not ratelimit.hit(one, "a", cache=store)
    assert ratelimit.hit(one, "b", cache=store)
    assert ratelimit.hit(other, "a", cache=store)
    # The same name with other numbers is another limit.
    assert ratelimit.hit(Limit("one", 2, 60), "a", cache=store)


def test_a_sliding_window_forgets_each_hit_when_it_leaves(store):
    """Hits at minutes 0..4, refused from 5 to 14, the first leaves at 15 (the claim test)."""
    limit = Limit("claim", 5, 900)
    for minute in range(5):
        with at(minute * 60):
            assert ratelimit.hit(limit, "n", cache=store)
    for minute in range(5, 15):
        with at(minute * 60):
            decision = ratelimit.hit(limit, "n", cache=store)
            assert not decision
            assert decision.retry_after == dt.timedelta(minutes=15 - minute)
    with at(15 * 60 + 1):
        assert ratelimit.hit(limit, "n", cache=store)
        assert not ratelimit.hit(limit, "n", cache=store)  # the hit at minute 1 is still in
    with at(16 * 60 + 1):
        assert ratelimit.hit(limit, "n", cache=store)


def test_a_fixed_window_ends_at_the_clock_boundary(store):
    limit = Limit("fixed", 2, 3600, buckets=1)
    with at(1800):  # half way through an hour on the clock
        assert ratelimit.hit(limit, "k", cache=store)
        assert ratelimit.hit(limit, "k", cache=store)
        refused = ratelimit.hit(limit, "k", cache=store)
    assert refused.retry_after == dt.timedelta(minutes=30)
    with at(3599):
        assert not ratelimit.hit(limit, "k", cache=store)
    with at(3600):
        assert ratelimit.hit(limit, "k", cache=store)


@pytest.mark.usefixtures("at_start")
def test_check_counts_nothing_and_reset_forgets(store):
    limit = Limit("reset", 2, 600)
    assert ratelimit.check(limit, "k", cache=store).remaining == 1
    assert ratelimit.check(limit, "k", cache=store).remaining == 1
    ratelimit.hit(limit, "k", cache=store)
    ratelimit.hit(limit, "k", cache=store)
    assert not ratelimit.check(limit, "k", cache=store)
    assert ratelimit.retry_after(limit, "k", cache=store) == dt.timedelta(minutes=10)
    ratelimit.reset(limit, "k", cache=store)
    assert ratelimit.retry_after(limit, "k", cache=store) is None
    assert ratelimit.hit(limit, "k", cache=store)


@pytest.mark.usefixtures("at_start")
def test_enforce_raises_with_the_wait(store):
    limit = Limit("enforce", 1, 3600)
    ratelimit.enforce(limit, "k", cache=store)
    with pytest.raises(ratelimit.ThrottledError) as caught:
        ratelimit.enforce(limit, "k", cache=store)
    assert caught.value.retry_after == dt.timedelta(hours=1)
    assert caught.value.minutes == 60


@pytest.mark.usefixtures("at_start")
def test_hit_all_counts_every_limit_and_gives_the_longest_wait(store):
    per_ip = Limit("ip", 10, 3600, buckets=1)
    per_input = Limit("input", 1, 900, buckets=1)
    assert ratelimit.hit_all([(per_ip, "ip"), (per_input, "maria")], cache=store)
    refused = ratelimit.hit_all([(per_ip, "ip"), (per_input, "maria")], cache=store)
    assert not refused
    assert refused.retry_after == dt.timedelta(minutes=15)
    # The limit that allowed counted its hit, as recovery's limits do today.
    assert ratelimit.check(per_ip, "ip", cache=store).remaining == 10 - 2 - 1


@pytest.mark.usefixtures("at_start")
def test_no_address_or_number_appears_in_the_cache():
    store = _locmem()
    ratelimit.hit(Limit("reset_code_request:input", 3, 900), "maria@example.com", cache=store)
    ratelimit.hit(Limit("reset_code_request:input", 3, 900), "+13195550142", cache=store)
    keys = " ".join(str(k) for k in store._cache)  # type: ignore[attr-defined]
    assert "maria" not in keys
    assert "3195550142" not in keys
    assert ratelimit.subject_digest("maria@example.com") in keys


@pytest.mark.django_db
@pytest.mark.usefixtures("at_start")
def test_the_default_is_the_shared_cache():
    limit = Limit("default", 1, 60)
    assert ratelimit.hit(limit, "k")
    assert not ratelimit.hit(limit, "k")
    ratelimit.reset(limit, "k")
    assert ratelimit.hit(limit, "k")


# --- racing hits ---------------------------------------------------------------------------


def _race(store: BaseCache, limit: Limit, threads: int, hits: int) -> list[bool]:
    results: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        barrier.wait()
        mine = [ratelimit.hit(limit, "shared", cache=store).allowed for _ in range(hits)]
        with lock:
            results.extend(mine)

    with clock.frozen(START):
        workers = [threading.Thread(target=work) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    return results


@pytest.mark.redis
def test_racing_hits_on_redis_never_pass_the_limit_nor_lose_a_count():
    need(bool(REDIS_URL), "REDIS_URL is not set")
    store = _redis()
    try:
        tight = Limit("race", 25, 3600)
        results = _race(store, tight, threads=8, hits=10)
        assert 0 < results.count(True) <= 25
        # With room for every hit, every increment lands: none is lost to a race.
        roomy = Limit("race-roomy", 1000, 3600)
        assert all(_race(store, roomy, threads=8, hits=25))
        with clock.frozen(START):
            assert ratelimit.check(roomy, "shared", cache=store).remaining == 1000 - 200 - 1
    finally:
        store.clear()


@pytest.mark.redis
@pytest.mark.parametrize("given", [True, False], ids=["cache given", "default cache"])
def test_on_redis_a_hit_and_a_give_back_are_one_round_trip_each(monkeypatch, settings, given):
    need(bool(REDIS_URL), "REDIS_URL is not set")
    import redis
    from django.core.cache import caches

    prefix = f"ratelimit-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    store = caches["default"]
    use = store if given else None  # None: the default cache, as nearly every caller
    limit = Limit("trips", 2, 60)
    with clock.frozen(START):  # Redis learns the two scripts (once per server)
        ratelimit.give_back(ratelimit.hit(limit, "warm-up", cache=store), cache=store)
    sent: list[str] = []
    execute = redis.Redis.execute_command

    def counting(self: Any, *args: Any, **options: Any) -> Any:
        sent.append(str(args[0]))
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    try:
        with clock.frozen(START):
            first = ratelimit.hit(limit, "k", cache=use)
            assert len(sent) == 1
            ratelimit.give_back(first, cache=use)
            assert len(sent) == 2
            assert ratelimit.hit(limit, "k", cache=use)
            assert ratelimit.hit(limit, "k", cache=use)
            assert len(sent) == 4
            refused = ratelimit.hit(limit, "k", cache=use)
            assert not refused
            assert refused.retry_after is not None
            assert len(sent) == 5
            # The refused hit was taken back on the server: still exactly two counted.
            assert ratelimit.check(limit, "k", cache=use).remaining == 0
        with at(61):  # the two hits have left the window: allowed again
            assert ratelimit.hit(limit, "k", cache=use)
    finally:
        store.clear()


def test_racing_hits_in_the_local_memory_cache_never_pass_the_limit():
    store = _locmem()
    assert 0 < _race(store, Limit("race", 25, 3600), threads=8, hits=10).count(True) <= 25
    roomy = Limit("race-roomy", 1000, 3600)
    assert all(_race(store, roomy, threads=8, hits=25))
    with clock.frozen(START):
        assert ratelimit.check(roomy, "shared", cache=store).remaining == 1000 - 200 - 1


# --- properties ----------------------------------------------------------------------------


@st.composite
def limits(draw: st.DrawFn) -> Limit:
    seconds = draw(st.sampled_from([7, 30, 60, 900, 3600, 86_400]))
    divisors = [n for n in range(1, min(seconds, 60) + 1) if seconds % n == 0]
    buckets = draw(st.sampled_from([0, *divisors]))
    return Limit("prop", draw(st.integers(1, 6)), seconds, buckets)


def _model_allows(limit: Limit, allowed_at: list[float], now: float) -> bool:
    """The rule the module states: a hit counts until its step ends its last window."""
    current = int(now // limit.step)
    live = [t for t in allowed_at if int(t // limit.step) > current - limit.buckets]
    return len(live) < limit.count


@hypothesis_settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    limit=limits(),
    offset=st.floats(0, 86_400, allow_nan=False),
    gaps=st.lists(st.floats(0, 1.5, allow_nan=False), min_size=1, max_size=40),
)
def test_hits_follow_the_stated_window_rule(limit, offset, gaps):
    store = _locmem()
    now = START.timestamp() + offset
    allowed_at: list[float] = []
    for gap in gaps:
        now += gap * limit.seconds / 4
        when = dt.datetime.fromtimestamp(now, tz=dt.UTC)
        with clock.frozen(when):
            expected = _model_allows(limit, allowed_at, when.timestamp())
            decision = ratelimit.hit(limit, "k", cache=store)
        assert decision.allowed == expected
        if decision.allowed:
            allowed_at.append(when.timestamp())
        else:
            # Never more than one window, never less than the window less one step.
            assert decision.retry_after is not None
            assert dt.timedelta(0) < decision.retry_after <= limit.window
    # Never more than ``count`` allowed in any stretch shorter than the window less a step.
    span = limit.seconds - limit.step
    for i, first in enumerate(allowed_at):
        inside = [t for t in allowed_at[i:] if t - first < span]
        assert len(inside) <= limit.count


@hypothesis_settings(max_examples=examples(100), deadline=None)
@given(limit=limits(), offset=st.floats(0, 86_400, allow_nan=False))
def test_the_wait_given_is_exact(limit, offset):
    store = _locmem()
    when = START + dt.timedelta(seconds=offset)
    with clock.frozen(when):
        for _ in range(limit.count):
            assert ratelimit.hit(limit, "k", cache=store)
        refused = ratelimit.hit(limit, "k", cache=store)
    assert refused.retry_after is not None
    assert limit.window - dt.timedelta(seconds=limit.step) < refused.retry_after <= limit.window
    with clock.frozen(when + refused.retry_after - dt.timedelta(milliseconds=1)):
        assert not ratelimit.check(limit, "k", cache=store)
    with clock.frozen(when + refused.retry_after):
        assert ratelimit.check(limit, "k", cache=store)
