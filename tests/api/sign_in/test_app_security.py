"""The mobile app's sign-in through allauth headless (``app`` client, session tokens),
and what protects it: the second factor, rate limits, identical answers for unknown
accounts, and session tokens that stop working the moment their session is ended.

The app talks JSON to ``/_allauth/app/v1/...`` and to ``/api/v1/...`` with the
``X-Session-Token`` header; it never has a cookie.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from allauth.account import app_settings as account_settings
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client

from dropline.accounts.models import SecurityEvent
from dropline.accounts.second_factor import current_code, enrol_authenticator_app
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, Customer, make_customer
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
LOGIN = f"{APP}/auth/login"
TWO_FACTOR = f"{APP}/auth/2fa/authenticate"
APP_SESSIONS = f"{APP}/auth/sessions"
CURRENT_SESSION = f"{APP}/auth/session"
ME = "/api/v1/me"
PHONE_UA = "Dropline-App/2.3 (Android 14; Pixel 8) okhttp/4.12.0"
ADAPTER = "dropline.identity.sessions.UserSessionsAdapter"


@pytest.fixture
def ann() -> Customer:
    return make_customer(username="ann")


@pytest.fixture
def ann_with_totp(ann: Customer) -> Customer:
    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    # Codes here come from the real clock: start with most of a 30-second period left,
    # so a code read at the start of a test is still the current one at its end.
    left = 30 - time.time() % 30
    if left < 10:
        time.sleep(left + 0.05)
    return ann


@pytest.fixture
def ned() -> Customer:
    return make_customer(username="ned", name="Ned Household")


def app_client(ip: str = "203.0.113.9") -> Client:
    return Client(HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR=ip)


def post(client: Client, url: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers: dict[str, Any] = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    return client.post(url, body, content_type="application/json", **headers)


def me(token: str) -> Any:
    """``/api/v1/me`` as the app calls it: the token and nothing else (no cookies)."""
    return Client().get(ME, HTTP_X_SESSION_TOKEN=token)


def sign_in(username: str, password: str = PASSWORD, *, ip: str = "203.0.113.9") -> str:
    """The app's sign-in for someone without a second factor: the session token."""
    response = post(app_client(ip), LOGIN, {"username": username, "password": password})
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["is_authenticated"] is True
    return str(response.json()["meta"]["session_token"])


def sign_in_with_totp(username: str, *, code: str | None = None) -> str:
    client = app_client()
    first = post(client, LOGIN, {"username": username, "password": PASSWORD})
    assert first.status_code == 401, first.content
    pending = first.json()["meta"]["session_token"]
    second = post(
        client, TWO_FACTOR, {"code": code or code_with_time_to_spare(STAFF_TOTP_SECRET)}, pending
    )
    assert second.status_code == 200, second.content
    return str(second.json()["meta"]["session_token"])


# --- password, then the authenticator app, then the API ------------------------------------


def test_app_signs_in_with_password_and_totp_and_uses_the_api(ann_with_totp):
    client = app_client()
    login = post(client, LOGIN, {"username": "ann", "password": PASSWORD})

    # The password was right; the second factor is what is pending.
    assert login.status_code == 401
    body = login.json()
    assert body["meta"]["is_authenticated"] is False
    flows = {flow["id"]: flow for flow in body["data"]["flows"]}
    assert flows["mfa_authenticate"]["is_pending"] is True
    assert "totp" in flows["mfa_authenticate"]["types"]
    pending_token = body["meta"]["session_token"]
    # Half signed in is not signed in.
    assert me(pending_token).status_code == 401

    done = post(
        client, TWO_FACTOR, {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}, pending_token
    )

    assert done.status_code == 200, done.content
    assert done.json()["meta"]["is_authenticated"] is True
    methods = [m["method"] for m in done.json()["data"]["methods"]]
    assert methods == ["password", "mfa"]
    token = done.json()["meta"]["session_token"]
    assert token != pending_token  # signing in gives the session a new key
    profile = me(token)
    assert profile.status_code == 200
    assert profile.json()["account"]["number"] == ann_with_totp.account.number
    assert me(pending_token).status_code == 401


def test_a_wrong_totp_code_is_refused(ann_with_totp):
    client = app_client()
    pending = post(client, LOGIN, {"username": "ann", "password": PASSWORD}).json()["meta"][
        "session_token"
    ]
    right = code_with_time_to_spare(STAFF_TOTP_SECRET)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    refused = post(client, TWO_FACTOR, {"code": wrong}, pending)

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["param"] == "code"
    assert "session_token" not in refused.json().get("meta", {})
    assert me(pending).status_code == 401
    # The right code still completes the same sign-in.
    done = post(client, TWO_FACTOR, {"code": right}, pending)
    assert done.status_code == 200


def test_a_code_from_an_earlier_period_is_refused(ann_with_totp):
    stale = current_code(STAFF_TOTP_SECRET, at=time.time() - 600)
    client = app_client()
    pending = post(client, LOGIN, {"username": "ann", "password": PASSWORD}).json()["meta"][
        "session_token"
    ]
    if stale == code_with_time_to_spare(STAFF_TOTP_SECRET):  # one chance in a million
        pytest.skip("the old code happens to equal the current one")
    assert post(client, TWO_FACTOR, {"code": stale}, pending).status_code == 400


def test_a_totp_code_works_once(ann_with_totp):
    code = code_with_time_to_spare(STAFF_TOTP_SECRET)
    sign_in_with_totp("ann", code=code)

    client = app_client()
    pending = post(client, LOGIN, {"username": "ann", "password": PASSWORD}).json()["meta"][
        "session_token"
    ]
    replay = post(client, TWO_FACTOR, {"code": code}, pending)
    assert replay.status_code == 400
    assert me(pending).status_code == 401


def test_the_second_factor_cannot_be_skipped_by_calling_the_api(ann_with_totp):
    client = app_client()
    pending = post(client, LOGIN, {"username": "ann", "password": PASSWORD}).json()["meta"][
        "session_token"
    ]
    for url in (ME, "/api/v1/notifications", "/api/v1/notification-preferences"):
        assert Client().get(url, HTTP_X_SESSION_TOKEN=pending).status_code == 401
    assert client.get(APP_SESSIONS, HTTP_X_SESSION_TOKEN=pending).status_code == 401


# --- the headless specification -------------------------------------------------------------


def test_the_headless_openapi_specification_is_served(client, db):
    response = client.get("/_allauth/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (LOGIN, TWO_FACTOR, APP_SESSIONS, CURRENT_SESSION):
        assert path in paths, path
    assert "SessionToken" in str(spec["components"])


# --- rate limits and enumeration ------------------------------------------------------------


def _limit(action: str, per: str) -> tuple[int, float]:
    """allauth's effective limit for ``action`` per ``ip``/``key``: (amount, seconds)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    for rate in (account_settings.RATE_LIMITS.get(action) or "").split(","):
        parts = rate.strip().split("/")
        if len(parts) == 3 and parts[2] == per:
            amount, duration = int(parts[0]), parts[1]
            return amount, float(duration[:-1] or 1) * units[duration[-1]]
    pytest.fail(f"no {action} rate limit per {per}: {account_settings.RATE_LIMITS}")


def _error_codes(response: Any) -> list[str]:
    return [error.get("code", "") for error in response.json().get("errors", [])]


TOO_MANY = "too_many_login_attempts"


def test_failed_app_sign_ins_for_one_account_are_limited_at_the_threshold(ann):
    amount, _seconds = _limit("login_failed", "key")  # per login and address
    for attempt in range(amount):
        response = post(
            app_client("198.51.100.1"), LOGIN, {"username": "ann", "password": f"wrong-{attempt}"}
        )
        assert response.status_code == 400, (attempt, response.content)
        assert _error_codes(response) == ["username_password_mismatch"]

    # From that address, the next try is refused without looking at the password.
    blocked = post(app_client("198.51.100.1"), LOGIN, {"username": "ann", "password": "wrong"})
    assert blocked.status_code == 400
    assert _error_codes(blocked) == [TOO_MANY]
    # Even the right password waits out the window there: guessing on is pointless.
    right = post(app_client("198.51.100.1"), LOGIN, {"username": "ann", "password": PASSWORD})
    assert _error_codes(right) == [TOO_MANY]
    assert "session_token" not in right.json().get("meta", {})
    # The person, from another address, is not kept out; nor is someone else's account.
    assert sign_in("ann", ip="198.51.100.201")
    make_customer(username="bea")
    assert sign_in("bea", ip="198.51.100.1")


def test_failed_app_sign_ins_for_one_account_from_many_addresses_are_limited(ann):
    amount, _seconds = _limit("login_failed_account", "key")  # per account, all addresses
    for attempt in range(amount):
        ip = f"198.51.100.{attempt + 1}"
        response = post(app_client(ip), LOGIN, {"username": "ann", "password": f"wrong-{attempt}"})
        assert _error_codes(response) == ["username_password_mismatch"], attempt
    right = post(app_client("198.51.100.250"), LOGIN, {"username": "ann", "password": PASSWORD})
    assert _error_codes(right) == [TOO_MANY]


def test_the_lockout_looks_the_same_for_an_account_that_does_not_exist(ann):
    amount, _seconds = _limit("login_failed", "key")
    answers = {}
    for login in ("ann", "nobody-here"):
        for _attempt in range(amount):
            post(app_client("198.51.100.1"), LOGIN, {"username": login, "password": "x"})
        answers[login] = post(
            app_client("198.51.100.1"), LOGIN, {"username": login, "password": "x"}
        )
    assert answers["ann"].status_code == answers["nobody-here"].status_code == 400
    assert answers["ann"].json() == answers["nobody-here"].json()
    assert _error_codes(answers["ann"]) == [TOO_MANY]


def test_failed_app_sign_ins_from_one_address_are_limited_at_the_threshold(ann):
    amount, _seconds = _limit("login_failed", "ip")
    client = app_client("198.51.100.77")
    for attempt in range(amount):
        response = post(client, LOGIN, {"username": f"guess{attempt}", "password": "wrong"})
        assert response.status_code == 400, (attempt, response.content)
        assert _error_codes(response) == ["username_password_mismatch"]
    refused = post(client, LOGIN, {"username": "ann", "password": PASSWORD})
    assert _error_codes(refused) == [TOO_MANY]
    # Another address is not affected.
    assert sign_in("ann", ip="198.51.100.78")


def test_a_successful_sign_in_is_not_counted_as_a_failure(ann):
    amount, _seconds = _limit("login_failed", "key")
    for _ in range(amount + 2):
        token = sign_in("ann")
        assert me(token).status_code == 200


def _failed_sign_in(login: dict[str, str]) -> tuple[int, Any, float]:
    cache.clear()  # each attempt in a fresh rate-limit window
    started = time.perf_counter()
    response = post(app_client(), LOGIN, {**login, "password": "not-the-password"})
    elapsed = time.perf_counter() - started
    return response.status_code, response.json(), elapsed


@pytest.mark.parametrize(
    ("known", "unknown"),
    [
        ({"username": "ann"}, {"username": "nobody-here"}),
        ({"email": "ann@example.com"}, {"email": "nobody-here@example.com"}),
    ],
)
def test_wrong_password_and_unknown_account_get_the_same_answer(ann, known, unknown):
    known_status, known_body, _ = _failed_sign_in(known)
    unknown_status, unknown_body, _ = _failed_sign_in(unknown)
    assert known_status == unknown_status == 400
    assert known_body == unknown_body


def test_wrong_password_and_unknown_account_take_similar_time(ann):
    """Both hash the password once; the medians stay within a factor of three."""
    known = [_failed_sign_in({"username": "ann"})[2] for _ in range(5)]
    unknown = [_failed_sign_in({"username": "nobody-here"})[2] for _ in range(5)]
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 1 / 3 < ratio < 3, (known, unknown)


# --- ending sessions reaches the app's token ---------------------------------------------------


def test_a_token_whose_session_was_ended_on_the_web_gets_401(ann):
    token = sign_in("ann")
    assert me(token).status_code == 200
    web = Client()
    assert web.post("/accounts/login/", {"login": "ann", "password": PASSWORD}).status_code == 302
    app_row = UserSession.objects.get(session_key=token)

    assert web.post(f"/security/sessions/{app_row.pk}/end/").status_code == 302

    response = me(token)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    # allauth's own endpoints refuse it too (410: the session is gone).
    assert app_client().get(CURRENT_SESSION, HTTP_X_SESSION_TOKEN=token).status_code == 410


def test_sign_out_everywhere_else_on_the_web_ends_the_app_token(ann_with_totp):
    token = sign_in_with_totp("ann")
    web = Client()
    web.force_login(ann_with_totp.user)
    web.post("/security/sessions/end-others/")
    assert me(token).status_code == 401


def test_the_app_lists_and_ends_the_persons_other_sessions(ann):
    web = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0")
    assert web.post("/accounts/login/", {"login": "ann", "password": PASSWORD}).status_code == 302
    token = sign_in("ann")
    client = app_client()

    listed = client.get(APP_SESSIONS, HTTP_X_SESSION_TOKEN=token)
    assert listed.status_code == 200
    sessions = listed.json()["data"]
    assert len(sessions) == 2
    browser = next(s for s in sessions if not s["is_current"])

    ended = client.delete(
        APP_SESSIONS,
        {"sessions": [browser["id"]]},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )

    assert ended.status_code == 200
    assert [s["is_current"] for s in ended.json()["data"]] == [True]
    assert web.get("/").status_code == 302  # the browser is signed out
    assert me(token).status_code == 200


def test_the_app_cannot_end_another_persons_session(ann, ned):
    theirs = Client()
    assert (
        theirs.post("/accounts/login/", {"login": "ned", "password": PASSWORD}).status_code == 302
    )
    their_row = UserSession.objects.get(user=ned.user)
    token = sign_in("ann")

    response = app_client().delete(
        APP_SESSIONS,
        {"sessions": [their_row.pk]},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )

    assert response.status_code == 400
    assert UserSession.objects.filter(pk=their_row.pk).exists()
    assert theirs.get("/").status_code == 200


def test_signing_out_of_the_app_ends_its_token(ann):
    token = sign_in("ann")
    out = app_client().delete(CURRENT_SESSION, HTTP_X_SESSION_TOKEN=token)
    assert out.status_code == 401  # headless answers "not authenticated" after sign-out
    assert me(token).status_code == 401
    assert UserSession.objects.purge_and_list(ann.user) == []


def test_ending_sessions_from_the_app_is_a_security_event(ann, settings):
    settings.USERSESSIONS_ADAPTER = ADAPTER
    web = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0")
    web.post("/accounts/login/", {"login": "ann", "password": PASSWORD}, REMOTE_ADDR="192.0.2.5")
    token = sign_in("ann")
    browser_row = UserSession.objects.exclude(session_key=token).get(user=ann.user)

    app_client().delete(
        APP_SESSIONS,
        {"sessions": [browser_row.pk]},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )

    event = SecurityEvent.objects.get(user=ann.user, kind="session_ended")
    assert event.ip == "203.0.113.9"  # who ended it: the app
    assert event.data["session_ip"] == "192.0.2.5"  # what was ended: the browser
    assert event.data["session_browser"] == "Chrome"
