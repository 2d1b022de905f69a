"""The mobile app's session token lives like a web session: 60 minutes without use
end it, use moves that on, and 24 hours after sign-in it ends however busy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dropline.accounts.models import SecurityEvent
from dropline.core import clock
from tests.support.factories import PASSWORD, make_customer

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
CURRENT_SESSION = f"{APP}/auth/session"
ME = "/api/v1/me"
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def ann() -> Any:
    return make_customer(username="ann")


def app() -> Client:
    return Client(HTTP_USER_AGENT="Dropline-App/2.4 (Android 14)")


def sign_in() -> str:
    response = app().post(
        f"{APP}/auth/login",
        {"username": "ann", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["meta"]["session_token"])


def api(token: str) -> int:
    return int(app().get(ME, HTTP_X_SESSION_TOKEN=token).status_code)


def allauth(token: str) -> int:
    return int(app().get(CURRENT_SESSION, HTTP_X_SESSION_TOKEN=token).status_code)


def test_use_moves_the_idle_expiry_on(ann):
    start = clock.now()
    with clock.frozen(start):
        token = sign_in()
        assert api(token) == 200
    # Used every 50 minutes, through either door, it outlives its first hour.
    with clock.frozen(start + 50 * MINUTE):
        assert allauth(token) == 200
    with clock.frozen(start + 100 * MINUTE):
        assert api(token) == 200
    with clock.frozen(start + 149 * MINUTE):
        assert api(token) == 200


def test_use_moves_the_stored_expiry_on(ann):
    """What ends an idle token in production: the session's stored expiry."""
    token = sign_in()
    soon = timezone.now() + MINUTE  # as if unused for 59 minutes
    Session.objects.filter(session_key=token).update(expire_date=soon)

    assert api(token) == 200

    renewed = Session.objects.get(session_key=token).expire_date
    assert renewed >= timezone.now() + 59 * MINUTE


def test_an_idle_token_ends_after_60_minutes(ann):
    start = clock.now()
    with clock.frozen(start):
        token = sign_in()
        assert api(token) == 200
    with clock.frozen(start + 59 * MINUTE):
        assert api(token) == 200
    with clock.frozen(start + 120 * MINUTE):
        assert api(token) == 401
    assert allauth(token) == 410  # allauth's answer for a session that has ended
    assert not Session.objects.filter(session_key=token).exists()
    assert SecurityEvent.objects.filter(user=ann.user, kind="sign_out").count() == 1


def test_a_token_ends_24_hours_after_sign_in_however_busy(ann):
    start = clock.now()
    with clock.frozen(start):
        token = sign_in()
        assert api(token) == 200
    used_at = start
    while used_at + 50 * MINUTE < start + dt.timedelta(hours=24):
        used_at += 50 * MINUTE
        with clock.frozen(used_at):
            assert api(token) == 200, used_at - start
    with clock.frozen(start + dt.timedelta(hours=23, minutes=59)):
        assert allauth(token) == 200

    with clock.frozen(start + dt.timedelta(hours=24, minutes=1)):
        assert api(token) == 401  # used two minutes ago, but 24 hours old
    with clock.frozen(start + dt.timedelta(hours=24, minutes=2)):
        assert allauth(token) == 410
        # Signing in again starts a new day.
        fresh = sign_in()
        assert api(fresh) == 200
    with clock.frozen(start + dt.timedelta(hours=25)):
        assert api(fresh) == 200


def test_a_24_hour_old_token_is_refused_by_allauth_too(ann):
    start = clock.now()
    with clock.frozen(start):
        token = sign_in()
        assert allauth(token) == 200
    used_at = start
    for _ in range(29):
        used_at += 50 * MINUTE
        with clock.frozen(used_at):
            status = allauth(token)
    assert used_at > start + dt.timedelta(hours=24)
    assert status == 410
    assert api(token) == 401


def test_one_session_save_per_request(ann):
    token = sign_in()
    api(token)  # the first use stamps the sign-in time
    with CaptureQueriesContext(connection) as queries:
        assert api(token) == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(writes) == 1, writes


def test_a_pending_login_is_not_kept_alive_or_signed_in(ann):
    from dropline.accounts.second_factor import enrol_authenticator_app
    from tests.support.factories import STAFF_TOTP_SECRET
    from tests.support.totp import code_with_time_to_spare

    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    client = app()
    login = client.post(
        f"{APP}/auth/login",
        {"username": "ann", "password": PASSWORD},
        content_type="application/json",
    )
    pending = login.json()["meta"]["session_token"]
    expiry = Session.objects.get(session_key=pending).expire_date

    assert api(pending) == 401
    assert Session.objects.get(session_key=pending).expire_date == expiry  # not renewed
    done = client.post(
        f"{APP}/auth/2fa/authenticate",
        {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=pending,
    )
    assert done.status_code == 200
    assert api(done.json()["meta"]["session_token"]) == 200


def test_the_24_hours_count_from_the_sign_in_not_from_the_first_use(ann):
    """A token first used 50 minutes after signing in still ends 24 hours after the
    sign-in, not 24 hours after that first use."""
    start = clock.now()
    with clock.frozen(start):
        token = sign_in()
    used_at = start + 50 * MINUTE
    while used_at < start + dt.timedelta(hours=24):
        with clock.frozen(used_at):
            assert api(token) == 200
        used_at += 50 * MINUTE
    with clock.frozen(start + dt.timedelta(hours=24) + MINUTE):
        assert api(token) == 401
