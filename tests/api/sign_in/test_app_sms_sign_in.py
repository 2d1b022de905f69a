"""The mobile app's second sign-in step by text message (``/api/v1/sign-in/...``).

The app signs in with allauth headless; when the login waits for a texted code
(pending flow ``dropline_sms_authenticate``), it sends the pending login's token to
Dropline's endpoints, which answer as allauth does once the sign-in completes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from dropline.accounts.models import SecurityEvent, SmsSignInCode, User
from dropline.accounts.second_factor import enrol_authenticator_app
from dropline.core import clock
from dropline.identity.factors import sms_codes
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_customer
from tests.support.factors import PHONE, enable_sms, latest_code, text_messages_to
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
LOGIN = f"{APP}/auth/login"
TOTP_STEP = f"{APP}/auth/2fa/authenticate"
STEP = "/api/v1/sign-in/second-factor"
ROUTE = "/api/v1/sign-in/second-factor/route"
SEND = "/api/v1/sign-in/text-message/send"
AUTHENTICATE = "/api/v1/sign-in/text-message/authenticate"
SMS_FLOW = "dropline_sms_authenticate"
OTHER_PHONE = "+13195550150"


@pytest.fixture
def sam() -> User:
    """A customer whose only second factor is a text message."""
    user = make_customer(username="sam").user
    enable_sms(user)
    return user


@pytest.fixture
def duo() -> User:
    """A customer with an authenticator app and text messages."""
    user = make_customer(username="duo").user
    enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)
    enable_sms(user)
    return user


def app() -> Client:
    return Client(HTTP_USER_AGENT="Dropline-App/2.4 (iOS 17)")


def call(url: str, token: str | None, body: dict[str, Any] | None = None) -> Any:
    headers: dict[str, Any] = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    if body is None and url == STEP:
        return app().get(url, **headers)
    return app().post(url, body or {}, content_type="application/json", **headers)


def start(username: str) -> Any:
    """The password step: allauth's 401 with the pending login's token."""
    response = app().post(
        LOGIN, {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 401, response.content
    return response


def pending_flow(response: Any) -> str:
    [flow] = [f for f in response.json()["data"]["flows"] if f.get("is_pending")]
    return str(flow["id"])


def me(token: str) -> int:
    return int(app().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def field_errors(response: Any) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


# --- a person whose only second factor is a text message ----------------------------------


def test_the_app_finishes_signing_in_with_the_texted_code(sam):
    login = start("sam")
    assert pending_flow(login) == SMS_FLOW
    pending = login.json()["meta"]["session_token"]
    assert me(pending) == 401
    [text] = text_messages_to()  # reaching the step texted the first code
    assert "expires in 10 minutes" in text

    step = call(STEP, pending)
    assert step.status_code == 200
    assert step.json() == {"route": "sms", "routes": ["sms"], "number": "(•••) •••-0142"}

    code = latest_code()
    done = call(AUTHENTICATE, pending, {"code": f"{code[:3]} {code[3:]}"})

    # Exactly allauth's answer after the authenticator-app step.
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["data"]["user"]["username"] == "sam"
    assert [m["method"] for m in body["data"]["methods"]] == ["password", "mfa"]
    assert body["data"]["methods"][1]["type"] == "sms"
    token = body["meta"]["session_token"]
    assert token != pending
    assert me(token) == 200
    assert me(pending) == 401
    assert SecurityEvent.objects.filter(user=sam, kind="sign_in").count() == 1
    assert SmsSignInCode.objects.get().used_at is not None


def test_a_wrong_code_does_not_sign_in(sam):
    pending = start("sam").json()["meta"]["session_token"]
    code = latest_code()

    refused = call(AUTHENTICATE, pending, {"code": wrong(code)})

    assert refused.status_code == 400
    assert field_errors(refused) == {"code": "That code is not right. You can try 4 more times."}
    assert "session_token" not in refused.content.decode()
    assert me(pending) == 401
    assert not SecurityEvent.objects.filter(user=sam, kind="sign_in").exists()
    assert SecurityEvent.objects.filter(user=sam, kind="second_factor_failed").count() == 1
    # The same sign-in still completes with the right code.
    assert call(AUTHENTICATE, pending, {"code": code}).status_code == 200


def test_the_sixth_try_is_refused_even_with_the_right_code(sam):
    start_at = clock.now()
    with clock.frozen(start_at):
        pending = start("sam").json()["meta"]["session_token"]
        code = latest_code()
        for _ in range(sms_codes.MAX_ATTEMPTS):
            assert call(AUTHENTICATE, pending, {"code": wrong(code)}).status_code == 400
        refused = call(AUTHENTICATE, pending, {"code": code})
    assert refused.status_code == 400
    assert field_errors(refused) == {"code": "Too many wrong codes. Ask for a new one."}
    assert me(pending) == 401
    assert SmsSignInCode.objects.get().attempts == sms_codes.MAX_ATTEMPTS

    with clock.frozen(start_at + dt.timedelta(seconds=31)):
        assert call(SEND, pending).status_code == 200
        done = call(AUTHENTICATE, pending, {"code": latest_code()})
    assert done.status_code == 200
    assert me(done.json()["meta"]["session_token"]) == 200


def test_new_codes_are_limited_as_on_the_web(sam):
    start_at = clock.now()
    with clock.frozen(start_at):
        pending = start("sam").json()["meta"]["session_token"]
        first = latest_code()
        too_soon = call(SEND, pending)
    assert too_soon.status_code == 429
    assert too_soon.json() == {
        "detail": "We sent a code a moment ago. You can ask for another in 30 seconds."
    }
    assert len(text_messages_to()) == 1

    with clock.frozen(start_at + dt.timedelta(seconds=31)):
        sent = call(SEND, pending)
        assert sent.status_code == 200
        assert sent.json() == {"number": "(•••) •••-0142", "expires_in": 600, "resend_after": 30}
        newest = latest_code()
        if first != newest:  # only the newest code works
            assert call(AUTHENTICATE, pending, {"code": first}).status_code == 400
    for minute in range(2, sms_codes.MAX_CODES_PER_HOUR):
        with clock.frozen(start_at + dt.timedelta(minutes=minute)):
            assert call(SEND, pending).status_code == 200
    assert len(text_messages_to()) == sms_codes.MAX_CODES_PER_HOUR
    with clock.frozen(start_at + dt.timedelta(minutes=10)):
        limited = call(SEND, pending)
    assert limited.status_code == 429
    assert "too many codes" in limited.json()["detail"]
    assert len(text_messages_to()) == sms_codes.MAX_CODES_PER_HOUR


def test_bad_input_names_the_field(sam):
    pending = start("sam").json()["meta"]["session_token"]
    for body in ({}, {"code": ""}, {"code": "1" * 17}):
        response = call(AUTHENTICATE, pending, body)
        assert response.status_code == 422, body
        assert list(field_errors(response)) == ["code"]
    assert me(pending) == 401


# --- what the endpoints refuse --------------------------------------------------------------


def test_without_a_pending_text_message_step_allauths_401_answers(sam, duo):
    # A person at allauth's step: no code is texted, none is accepted here.
    pending = start("duo").json()["meta"]["session_token"]
    assert text_messages_to() == []
    for url, body in ((SEND, {}), (AUTHENTICATE, {"code": "123456"})):
        response = call(url, pending, body)
        assert response.status_code == 401
        assert pending_flow(response) == "mfa_authenticate"
        assert not response.json()["meta"]["is_authenticated"]
    assert text_messages_to() == []

    # No token, or one that never was a session: allauth's answer all the same, which
    # offers the sign-in itself.
    for token in (None, "forged-token"):
        for response in (
            call(SEND, token),
            call(STEP, token),
            call(AUTHENTICATE, token, {"code": "123456"}),
        ):
            assert response.status_code == 401
            body = response.json()
            assert body["status"] == 401
            assert not body["meta"]["is_authenticated"]
            assert "login" in [flow["id"] for flow in body["data"]["flows"]]

    # A signed-in token has nothing pending.
    token = call(
        AUTHENTICATE, start("sam").json()["meta"]["session_token"], {"code": latest_code()}
    ).json()["meta"]["session_token"]
    assert call(SEND, token).status_code == 401
    assert call(STEP, token).status_code == 401
    assert me(token) == 200


def test_one_persons_code_does_not_finish_anothers_sign_in(sam):
    other = make_customer(username="oz", name="Oz Household").user
    enable_sms(other, OTHER_PHONE)
    start("sam")
    sams_code = latest_code(PHONE)
    oz_pending = start("oz").json()["meta"]["session_token"]
    if sams_code == latest_code(OTHER_PHONE):
        pytest.skip("both codes happen to be the same")

    response = call(AUTHENTICATE, oz_pending, {"code": sams_code})

    assert response.status_code == 400
    assert me(oz_pending) == 401


# --- choosing the route ---------------------------------------------------------------------


def test_a_person_with_both_switches_to_the_text_message_and_back(duo):
    login = start("duo")
    assert pending_flow(login) == "mfa_authenticate"
    pending = login.json()["meta"]["session_token"]
    assert call(STEP, pending).json() == {
        "route": "mfa",
        "routes": ["mfa", "sms"],
        "number": "(•••) •••-0142",
    }

    switched = call(ROUTE, pending, {"route": "sms"})

    assert switched.status_code == 401  # allauth's answer: a step is still pending
    assert pending_flow(switched) == SMS_FLOW
    assert "session_token" not in switched.json()["meta"]  # the same pending token
    assert len(text_messages_to()) == 1
    assert call(STEP, pending).json()["route"] == "sms"
    # allauth's step is no longer the pending one.
    assert (
        app()
        .post(
            TOTP_STEP,
            {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=pending,
        )
        .status_code
        == 401
    )

    back = call(ROUTE, pending, {"route": "mfa"})
    assert pending_flow(back) == "mfa_authenticate"
    assert "totp" in next(f for f in back.json()["data"]["flows"] if f.get("is_pending"))["types"]
    assert call(AUTHENTICATE, pending, {"code": latest_code()}).status_code == 401
    done = app().post(
        TOTP_STEP,
        {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=pending,
    )
    assert done.status_code == 200
    assert me(done.json()["meta"]["session_token"]) == 200
    assert len(text_messages_to()) == 1  # switching back and forth texts once


def test_the_texted_code_signs_in_after_switching(duo):
    pending = start("duo").json()["meta"]["session_token"]
    call(ROUTE, pending, {"route": "sms"})
    done = call(AUTHENTICATE, pending, {"code": latest_code()})
    assert done.status_code == 200
    assert done.json()["meta"]["is_authenticated"] is True
    assert me(done.json()["meta"]["session_token"]) == 200


def test_no_switch_to_a_route_the_person_lacks(sam):
    pending = start("sam").json()["meta"]["session_token"]

    refused = call(ROUTE, pending, {"route": "mfa"})

    assert refused.status_code == 400
    assert field_errors(refused) == {"route": "You have no authenticator app or passkey."}
    invalid = call(ROUTE, pending, {"route": "email"})
    assert invalid.status_code == 422
    assert list(field_errors(invalid)) == ["route"]
    assert call(STEP, pending).json()["route"] == "sms"
    assert me(pending) == 401


def test_no_switch_without_a_pending_second_step(sam):
    make_customer(username="nofa")  # no second factor: signed in by the password
    signed_in = app().post(
        LOGIN, {"username": "nofa", "password": PASSWORD}, content_type="application/json"
    )
    token = signed_in.json()["meta"]["session_token"]

    response = call(ROUTE, token, {"route": "sms"})

    assert response.status_code == 401
    assert me(token) == 200  # the signed-in token is untouched
    assert call(ROUTE, None, {"route": "sms"}).status_code == 401
    assert call(ROUTE, "forged-token", {"route": "sms"}).status_code == 401
    assert text_messages_to() == []


# --- the specification ----------------------------------------------------------------------


def test_the_endpoints_are_in_the_served_specification(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in (
        (STEP, "get"),
        (ROUTE, "post"),
        (SEND, "post"),
        (AUTHENTICATE, "post"),
    ):
        operation = paths[path][method]
        assert operation["security"] == [{"PendingLoginToken": []}], path
        assert "401" in operation["responses"], path
    assert "200" in paths[AUTHENTICATE]["post"]["responses"]
    assert "400" in paths[AUTHENTICATE]["post"]["responses"]
    scheme = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    assert scheme["PendingLoginToken"] | {"description": ""} == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Session-Token",
        "description": "",
    }
    # Every 401 of these steps is allauth's, as documented: with the header or without.
    for path, method in ((STEP, "get"), (ROUTE, "post"), (SEND, "post"), (AUTHENTICATE, "post")):
        unauthorized = paths[path][method]["responses"]["401"]["content"]["application/json"]
        assert unauthorized["schema"] == {"$ref": "#/components/schemas/AllauthAuthenticationOut"}
