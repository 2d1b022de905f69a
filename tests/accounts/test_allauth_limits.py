"""allauth's rate limits on Dropline's one limiter (``dropline.accounts.allauth_limits``):
concurrent failures are each counted exactly once, a right password gives its count
back, and a refused attempt is refused by allauth as before."""

from __future__ import annotations

import os
import threading

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.test import RequestFactory

from dropline.accounts import allauth_limits
from dropline.core import ratelimit
from tests.support.services import need

RATE = allauth_ratelimit.Rate(amount=1000, duration=300, per="key")
LIMIT = allauth_limits.limit_for(app="allauth.account", action="login_failed", rate=RATE)
THREADS, EACH = 8, 5


def _request():
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9")


def _counted(key: str) -> int:
    assert LIMIT is not None
    subject = allauth_limits._subject(_request(), rate=RATE, key=key, user=None)
    return RATE.amount - ratelimit.check(LIMIT, subject).remaining - 1


def _fail_concurrently(key: str) -> list[object]:
    usages: list[object] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def failures() -> None:
        start.wait()
        for _ in range(EACH):
            usage = allauth_limits.consume_single_rate(
                _request(), app="allauth.account", action="login_failed", rate=RATE, key=key
            )
            with lock:
                usages.append(usage)

    threads = [threading.Thread(target=failures) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return usages


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def shared_cache(request, settings):
    if request.param == "locmem":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "allauth-limits-test",
            }
        }
    else:
        need(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": "allauth-limits-test",
            }
        }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_allauth_counts_with_droplines_limiter() -> None:
    assert allauth_ratelimit._consume_single_rate is allauth_limits.consume_single_rate
    assert allauth_ratelimit.clear is allauth_limits.clear


def test_concurrent_failures_are_each_counted_exactly_once(shared_cache) -> None:
    usages = _fail_concurrently("maria@203.0.113.9")

    assert all(usages)
    assert _counted("maria@203.0.113.9") == THREADS * EACH
    assert _counted("someone-else@203.0.113.9") == 0


def test_giving_back_concurrently_leaves_exactly_what_was_not_given_back(shared_cache) -> None:
    usages = _fail_concurrently("maria@203.0.113.9")
    given_back = usages[::2]

    threads = [threading.Thread(target=u.rollback) for u in given_back]  # type: ignore[attr-defined]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert _counted("maria@203.0.113.9") == THREADS * EACH - len(given_back)


def test_past_the_limit_allauth_refuses_and_the_refusal_is_not_counted(shared_cache) -> None:
    rate = allauth_ratelimit.Rate(amount=3, duration=60, per="ip")
    answers = [
        allauth_limits.consume_single_rate(
            _request(), app="allauth.account", action="login_failed", rate=rate
        )
        for _ in range(5)
    ]

    assert [bool(a) for a in answers] == [True, True, True, False, False]
    with pytest.raises(allauth_ratelimit.RateLimited):
        allauth_limits.consume_single_rate(
            _request(),
            app="allauth.account",
            action="login_failed",
            rate=rate,
            raise_exception=True,
        )
    answers[0].rollback()
    assert allauth_limits.consume_single_rate(
        _request(), app="allauth.account", action="login_failed", rate=rate
    )
