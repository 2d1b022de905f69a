"""The security page's own controls through the API: the person's security activity and
Dropline's part of their second factors (the list, the default, text-message codes).

The app sees what the web shows, only its own, and changes second factors only within
five minutes of confirming it is them, through allauth's re-authentication."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.headless import app_settings as headless_settings
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dropline.accounts.models import (
    SecondFactorPreference,
    SecurityEvent,
    SecurityEventKind,
    SmsSecondFactor,
    User,
)
from dropline.accounts.recovery_codes import HashedRecoveryCodes
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.core import clock
from dropline.identity.security_events.activity import PAGE_SIZE
from dropline.notifications.models import ContactKind, ContactPoint, Message
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_customer, make_user
from tests.support.factors import add_phone, enable_sms

pytestmark = pytest.mark.django_db

Kind = SecurityEventKind
APP = "/_allauth/app/v1"
ACTIVITY = "/api/v1/security/activity"
FACTORS = "/api/v1/security/second-factors"
DEFAULT = f"{FACTORS}/default"
TEXT_MESSAGE = f"{FACTORS}/text-message"
APP_UA = "Dropline-App/2.4 (Android 14; Pixel 8) okhttp/4.12.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
OTHER_PHONE = "+13195550199"


# --- helpers --------------------------------------------------------------------------------


class App:
    """The mobile app with its session token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.client = Client(HTTP_USER_AGENT=APP_UA, HTTP_X_SESSION_TOKEN=token)

    def get(self, url: str, **query: Any) -> Any:
        return self.client.get(url, query)

    def send(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        call = getattr(self.client, method)
        if body is None:
            return call(url)
        return call(url, body, content_type="application/json")

    def reauthenticate(self) -> None:
        again = self.client.post(
            f"{APP}/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json"
        )
        assert again.status_code == 200, again.content

    def confirmed_ago(self, seconds: int) -> None:
        """As if every confirmation allauth recorded on this token were ``seconds`` older."""
        session = headless_settings.TOKEN_STRATEGY.lookup_session(self.token)
        assert session is not None
        records = session[AUTHENTICATION_METHODS_SESSION_KEY]
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {**record, "at": record["at"] - seconds} for record in records
        ]
        session.save()


def app_for(user: User, *, confirmed: bool = True) -> App:
    """Signed in with the password (before any second factor is added)."""
    login = Client(HTTP_USER_AGENT=APP_UA).post(
        f"{APP}/auth/login",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    app = App(str(login.json()["meta"]["session_token"]))
    if confirmed:
        app.reauthenticate()
    return app


def field_error(response: Any) -> dict[str, str]:
    [only] = response.json()["errors"]
    return dict(only)


def assert_reauthentication_required(response: Any) -> None:
    """allauth's own answer, so the app re-authenticates as for allauth's endpoints."""
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert "reauthenticate" in [flow["id"] for flow in body["data"]["flows"]]


def make_event(user: User | None, kind: str, *, at: dt.datetime, ip: str, **data: Any) -> Any:
    from dropline.accounts.devices import parse_user_agent

    device = parse_user_agent(CHROME_WINDOWS)
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        at=at,
        ip=ip,
        user_agent=CHROME_WINDOWS,
        browser=device.browser,
        os=device.os,
        device_fingerprint=device.fingerprint,
        data=data,
    )


def web_event_ids(client: Client, page: int) -> list[int]:
    html = client.get("/security/activity/", {"page": str(page)}).content.decode()
    return [int(pk) for pk in re.findall(r'id="event-(\d+)"', html)]


def passkey(user: User, name: str = "Phone") -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


# --- security activity ----------------------------------------------------------------------


def test_the_activity_is_the_web_pages_in_the_same_order():
    ann = make_customer(username="ann").user
    start = clock.now() - dt.timedelta(days=2)
    for i in range(PAGE_SIZE + 8):
        make_event(ann, Kind.SIGN_IN, at=start + dt.timedelta(minutes=i), ip=f"198.51.100.{i}")
    # Two events at the same moment: the newer row comes first, on both.
    tie = start + dt.timedelta(hours=5)
    make_event(ann, Kind.PASSWORD_CHANGED, at=tie, ip="198.51.100.200")
    make_event(ann, Kind.SIGN_IN_FAILED, at=tie, ip="203.0.113.50", reason="wrong_password")
    app = app_for(ann)  # a sign-in and a re-authentication: recorded too
    web = Client(HTTP_USER_AGENT=CHROME_WINDOWS)
    web.force_login(ann)

    first = app.get(ACTIVITY).json()
    second = app.get(ACTIVITY, page=2).json()

    assert [e["id"] for e in first["events"]] == web_event_ids(web, 1)
    assert [e["id"] for e in second["events"]] == web_event_ids(web, 2)
    assert len(first["events"]) == PAGE_SIZE
    assert (first["page"], first["previous_page"], first["next_page"]) == (1, None, 2)
    assert (second["page"], second["previous_page"], second["next_page"]) == (2, 1, None)
    every = [e["id"] for e in first["events"] + second["events"]]
    stored = list(SecurityEvent.objects.filter(user=ann).order_by("-at", "-id"))
    assert every == [event.pk for event in stored]
    newest = first["events"][0]
    assert newest["kind"] == Kind.SIGN_IN
    assert newest["this_device"] is True
    assert newest["device"] == "Mobile app on Android"
    failed = next(e for e in first["events"] if e["ip"] == "203.0.113.50")
    assert failed["description"] == "Failed sign-in: wrong password"
    assert failed["failed"] is True
    assert failed["this_device"] is False  # Chrome on Windows, not the app
    assert failed["device"] == "Chrome on Windows"
    assert first["this_device"] == "Mobile app on Android"


def test_another_persons_events_never_appear():
    ann = make_customer(username="ann").user
    ned = make_customer(username="ned").user
    now = clock.now()
    mine = make_event(ann, Kind.SIGN_IN, at=now, ip="198.51.100.1")
    theirs = [
        make_event(ned, Kind.SIGN_IN, at=now, ip="192.0.2.222"),
        make_event(ned, Kind.PASSWORD_CHANGED, at=now, ip="192.0.2.223"),
        make_event(None, Kind.SIGN_IN_FAILED, at=now, ip="192.0.2.224", reason="unknown_account"),
    ]
    app_for(ned)  # Ned's own sign-in, from the same kind of phone

    response = app_for(ann).get(ACTIVITY)

    assert response.status_code == 200
    ids = {event["id"] for event in response.json()["events"]}
    assert mine.pk in ids
    assert ids == set(SecurityEvent.objects.filter(user=ann).values_list("pk", flat=True))
    assert not ids & {event.pk for event in theirs}
    for address in ("192.0.2.222", "192.0.2.223", "192.0.2.224"):
        assert address not in response.content.decode()


def test_a_page_is_read_in_one_query_whatever_the_history():
    ann = make_customer(username="ann").user
    start = clock.now() - dt.timedelta(days=1)
    for i in range(3 * PAGE_SIZE):
        make_event(ann, Kind.SIGN_IN, at=start + dt.timedelta(minutes=i), ip=f"198.51.100.{i}")
    app = app_for(ann)

    with CaptureQueriesContext(connection) as queries:
        response = app.get(ACTIVITY, page=2)

    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "accounts_securityevent" in q["sql"]]
    assert len(reads) == 1  # no COUNT, nothing per row
    assert f"LIMIT {PAGE_SIZE + 1}" in reads[0]


def test_pages_outside_the_bounds_name_the_page_parameter():
    app = app_for(make_customer(username="ann").user)

    for page in ("0", "41", "junk"):
        response = app.client.get(ACTIVITY, {"page": page})
        assert response.status_code == 422, page
        assert [error["field"] for error in response.json()["errors"]] == ["page"]


def test_the_activity_needs_a_sign_in():
    assert Client().get(ACTIVITY).status_code == 401
    assert Client(HTTP_X_SESSION_TOKEN="forged").get(ACTIVITY).status_code == 401


# --- the list of second factors -------------------------------------------------------------


def test_the_list_shows_every_factor_the_default_and_codes_left_never_the_codes():
    lena = make_user(username="lena")
    app = app_for(lena, confirmed=False)
    totp = enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    key = passkey(lena, "Work laptop")
    codes = HashedRecoveryCodes.activate(lena)
    sms = enable_sms(lena)
    add_phone(lena, OTHER_PHONE, verified=False)
    add_phone(make_user(username="ned"), "+13195550123")

    response = app.get(FACTORS)

    assert response.status_code == 200
    body = response.json()
    assert [(f["method"], f["id"]) for f in body["factors"]] == [
        ("totp", totp.pk),
        ("webauthn", key.pk),
        ("sms", sms.pk),
    ]
    assert [f["name"] for f in body["factors"]] == [
        "Authenticator app",
        "Work laptop",
        "Text message to (•••) •••-0142",
    ]
    assert body["default_method"] == "webauthn"  # the strongest, with no choice made
    assert [f["is_default"] for f in body["factors"]] == [False, True, False]
    assert body["recovery_codes"] == {"left": 10, "total": 10, "viewable": True}
    assert [n["number"] for n in body["text_message_numbers"]] == ["(319) 555-0142"]
    assert body["text_message_numbers"][0]["receives_codes"] is True
    text = response.content.decode()
    for code in codes.generate_codes():
        assert code not in text
    # Reading changes nothing: the codes can still be seen once, through allauth.
    assert app.get(FACTORS).json()["recovery_codes"]["viewable"] is True


def test_with_no_factor_the_list_is_empty():
    body = app_for(make_user(username="lena"), confirmed=False).get(FACTORS).json()
    assert body == {
        "factors": [],
        "default_method": None,
        "recovery_codes": None,
        "text_message_numbers": [],
    }


# --- the default ----------------------------------------------------------------------------


def test_the_default_can_be_any_method_the_person_has():
    lena = make_user(username="lena")
    app = app_for(lena)
    enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    enable_sms(lena)

    response = app.send("put", DEFAULT, {"method": "sms"})

    assert response.status_code == 200, response.content
    assert response.json()["default_method"] == "sms"
    assert SecondFactorPreference.objects.get(user=lena).default_method == "sms"


def test_a_method_they_do_not_have_is_refused_naming_method():
    lena = make_user(username="lena")
    app = app_for(lena)
    enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)

    for method in ("sms", "webauthn", "recovery_codes", "nonsense"):
        response = app.send("put", DEFAULT, {"method": method})
        assert response.status_code == 400, method
        assert field_error(response) == {
            "field": "method",
            "reason": "Set up this way of signing in before making it your default.",
        }
    assert not SecondFactorPreference.objects.filter(user=lena).exists()


def test_a_stale_confirmation_gets_allauths_answer_and_nothing_changes():
    lena = make_user(username="lena")
    app = app_for(lena)
    enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    sms = enable_sms(lena)
    phone = add_phone(lena, OTHER_PHONE)
    events_before = SecurityEvent.objects.filter(user=lena).count()
    messages_before = Message.objects.filter(user=lena).count()
    app.confirmed_ago(6 * 60)

    assert_reauthentication_required(app.send("put", DEFAULT, {"method": "sms"}))
    assert_reauthentication_required(app.send("post", TEXT_MESSAGE, {"contact_id": phone.pk}))
    assert_reauthentication_required(app.send("delete", TEXT_MESSAGE, {"confirm_last": True}))

    assert not SecondFactorPreference.objects.filter(user=lena, default_method="sms").exists()
    assert SmsSecondFactor.objects.get(user=lena).contact_id == sms.contact_id
    assert SecurityEvent.objects.filter(user=lena).count() == events_before
    assert Message.objects.filter(user=lena).count() == messages_before
    # Reading needs no confirmation.
    assert app.get(FACTORS).status_code == 200
    assert app.get(ACTIVITY).status_code == 200

    # The app confirms with allauth and retries.
    app.reauthenticate()
    response = app.send("put", DEFAULT, {"method": "sms"})
    assert response.status_code == 200, response.content
    assert SecondFactorPreference.objects.get(user=lena).default_method == "sms"


def test_a_confirmation_four_minutes_old_is_still_enough():
    lena = make_user(username="lena")
    app = app_for(lena)
    enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    enable_sms(lena)
    app.confirmed_ago(4 * 60)

    assert app.send("put", DEFAULT, {"method": "sms"}).status_code == 200


def test_a_browser_session_is_held_to_the_same_five_minutes():
    lena = make_user(username="lena")
    enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    enable_sms(lena)
    browser = Client(HTTP_USER_AGENT=CHROME_WINDOWS)
    browser.force_login(lena)  # signed in, never confirmed

    stale = browser.put(DEFAULT, {"method": "sms"}, content_type="application/json")

    assert_reauthentication_required(stale)
    assert "session_token" not in stale.json().get("meta", {})
    assert not SecondFactorPreference.objects.filter(user=lena, default_method="sms").exists()
    confirmed = browser.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert confirmed.status_code == 302
    fresh = browser.put(DEFAULT, {"method": "sms"}, content_type="application/json")
    assert fresh.status_code == 200, fresh.content


# --- codes by text message ------------------------------------------------------------------


def test_codes_by_text_message_go_to_a_confirmed_number_of_theirs():
    lena = make_user(username="lena")
    app = app_for(lena)
    enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    phone = add_phone(lena)

    response = app.send("post", TEXT_MESSAGE, {"contact_id": phone.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    factor = SmsSecondFactor.objects.get(user=lena)
    assert factor.contact_id == phone.pk
    assert body["factor"]["method"] == "sms"
    assert body["factor"]["id"] == factor.pk
    assert body["factor"]["name"] == "Text message to (•••) •••-0142"
    assert body["warning"]["title"] == "The weakest second factor"
    assert "SIM swap" in body["warning"]["text"]
    added = SecurityEvent.objects.filter(user=lena, kind=Kind.SECOND_FACTOR_ADDED)
    assert [event.data["method"] for event in added] == ["sms"]
    alerts = Message.objects.filter(user=lena, event="security.second_factor_added")
    assert alerts.exists()

    # Choosing another confirmed number moves the codes there.
    other = add_phone(lena, OTHER_PHONE)
    moved = app.send("post", TEXT_MESSAGE, {"contact_id": other.pk})
    assert moved.status_code == 200
    assert SmsSecondFactor.objects.get(user=lena).contact_id == other.pk


def test_another_persons_number_or_an_email_answers_404_naming_contact_id():
    lena = make_user(username="lena")
    app = app_for(lena)
    neds_phone = add_phone(make_user(username="ned"), "+13195550123")
    her_email = ContactPoint.objects.create(
        user=lena, kind=ContactKind.EMAIL, address="lena@example.com", verified_at=clock.now()
    )

    for contact_id in (neds_phone.pk, her_email.pk, 987_654_321):
        response = app.send("post", TEXT_MESSAGE, {"contact_id": contact_id})
        assert response.status_code == 404, contact_id
        assert field_error(response)["field"] == "contact_id"

    assert not SmsSecondFactor.objects.exists()
    assert not SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_ADDED).exists()


def test_a_number_not_confirmed_is_refused_naming_contact_id():
    lena = make_user(username="lena")
    app = app_for(lena)
    phone = add_phone(lena, verified=False)

    response = app.send("post", TEXT_MESSAGE, {"contact_id": phone.pk})

    assert response.status_code == 400
    assert field_error(response) == {
        "field": "contact_id",
        "reason": "Confirm this number with the code we text to it before using it for "
        "sign-in codes.",
    }
    assert not SmsSecondFactor.objects.filter(user=lena).exists()
    missing = app.send("post", TEXT_MESSAGE, {})
    assert missing.status_code == 422
    assert field_error(missing)["field"] == "contact_id"


def test_the_last_factor_stays_without_a_confirmation():
    lena = make_user(username="lena")
    app = app_for(lena)
    sms = enable_sms(lena)

    for body in (None, {}, {"confirm_last": False}):
        refused = app.send("delete", TEXT_MESSAGE, body)
        assert refused.status_code == 400, body
        assert field_error(refused) == {
            "field": "confirm_last",
            "reason": "This is your last second factor. Confirm that your account will be "
            "protected by the password alone.",
        }
    for loose in ("yes", 1):
        assert app.send("delete", TEXT_MESSAGE, {"confirm_last": loose}).status_code == 422
    assert SmsSecondFactor.objects.filter(pk=sms.pk).exists()
    assert not SecurityEvent.objects.filter(user=lena, kind=Kind.SECOND_FACTOR_REMOVED).exists()

    confirmed = app.send("delete", TEXT_MESSAGE, {"confirm_last": True})

    assert confirmed.status_code == 204, confirmed.content
    assert not SmsSecondFactor.objects.filter(user=lena).exists()
    removed = SecurityEvent.objects.get(user=lena, kind=Kind.SECOND_FACTOR_REMOVED)
    assert removed.data["method"] == "sms"
    assert Message.objects.filter(user=lena, event="security.second_factor_removed").exists()
    assert app.send("delete", TEXT_MESSAGE, {"confirm_last": True}).status_code == 404


def test_one_of_several_factors_goes_without_confirmation():
    lena = make_user(username="lena")
    app = app_for(lena)
    totp = enrol_authenticator_app(user=lena, secret=STAFF_TOTP_SECRET)
    enable_sms(lena)

    response = app.send("delete", TEXT_MESSAGE)

    assert response.status_code == 204, response.content
    assert not SmsSecondFactor.objects.filter(user=lena).exists()
    assert Authenticator.objects.filter(pk=totp.pk).exists()


def test_staff_keep_an_authenticator_app_or_passkey():
    stan = make_user(username="stan", is_staff=True, second_factor=False)
    app = app_for(stan)
    enable_sms(stan)  # a text message alone does not open the back-office

    refused = app.send("delete", TEXT_MESSAGE, {"confirm_last": True})

    assert refused.status_code == 409
    assert "Staff accounts need an authenticator app or a passkey" in refused.json()["detail"]
    assert SmsSecondFactor.objects.filter(user=stan).exists()

    # With an app beside it, the text message goes and the app stays.
    totp = enrol_authenticator_app(user=stan, secret=STAFF_TOTP_SECRET)
    assert app.send("delete", TEXT_MESSAGE).status_code == 204
    assert list(Authenticator.objects.filter(user=stan, type="totp")) == [totp]


def test_the_operations_are_in_the_openapi_document():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[ACTIVITY]) == {"get"}
    assert set(paths[FACTORS]) == {"get"}
    assert set(paths[DEFAULT]) == {"put"}
    assert set(paths[TEXT_MESSAGE]) == {"post", "delete"}
