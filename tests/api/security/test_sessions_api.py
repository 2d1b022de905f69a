"""Sessions and devices through the API, as the web's "Sessions and devices" page: the
browsers and apps signed in with "this device" first, signing one out or all the others,
and forgetting the trusted browsers. Sign-ins go through the real sign-in form and the
app's headless login with real User-Agents, so the list is what a customer would see."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from dropline.accounts.models import SecurityEvent
from dropline.accounts.second_factor import enrol_authenticator_app
from tests.support.app_client import App
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, Customer, make_customer
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/security/sessions"
END_OTHERS = f"{SESSIONS}/end-others"
TRUSTED = "/api/v1/security/trusted-browsers"
LOGIN = "/accounts/login/"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


@pytest.fixture
def ann() -> Customer:
    return make_customer(username="ann")


@pytest.fixture
def ned() -> Customer:
    return make_customer(username="ned", name="Ned Household")


def browser(user_agent: str, ip: str, username: str = "ann") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"login": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def row_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


def app_row(app: App) -> UserSession:
    return UserSession.objects.get(session_key=app.token)


def signed_in(client: Client) -> bool:
    return client.get(reverse("portal:overview")).status_code == 200


def app_signed_in(app: App) -> bool:
    return app.get("/api/v1/me").status_code == 200


def listed(response: Any) -> list[tuple[str, bool]]:
    assert response.status_code == 200, response.content
    return [(s["device"], s["this_device"]) for s in response.json()["sessions"]]


# --- the list ---------------------------------------------------------------------------------


def test_the_app_sees_every_session_with_itself_as_this_device(ann, ned):
    laptop = browser(CHROME_WINDOWS, "198.51.100.10")
    browser(SAFARI_IPHONE, "198.51.100.20")
    app = App("ann", reauthenticated=False)
    browser(FIREFOX_LINUX, "192.0.2.99", username="ned")

    answer = app.get(SESSIONS)

    assert listed(answer) == [
        ("Mobile app on Android", True),  # the one asking first
        ("Safari on iPhone", False),
        ("Chrome on Windows", False),
    ]
    body = answer.json()
    assert body["others"] == 2
    assert body["sessions"][0]["id"] == app_row(app).pk
    assert body["sessions"][2]["ip"] == "198.51.100.10"
    assert body["sessions"][2]["browser"] == "Chrome"
    assert body["sessions"][2]["os"] == "Windows"
    assert all(s["first_seen"] <= s["last_seen"] for s in body["sessions"])
    assert body["trusted_browsers"] is None  # no second factor: nothing to trust
    # Ned's session is nowhere in Ann's answer.
    assert "192.0.2.99" not in answer.content.decode()
    assert "Firefox" not in answer.content.decode()
    # The web page and the API list the same sessions, each marking its own.
    page = laptop.get("/security/sessions/").context["sessions"]
    assert [s.id for s in page] == [
        body["sessions"][2]["id"],
        body["sessions"][0]["id"],
        body["sessions"][1]["id"],
    ]
    assert listed(laptop.get(SESSIONS))[0] == ("Chrome on Windows", True)


def test_signed_out_callers_get_401_and_nothing_ends(ann):
    phone = browser(SAFARI_IPHONE, "198.51.100.20")
    row = row_of(phone)
    anonymous = Client()
    assert anonymous.get(SESSIONS).status_code == 401
    assert anonymous.delete(f"{SESSIONS}/{row.pk}").status_code == 401
    assert anonymous.post(END_OTHERS).status_code == 401
    assert anonymous.delete(TRUSTED).status_code == 401
    forged = Client(HTTP_X_SESSION_TOKEN="forged")
    assert forged.delete(f"{SESSIONS}/{row.pk}").status_code == 401
    assert signed_in(phone)


# --- ending one -------------------------------------------------------------------------------


def test_ending_another_session_signs_it_out_on_its_next_request(ann):
    phone = browser(SAFARI_IPHONE, "198.51.100.20")
    app = App("ann", reauthenticated=False)
    target = row_of(phone)

    answer = app.delete(f"{SESSIONS}/{target.pk}")

    assert answer.status_code == 204
    assert not signed_in(phone)
    assert not UserSession.objects.filter(pk=target.pk).exists()
    assert app_signed_in(app)
    assert listed(app.get(SESSIONS)) == [("Mobile app on Android", True)]
    ended = SecurityEvent.objects.get(user=ann.user, kind="session_ended")
    assert ended.data["session_ip"] == "198.51.100.20"


def test_the_app_ending_its_own_session_is_signed_out(ann):
    laptop = browser(CHROME_WINDOWS, "198.51.100.10")
    app = App("ann", reauthenticated=False)

    answer = app.delete(f"{SESSIONS}/{app_row(app).pk}")

    assert answer.status_code == 204
    gone = app.get("/api/v1/me")
    assert gone.status_code == 401
    assert gone.json() == {"detail": "Unauthorized"}
    assert not UserSession.objects.filter(session_key=app.token).exists()
    assert signed_in(laptop)


def test_a_browser_ending_its_own_session_through_the_api_is_signed_out(ann):
    laptop = browser(CHROME_WINDOWS, "198.51.100.10")
    phone = browser(SAFARI_IPHONE, "198.51.100.20")
    mine = row_of(laptop)

    answer = laptop.delete(f"{SESSIONS}/{mine.pk}")

    assert answer.status_code == 204
    assert answer.cookies[settings.SESSION_COOKIE_NAME].value == ""  # the cookie goes
    assert not signed_in(laptop)
    assert laptop.get(SESSIONS).status_code == 401
    assert signed_in(phone)


def test_another_persons_session_is_404_and_keeps_working(ann, ned):
    theirs = browser(FIREFOX_LINUX, "192.0.2.99", username="ned")
    their_row = row_of(theirs)
    app = App("ann", reauthenticated=False)

    assert app.delete(f"{SESSIONS}/{their_row.pk}").status_code == 404
    assert app.delete(f"{SESSIONS}/987654321").status_code == 404

    assert UserSession.objects.filter(pk=their_row.pk).exists()
    assert signed_in(theirs)
    assert not SecurityEvent.objects.filter(kind="session_ended").exists()


def test_a_browser_needs_its_csrf_token_to_end_a_session(ann):
    laptop = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=CHROME_WINDOWS)
    laptop.get(LOGIN)
    csrf = laptop.cookies["csrftoken"].value
    signed = laptop.post(LOGIN, {"login": "ann", "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    assert signed.status_code == 302
    phone = browser(SAFARI_IPHONE, "198.51.100.20")
    target = f"{SESSIONS}/{row_of(phone).pk}"

    assert laptop.delete(target).status_code == 403
    assert laptop.post(END_OTHERS).status_code == 403
    assert signed_in(phone)

    token = laptop.cookies["csrftoken"].value
    assert laptop.delete(target, HTTP_X_CSRFTOKEN=token).status_code == 204
    assert not signed_in(phone)


# --- ending all the others -------------------------------------------------------------------


def test_end_others_keeps_only_the_app_signed_in(ann, ned):
    laptop = browser(CHROME_WINDOWS, "198.51.100.10")
    phone = browser(SAFARI_IPHONE, "198.51.100.20")
    neds = browser(FIREFOX_LINUX, "192.0.2.99", username="ned")
    app = App("ann", reauthenticated=False)

    answer = app.post(END_OTHERS)

    assert answer.status_code == 200
    assert sorted(s["device"] for s in answer.json()["ended"]) == [
        "Chrome on Windows",
        "Safari on iPhone",
    ]
    assert not any(s["this_device"] for s in answer.json()["ended"])
    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert app_signed_in(app)
    assert signed_in(neds)  # another person's sessions are untouched
    assert listed(app.get(SESSIONS)) == [("Mobile app on Android", True)]


def test_end_others_from_a_browser_ends_the_app(ann):
    laptop = browser(CHROME_WINDOWS, "198.51.100.10")
    app = App("ann", reauthenticated=False)
    row = app_row(app)

    answer = laptop.post(END_OTHERS)

    assert [s["id"] for s in answer.json()["ended"]] == [row.pk]
    assert app.get("/api/v1/me").status_code == 401
    assert signed_in(laptop)


def test_end_others_with_nothing_else_ends_nothing(ann):
    app = App("ann", reauthenticated=False)
    answer = app.post(END_OTHERS)
    assert answer.status_code == 200
    assert answer.json() == {"ended": []}
    assert app_signed_in(app)
    assert not SecurityEvent.objects.filter(kind="session_ended").exists()


# --- trusted browsers -------------------------------------------------------------------------


def sign_in_trusting(client: Client) -> None:
    """The web sign-in with the authenticator app, ticking "trust this browser"."""
    response = client.post(LOGIN, {"login": "ann", "password": PASSWORD})
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(
            reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
        )
        if response["Location"] == reverse("mfa_trust"):
            response = client.post(reverse("mfa_trust"), {"action": "trust"})
    assert response.status_code == 302


def test_forgetting_trusted_browsers_asks_every_browser_for_the_second_factor(ann):
    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    laptop = Client(HTTP_USER_AGENT=CHROME_WINDOWS)
    sign_in_trusting(laptop)
    trusted = laptop.get(SESSIONS).json()["trusted_browsers"]
    assert trusted["this_browser_trusted_until"] is not None

    answer = laptop.delete(TRUSTED)

    assert answer.status_code == 204
    after = laptop.get(SESSIONS).json()["trusted_browsers"]
    assert after == {"this_browser_trusted_until": None}
    assert SecurityEvent.objects.filter(user=ann.user, kind="trusted_browser_revoked").exists()
    laptop.post(reverse("account_logout"))
    cache.clear()  # the code used above may be used once only
    asked = laptop.post(LOGIN, {"login": "ann", "password": PASSWORD})
    assert asked["Location"] == reverse("mfa_authenticate")


def test_a_browser_not_trusted_is_told_so_when_a_second_factor_exists(ann):
    enrol_authenticator_app(user=ann.user, secret=STAFF_TOTP_SECRET)
    client = Client()
    client.force_login(ann.user)
    assert client.get(SESSIONS).json()["trusted_browsers"] == {"this_browser_trusted_until": None}
