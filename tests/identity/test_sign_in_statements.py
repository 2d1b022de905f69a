"""What one sign-in costs in SQL statements, pinned so it can only go down deliberately.

Counted with a cache that is not the database (Redis at scale; here the local-memory
cache in its place), so the figures are the statements the features need:

- the login, looked up once (``UPPER(username)``; the password check reuses the row),
  with what the later steps ask of it in the same statement: a verified e-mail address,
  an authenticator, a text-message factor, whether this device signed in before;
- ``last_login``;
- the session list's row, one ``INSERT`` (ended sessions are left to the list's reads and
  the hourly sweep);
- the security event, one ``INSERT``; a new device also asks whether there were
  earlier sign-ins and queues its alert;
- the session itself, one ``INSERT`` when the response is sent.

Savepoints are left out of the counts: the tests run inside a transaction, where
Django adds them around the writes that are atomic blocks of their own.
``bench/login.py`` measures the time.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dropline.accounts.models import SecurityEvent, SecurityEventKind
from dropline.notifications.models import Message
from tests.support.factories import PASSWORD, make_customer

pytestmark = pytest.mark.django_db

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
LOGIN = "/accounts/login/"
APP_LOGIN = "/_allauth/app/v1/auth/login"

# The counts: lower them here when a sign-in needs fewer.
WEB_KNOWN_DEVICE = 5
WEB_NEW_DEVICE = 14  # + earlier sign-ins?, the alert: account, quiet hours, contacts, 2 queued
APP_KNOWN_DEVICE = 6  # + the primary address, for the answer's user


@pytest.fixture(autouse=True)
def _cache_without_sql(settings) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _statements(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))
    ]


def _web_sign_in(user_agent: str) -> list[str]:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="198.51.100.7")
    assert client.get(LOGIN).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.post(LOGIN, {"login": "ann", "password": PASSWORD})
    statements = _statements(queries)  # before the next request resets Django's log
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200  # signed in
    return statements


def _app_sign_in(user_agent: str) -> list[str]:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="198.51.100.7")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            APP_LOGIN, {"username": "ann", "password": PASSWORD}, content_type="application/json"
        )
    statements = _statements(queries)  # before the next request resets Django's log
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    session = client.get("/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token)
    assert session.status_code == 200  # the token is a live session
    return statements


def _sign_ins() -> int:
    return SecurityEvent.objects.filter(kind=SecurityEventKind.SIGN_IN).count()


def _writes(statements: list[str]) -> list[str]:
    return [" ".join(sql.split()[:3]) for sql in statements if not sql.startswith("SELECT")]


def test_a_web_sign_in_from_a_known_device() -> None:
    make_customer(username="ann")
    _web_sign_in(CHROME_WINDOWS)

    statements = _web_sign_in(CHROME_WINDOWS)

    assert len(statements) == WEB_KNOWN_DEVICE, "\n".join(statements)
    assert _writes(statements) == [
        'UPDATE "accounts_user" SET',
        'INSERT INTO "usersessions_usersession"',
        'INSERT INTO "accounts_securityevent"',
        'INSERT INTO "django_session"',
    ]
    assert sum('FROM "accounts_user"' in sql for sql in statements) == 1
    assert _sign_ins() == 2
    assert not Message.objects.filter(event="security_alert.new_device").exists()


def test_a_web_sign_in_from_a_new_device_also_queues_its_alert() -> None:
    make_customer(username="ann")
    _web_sign_in(CHROME_WINDOWS)
    alerts_before = Message.objects.count()

    statements = _web_sign_in(FIREFOX_LINUX)

    assert len(statements) == WEB_NEW_DEVICE, "\n".join(statements)
    assert sum(sql.startswith('INSERT INTO "notifications_message"') for sql in statements) == 2
    assert Message.objects.count() == alerts_before + 2
    assert _sign_ins() == 2


def test_an_app_sign_in_from_a_known_device() -> None:
    make_customer(username="ann")
    _app_sign_in(CHROME_WINDOWS)

    statements = _app_sign_in(CHROME_WINDOWS)

    assert len(statements) == APP_KNOWN_DEVICE, "\n".join(statements)
    assert sum('FROM "accounts_user"' in sql for sql in statements) == 1
    assert _sign_ins() == 2


def test_the_steps_found_with_the_login_still_stop_a_sign_in_that_needs_them() -> None:
    """The verified address and the second factors are read with the login, not by each
    step: a login without a verified address is still sent to verify one, and one with
    an authenticator app still asks for its code, whether typed by username or address."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    cases = {
        "ann": reverse("account_email_verification_sent"),
        "bea@example.com": reverse("account_email_verification_sent"),
        "cid": reverse("mfa_authenticate"),
        "dee@example.com": reverse("mfa_authenticate"),
    }
    for name in ("ann", "bea", "cid", "dee"):
        make_customer(username=name)
    EmailAddress.objects.filter(user__username__in=["ann", "bea"]).update(verified=False)
    for address in EmailAddress.objects.filter(user__username__in=["cid", "dee"]):
        Authenticator.objects.create(
            user_id=address.user_id, type=Authenticator.Type.TOTP, data={"secret": "X"}
        )
    for login, step in cases.items():
        client = Client(HTTP_USER_AGENT=CHROME_WINDOWS)
        response = client.post(LOGIN, {"login": login, "password": PASSWORD})
        assert response.status_code == 302, login
        assert response["Location"] == step, login
        assert client.get("/").status_code == 302, login  # not signed in


def test_the_login_is_found_as_typed_in_any_case_and_wildcards_match_only_themselves() -> None:
    from dropline.accounts.queries import sign_in_fact, user_for_sign_in

    make_customer(username="a_b")
    make_customer(username="ann")
    found = user_for_sign_in("  A_B ", device_fingerprint="x")
    assert found is not None
    assert found.username == "a_b"
    assert sign_in_fact(found, "has_verified_email") is True
    assert sign_in_fact(found, "has_app_factor") is False
    assert user_for_sign_in("aXb", device_fingerprint="x") is None  # "_" is no wildcard
    assert user_for_sign_in("a%", device_fingerprint="x") is None
    by_address = user_for_sign_in("ANN@example.com", device_fingerprint="x")
    assert by_address is not None
    assert by_address.username == "ann"
    assert user_for_sign_in("", device_fingerprint="x") is None
