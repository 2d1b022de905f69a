"""One-time codes: the rules every code flow shares, and the cache store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.utils.crypto import salted_hmac
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dropline.core import clock, onetime
from dropline.core.onetime import CacheCodes, CodePolicy, Outcome, StoredCode
from tests.support.examples import examples
from tests.support.services import need

REDIS_URL = os.environ.get("REDIS_URL", "")
START = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)
RESET = CodePolicy("reset_code", lifetime=dt.timedelta(minutes=15), max_attempts=5)
SMS = CodePolicy(
    "sms_sign_in",
    lifetime=dt.timedelta(minutes=10),
    key_salt="dropline.accounts.sms_sign_in_code",
    resend_after=dt.timedelta(seconds=30),
    max_sends=5,
)
CONTACT = CodePolicy(
    "contact_verification",
    lifetime=dt.timedelta(minutes=15),
    accept_password_hashes=True,
    max_sends=5,
)


def minutes(n: float) -> Any:
    return clock.frozen(START + dt.timedelta(minutes=n))


@pytest.fixture(
    params=[
        "locmem",
        pytest.param("database", marks=pytest.mark.django_db),
        pytest.param("redis", marks=pytest.mark.redis),
    ]
)
def store(request: pytest.FixtureRequest, settings: Any) -> Iterator[BaseCache]:
    if request.param == "locmem":
        yield LocMemCache(f"onetime-{uuid.uuid4().hex}", {})
    elif request.param == "database":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "dropline_cache",
            }
        }
        call_command("createcachetable", verbosity=0)
        yield DatabaseCache("dropline_cache", {})
    else:
        need(bool(REDIS_URL), "REDIS_URL is not set")
        from django.core.cache.backends.redis import RedisCache

        redis = RedisCache(REDIS_URL, {"KEY_PREFIX": f"onetime-test-{uuid.uuid4().hex}"})
        yield redis
        redis.clear()


# --- codes and hashes ------------------------------------------------------------------------


def test_codes_are_digits_of_the_policy_length_and_vary():
    codes = {onetime.generate(RESET) for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150
    eight = CodePolicy("eight", lifetime=dt.timedelta(minutes=1), digits=8)
    assert len(onetime.generate(eight)) == 8


def test_a_hash_is_keyed_salted_and_fits_a_code_hash_column():
    stored = onetime.hash_code(RESET, "123456")
    scheme, nonce, digest = stored.split("$")
    assert scheme == "hmac-sha256"
    assert len(stored) <= 128
    assert "123456" not in stored
    assert onetime.hash_code(RESET, "123456") != stored  # a new nonce each time
    assert onetime.code_matches(RESET, "123456", stored)
    assert not onetime.code_matches(RESET, "123457", stored)
    # Another purpose's key does not match.
    assert not onetime.code_matches(CONTACT, "123456", stored)
    other_last = "1" if digest.endswith("0") else "0"  # always a different digest
    assert not onetime.code_matches(RESET, "123456", f"{scheme}${nonce}${digest[:-1]}{other_last}")
    assert not onetime.code_matches(RESET, "123456", "")
    assert not onetime.code_matches(RESET, "123456", "junk")


def test_codes_the_sms_factor_stored_before_still_match():
    """The SMS factor's own format: salted_hmac(its salt, "nonce:code"), so rows written
    before the rewiring keep working."""
    nonce = "0123456789abcdef"
    digest = salted_hmac(
        "dropline.accounts.sms_sign_in_code", f"{nonce}:424242", algorithm="sha256"
    ).hexdigest()
    assert onetime.code_matches(SMS, "424242", f"hmac-sha256${nonce}${digest}")
    assert not onetime.code_matches(RESET, "424242", f"hmac-sha256${nonce}${digest}")


def test_password_hashes_match_only_where_the_policy_accepts_them():
    legacy = make_password("654321")
    assert onetime.code_matches(CONTACT, "654321", legacy)
    assert not onetime.code_matches(CONTACT, "654322", legacy)
    assert not onetime.code_matches(RESET, "654321", legacy)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456"), ("12345", None)],
)
def test_typed_codes_are_forgiven_spaces_and_dashes_only(typed, expected):
    assert onetime.well_formed(RESET, typed) == expected
    assert onetime.well_formed(RESET, "12a456") is None
    assert (
        onetime.well_formed(RESET, "\uff11\uff12\uff13\uff14\uff15\uff16") is None
    )  # full-width digits are not ASCII


def test_a_policy_that_makes_no_sense_is_refused():
    with pytest.raises(ValueError, match="purpose"):
        CodePolicy("Bad Purpose", lifetime=dt.timedelta(minutes=1))
    with pytest.raises(ValueError, match="digits"):
        CodePolicy("a", lifetime=dt.timedelta(minutes=1), digits=3)
    with pytest.raises(ValueError, match="lifetime"):
        CodePolicy("a", lifetime=dt.timedelta(0))


# --- verifying against a stored record (the database-row flows) -----------------------------


def stored_for(policy: CodePolicy, code: str, **changes: Any) -> StoredCode:
    record = StoredCode(
        code_hash=onetime.hash_code(policy, code), expires_at=START + policy.lifetime
    )
    return dataclasses.replace(record, **changes)


def test_the_checks_come_in_order_expired_then_tries_then_the_code():
    at = START
    check = onetime.verify
    assert check(SMS, None, "111111", now=at).outcome is Outcome.EXPIRED
    assert check(SMS, stored_for(SMS, "111111", used=True), "111111", now=at).outcome is (
        Outcome.EXPIRED
    )
    late = START + SMS.lifetime
    assert check(SMS, stored_for(SMS, "111111"), "111111", now=late).outcome is Outcome.EXPIRED
    spent = stored_for(SMS, "111111", attempts=5)
    assert check(SMS, spent, "111111", now=at).outcome is Outcome.TOO_MANY_ATTEMPTS
    assert check(SMS, stored_for(SMS, "111111", attempts=4), "111111", now=at).ok


def test_each_wrong_try_is_counted_and_says_how_many_are_left():
    record = stored_for(SMS, "111111")
    left = []
    for _ in range(5):
        verdict = onetime.verify(SMS, record, "222222", now=START)
        assert verdict.outcome is Outcome.WRONG
        assert verdict.counted
        record = dataclasses.replace(record, attempts=verdict.attempts)
        left.append(verdict.attempts_left)
    assert left == [4, 3, 2, 1, 0]
    final = onetime.verify(SMS, record, "111111", now=START)
    assert final.outcome is Outcome.TOO_MANY_ATTEMPTS
    assert not final.counted
    assert final.attempts == 5


def test_the_right_code_is_accepted_and_counted_as_a_try():
    verdict = onetime.verify(SMS, stored_for(SMS, "111111", attempts=2), "111111", now=START)
    assert verdict.ok
    assert verdict.counted
    assert verdict.attempts == 3


def test_a_bound_code_dies_when_its_context_changes():
    issued = onetime.issue(RESET, context="password-hash-1", now=START)
    record = StoredCode(
        code_hash=issued.code_hash,
        expires_at=issued.expires_at,
        context_mark=issued.context_mark,
    )
    assert "password-hash-1" not in issued.context_mark
    assert onetime.verify(RESET, record, issued.code, context="password-hash-1", now=START).ok
    changed = onetime.verify(RESET, record, issued.code, context="password-hash-2", now=START)
    assert changed.outcome is Outcome.EXPIRED
    assert onetime.verify(RESET, record, issued.code, now=START).outcome is Outcome.EXPIRED


def test_issue_gives_the_code_once_and_what_to_store():
    issued = onetime.issue(CONTACT, now=START)
    assert issued.created_at == START
    assert issued.expires_at == START + dt.timedelta(minutes=15)
    assert issued.context_mark == ""
    assert onetime.code_matches(CONTACT, issued.code, issued.code_hash)


def test_sends_are_held_back_too_soon_and_too_often():
    now = START + dt.timedelta(hours=2)
    assert onetime.send_check(SMS, [], now=now).allowed
    just_sent = onetime.send_check(SMS, [now - dt.timedelta(seconds=12)], now=now)
    assert just_sent.too_soon
    assert just_sent.wait_seconds == 18
    five = [now - dt.timedelta(minutes=m) for m in (1, 10, 20, 30, 59)]
    busy = onetime.send_check(SMS, five, now=now)
    assert busy.too_many
    assert not busy.too_soon
    assert busy.wait == dt.timedelta(minutes=1)
    # A send exactly an hour ago no longer counts.
    assert onetime.send_check(SMS, [*five[:4], now - dt.timedelta(hours=1)], now=now).allowed
    assert onetime.send_check(RESET, five, now=now).allowed  # no count in this policy


@hypothesis_settings(max_examples=examples(200), deadline=None)
@given(
    attempts=st.integers(0, 8),
    age=st.integers(0, 30 * 60),
    used=st.booleans(),
    right=st.booleans(),
)
def test_a_code_is_accepted_exactly_when_every_rule_allows(attempts, age, used, right):
    record = stored_for(SMS, "314159", attempts=attempts, used=used)
    typed = "314159" if right else "271828"
    verdict = onetime.verify(SMS, record, typed, now=START + dt.timedelta(seconds=age))
    live = not used and age < SMS.lifetime.total_seconds()
    assert verdict.ok == (live and attempts < SMS.max_attempts and right)
    assert verdict.counted == (live and attempts < SMS.max_attempts)
    assert verdict.attempts == attempts + int(verdict.counted)
    assert 0 <= verdict.attempts_left <= SMS.max_attempts - 1


# --- one live code per subject in the cache (the reset code) ---------------------------------


def test_a_cached_code_works_once(store):
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("user:1")
    with minutes(1):
        assert codes.verify("user:1", issued.code).ok
        assert codes.verify("user:1", issued.code).outcome is Outcome.EXPIRED


def test_only_the_newest_cached_code_works(store):
    codes = CacheCodes(RESET, cache=store)
    made = ["111111", "222222", "333333"]  # distinct codes, so the test cannot pass by luck
    with minutes(0), mock.patch.object(onetime, "generate", side_effect=made):
        first = codes.issue("user:1")
        second = codes.issue("user:1")
        other = codes.issue("user:2")
    with minutes(1):
        assert codes.verify("user:1", first.code).outcome is Outcome.WRONG
        assert codes.verify("user:1", second.code).ok
        assert codes.verify("user:2", other.code).ok


def test_a_cached_code_expires_with_its_lifetime(store):
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("user:1")
    with minutes(15):
        assert codes.verify("user:1", issued.code).outcome is Outcome.EXPIRED
    with minutes(14.9):
        assert codes.verify("user:1", issued.code).ok


def test_five_wrong_tries_kill_the_cached_code(store):
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("user:1")
        wrong = f"{(int(issued.code) + 1) % 10**6:06d}"
        outcomes = [codes.verify("user:1", wrong).outcome for _ in range(5)]
        assert outcomes == [Outcome.WRONG] * 5
        assert codes.peek("user:1").attempts == 5  # type: ignore[union-attr]
        assert codes.verify("user:1", issued.code).outcome is Outcome.TOO_MANY_ATTEMPTS


def test_check_then_consume_as_the_reset_does(store):
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("user:1", context="hash-1")
        assert codes.verify("user:1", issued.code, context="hash-1", consume=False).ok
        assert codes.verify("user:1", issued.code, context="hash-1", consume=False).ok
        assert not codes.consume("user:1", issued.code, context="hash-2")
        assert codes.consume("user:1", issued.code, context="hash-1")
        assert not codes.consume("user:1", issued.code, context="hash-1")


def test_a_revoked_code_stops_working(store):
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("user:1")
        codes.revoke("user:1")
        assert codes.verify("user:1", issued.code).outcome is Outcome.EXPIRED


def test_no_subject_or_code_appears_in_the_cache():
    store = LocMemCache(f"onetime-{uuid.uuid4().hex}", {})
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("maria@example.com")
    keys = " ".join(str(k) for k in store._cache)  # type: ignore[attr-defined]
    assert "maria" not in keys
    assert issued.code not in str(store.get(codes.key("maria@example.com")))


@pytest.mark.django_db
def test_the_default_store_is_the_shared_cache():
    codes = CacheCodes(RESET)
    with minutes(0):
        issued = codes.issue("user:9")
        assert codes.verify("user:9", issued.code).ok


def test_racing_right_answers_use_a_cached_code_only_once():
    store = LocMemCache(f"onetime-{uuid.uuid4().hex}", {})
    codes = CacheCodes(RESET, cache=store)
    with minutes(0):
        issued = codes.issue("user:1")
    results: list[bool] = []
    barrier = threading.Barrier(6)

    def use() -> None:
        barrier.wait()
        results.append(codes.consume("user:1", issued.code))

    with minutes(1):  # the clock is one for all threads: hold it outside them
        workers = [threading.Thread(target=use) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert results.count(True) == 1
