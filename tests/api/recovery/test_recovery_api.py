"""Getting back in through the API, as the mobile app does: a reset by email (allauth's
headless endpoint or Dropline's), a reset code by text message, a new password with the
code, a username reminder. JSON in and out, no cookies, and the web's answers: the same
whether or not a login matched, under the same limits.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.core import clock
from dropline.identity.recovery import limits as recovery_limits
from dropline.identity.recovery import reset_codes
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, Message, SimulatedSms
from tests.support.factories import PASSWORD, make_user

BASE = "/api/v1/recovery"
BY_EMAIL = f"{BASE}/password-reset/email"
BY_TEXT = f"{BASE}/password-reset/text"
WITH_CODE = f"{BASE}/password-reset"
REMINDER = f"{BASE}/username-reminder"
APP = "/_allauth/app/v1"
APP_LOGIN = f"{APP}/auth/login"
APP_RESET_REQUEST = f"{APP}/auth/password/request"
APP_RESET = f"{APP}/auth/password/reset"

MARIA_PHONE = "+13195550142"
NEW_PASSWORD = "copper-kettle-moonrise-41"
CODE_DID_NOT_WORK = "That code did not work. Check it, or ask for a new code."


pytestmark = pytest.mark.django_db


@pytest.fixture
def maria() -> User:
    user = make_user(username="maria", email="maria@example.com")
    add_verified_contact(user=user, kind=ContactKind.EMAIL, address=user.email, primary=True)
    add_verified_contact(user=user, kind=ContactKind.PHONE, address=MARIA_PHONE, primary=True)
    return user


def app(ip: str = "203.0.113.9", **headers: Any) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Dropline-App/2.3 (Android 14)", **headers)


def post(url: str, body: dict[str, Any], client: Client | None = None) -> Any:
    return (client or app()).post(url, body, content_type="application/json")


def app_token(username: str, password: str = PASSWORD) -> str:
    response = post(APP_LOGIN, {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return str(response.json()["meta"]["session_token"])


def latest_text() -> str:
    body = SimulatedSms.objects.filter(to=MARIA_PHONE).order_by("-id").values_list("body")[0][0]
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)


def emailed_code(address: str = "maria@example.com") -> str:
    (message,) = [m for m in mail.outbox if address in m.to][-1:]
    match = re.search(r"in our app: (\d{6})$", str(message.body), re.MULTILINE)
    assert match, message.body
    return match.group(1)


def reset_key(address: str = "maria@example.com") -> str:
    (message,) = [m for m in mail.outbox if address in m.to][-1:]
    match = re.search(r"/accounts/password/reset/key/([^/\s]+)/", str(message.body))
    assert match, message.body
    return match.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def reset_with(code: str, identifier: str = "maria", password: str = NEW_PASSWORD) -> Any:
    return post(WITH_CODE, {"identifier": identifier, "code": code, "password": password})


def can_sign_in(password: str) -> bool:
    response = post(APP_LOGIN, {"username": "maria", "password": password})
    return response.status_code == 200


def field_errors(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["reason"]) for e in response.json()["errors"]]


# --- asking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "field"), [(BY_EMAIL, "email"), (BY_TEXT, "identifier")])
def test_asking_answers_the_same_whether_or_not_a_login_matches(maria, url, field):
    known = post(url, {field: "maria@example.com"})
    unknown = post(url, {field: "nobody@example.com"}, app("198.51.100.4"))

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert "6-digit code" in known.json()["detail"]


def test_asking_by_email_sends_droplines_email_with_a_code(maria):
    post(BY_EMAIL, {"email": "maria@example.com"})

    (message,) = mail.outbox
    assert message.subject == "Reset your Dropline password"
    assert emailed_code()
    assert reset_key()


def test_asking_by_text_texts_a_code(maria):
    post(BY_TEXT, {"identifier": "maria"})
    assert latest_text()


def test_asking_needs_no_sign_in_and_no_csrf_token(maria):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(BY_TEXT, {"identifier": "maria"}, content_type="application/json")
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("url", "body", "field", "reason"),
    [
        (BY_EMAIL, {"email": "not-an-address"}, "email", "Enter a valid email address"),
        (BY_EMAIL, {"email": "  "}, "email", "This field is required."),
        (BY_TEXT, {"identifier": ""}, "identifier", "This field is required."),
        (REMINDER, {"address": "maria"}, "address", "Enter an email address or a mobile"),
    ],
)
def test_bad_input_names_the_field_and_the_reason(db, url, body, field, reason):
    response = post(url, body)

    assert response.status_code == 400
    ((named, why),) = field_errors(response)
    assert named == field
    assert why.startswith(reason)
    assert response.json()["detail"] == why
    assert mail.outbox == []


def test_a_missing_field_is_named(db):
    response = post(WITH_CODE, {"identifier": "maria", "code": "123456"})

    assert response.status_code == 422
    assert [field for field, _ in field_errors(response)] == ["password"]


@pytest.mark.usefixtures("maria")
def test_asking_is_limited_the_same_for_an_unknown_address():
    limit = recovery_limits.CODE_REQUESTS_PER_INPUT.count
    with clock.frozen(clock.now()):
        known = [post(BY_EMAIL, {"email": "maria@example.com"}) for _ in range(limit + 1)]
        unknown = [
            post(BY_EMAIL, {"email": "nobody@example.com"}, app("198.51.100.5"))
            for _ in range(limit + 1)
        ]

    assert [r.status_code for r in known] == [202] * limit + [429]
    assert [r.status_code for r in unknown] == [202] * limit + [429]
    assert known[-1].json() == unknown[-1].json()
    assert known[-1].json()["detail"].startswith("Too many attempts. Try again in")
    assert int(known[-1]["Retry-After"]) == known[-1].json()["retry_after"] > 0


def test_the_answers_follow_the_apps_language(maria):
    response = post(BY_EMAIL, {"email": "nobody"}, app(HTTP_ACCEPT_LANGUAGE="es"))

    assert response.status_code == 400
    assert "maria@example.com" in field_errors(response)[0][1]
    assert not field_errors(response)[0][1].startswith("Enter a valid")


# --- a new password with the code -------------------------------------------------------------


def test_a_texted_code_sets_a_new_password_and_ends_every_other_session(maria):
    token = app_token("maria")
    assert Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 200
    post(BY_TEXT, {"identifier": "maria"})

    response = reset_with(latest_text())

    assert response.status_code == 200
    assert "Your password is changed" in response.json()["detail"]
    assert Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 401
    assert can_sign_in(NEW_PASSWORD)
    assert not can_sign_in(PASSWORD)
    event = SecurityEvent.objects.get(user=maria, kind=SecurityEventKind.PASSWORD_RESET)
    assert event.ip == "203.0.113.9"
    assert Message.objects.filter(user=maria, event="security.password_changed").exists()


def test_an_emailed_code_sets_a_new_password_once(maria):
    post(BY_EMAIL, {"email": "maria@example.com"})
    code = emailed_code()

    first = reset_with(code, identifier="maria@example.com")
    again = reset_with(code, identifier="maria@example.com", password="another-long-phrase-9")

    assert first.status_code == 200
    assert again.status_code == 400
    assert field_errors(again) == [("code", CODE_DID_NOT_WORK)]
    assert can_sign_in(NEW_PASSWORD)


def test_a_wrong_code_answers_the_same_as_no_such_login(maria):
    post(BY_TEXT, {"identifier": "maria"})
    code = wrong(latest_text())

    for_real = reset_with(code)
    for_nobody = reset_with(code, identifier="nobody-at-all")

    assert for_real.status_code == for_nobody.status_code == 400
    assert for_real.json() == for_nobody.json()
    assert field_errors(for_real) == [("code", CODE_DID_NOT_WORK)]


def test_five_wrong_codes_use_the_code_up(maria):
    with clock.frozen(clock.now()):
        post(BY_TEXT, {"identifier": "maria"})
        code = latest_text()
        for _ in range(reset_codes.MAX_CODE_ATTEMPTS):
            assert reset_with(wrong(code)).status_code == 400

        assert field_errors(reset_with(code)) == [("code", CODE_DID_NOT_WORK)]
    assert not can_sign_in(NEW_PASSWORD)


def test_a_code_must_be_six_digits(maria):
    response = reset_with("12ab")

    assert response.status_code == 400
    assert field_errors(response) == [("code", "Enter the 6 digits of the code.")]


def test_the_password_policy_applies_and_the_code_still_works(maria):
    post(BY_TEXT, {"identifier": "maria"})
    code = latest_text()

    short = reset_with(code, password="too-short")

    assert short.status_code == 400
    ((field, reason),) = field_errors(short)
    assert field == "password"
    assert "too short" in reason
    assert reset_with(code).status_code == 200


def test_code_attempts_are_limited(maria):
    post(BY_TEXT, {"identifier": "maria"})
    with clock.frozen(clock.now()):
        for _ in range(recovery_limits.CODE_ATTEMPTS_PER_INPUT.count):
            reset_with("000000" if latest_text() != "000000" else "111111")
        response = reset_with(latest_text())

    assert response.status_code == 429
    assert "Retry-After" in response
    assert not can_sign_in(NEW_PASSWORD)


# --- the username reminder ------------------------------------------------------------------


def test_a_username_reminder_answers_the_same_and_reaches_only_the_real_login(
    maria, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = post(REMINDER, {"address": "(319) 555-0142"})
        unknown = post(REMINDER, {"address": "+13195550111"}, app("198.51.100.6"))

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    texts = list(SimulatedSms.objects.values_list("to", "body"))
    assert len(texts) == 1
    assert texts[0][0] == MARIA_PHONE
    assert "your username is maria" in texts[0][1]


# --- allauth's headless reset by link, for the app ---------------------------------------------


def test_the_apps_headless_request_sends_droplines_email(maria):
    known = post(APP_RESET_REQUEST, {"email": "maria@example.com"})
    unknown = post(APP_RESET_REQUEST, {"email": "nobody@example.com"}, app("198.51.100.7"))

    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    message = next(m for m in mail.outbox if "maria@example.com" in m.to)
    assert message.subject == "Reset your Dropline password"
    assert emailed_code()


@pytest.mark.parametrize("address", ["maria@example.com", "nobody@example.com"])
def test_the_apps_headless_requests_are_limited_like_the_web_page(maria, address):
    """Three a quarter-hour per address, whether or not it has a login: the app cannot
    be used to flood someone's inbox with reset emails."""
    answers = [
        post(APP_RESET_REQUEST, {"email": address}, app(f"198.51.100.{n}")) for n in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert sum(address in m.to for m in mail.outbox) <= 3


def test_the_apps_headless_reset_takes_the_link_key_once(maria):
    token = app_token("maria")
    post(APP_RESET_REQUEST, {"email": "maria@example.com"})
    key = reset_key()

    first = post(APP_RESET, {"key": key, "password": NEW_PASSWORD})
    again = post(APP_RESET, {"key": key, "password": "another-long-phrase-9"})

    assert first.status_code == 401, first.content  # reset, and not signed in
    assert again.status_code == 400
    assert can_sign_in(NEW_PASSWORD)
    assert Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 401
    # The code beside the used link no longer works either.
    assert reset_with(emailed_code(), identifier="maria@example.com").status_code == 400
