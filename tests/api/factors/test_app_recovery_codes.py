"""Recovery codes through the mobile app (allauth headless): shown once, stored hashed,
each good for one sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dropline.accounts.recovery_codes import HIDDEN, HashedRecoveryCodes
from dropline.accounts.second_factor import enrol_authenticator_app
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_user
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
CODES = f"{APP}/account/authenticators/recovery-codes"
PHONE_UA = "Dropline-App/2.3 (Android 14; Pixel 8) okhttp/4.12.0"


def post(client: Client, url: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers: dict[str, Any] = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    return client.post(url, body, content_type="application/json", **headers)


def start(username: str) -> tuple[Client, str]:
    client = Client(HTTP_USER_AGENT=PHONE_UA)
    first = post(client, f"{APP}/auth/login", {"username": username, "password": PASSWORD})
    assert first.status_code == 401, first.content
    return client, str(first.json()["meta"]["session_token"])


def second_step(username: str, code: str) -> Any:
    client, pending = start(username)
    return post(client, f"{APP}/auth/2fa/authenticate", {"code": code}, pending)


def signed_in_recently(username: str) -> str:
    """A token for the app after the second step and a fresh password re-check."""
    done = second_step(username, code_with_time_to_spare(STAFF_TOTP_SECRET))
    token = str(done.json()["meta"]["session_token"])
    again = post(Client(), f"{APP}/auth/reauthenticate", {"password": PASSWORD}, token)
    assert again.status_code == 200, again.content
    return token


@pytest.fixture
def lena() -> Any:
    user = make_user(username="lena", second_factor=False)
    enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)
    HashedRecoveryCodes.activate(user)
    return user


def test_the_app_sees_the_codes_once_then_only_how_many_are_left(lena):
    token = signed_in_recently("lena")

    first = Client().get(CODES, HTTP_X_SESSION_TOKEN=token)
    assert first.status_code == 200, first.content
    codes = first.json()["data"]["unused_codes"]
    assert len(codes) == 10
    assert HIDDEN not in codes

    again = Client().get(CODES, HTTP_X_SESSION_TOKEN=token).json()["data"]
    assert "unused_codes" not in again
    assert again["unused_code_count"] == 10
    assert again["total_code_count"] == 10
    assert "pending" not in Authenticator.objects.get(user=lena, type="recovery_codes").data

    # A code signs the app in once; the same code again is refused.
    assert second_step("lena", codes[2]).status_code == 200
    refused = second_step("lena", codes[2])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["param"] == "code"
    left = Client().get(CODES, HTTP_X_SESSION_TOKEN=token).json()["data"]
    assert left["unused_code_count"] == 9


def test_new_codes_from_the_app_are_shown_in_the_answer_only(lena):
    token = signed_in_recently("lena")
    old = HashedRecoveryCodes(
        Authenticator.objects.get(user=lena, type="recovery_codes")
    ).get_unused_codes()

    made = post(Client(), CODES, {}, token)
    assert made.status_code == 200, made.content
    codes = made.json()["data"]["unused_codes"]
    assert len(codes) == 10
    assert set(codes).isdisjoint(old)
    assert "unused_codes" not in Client().get(CODES, HTTP_X_SESSION_TOKEN=token).json()["data"]
    stored = Authenticator.objects.get(user=lena, type="recovery_codes").data
    assert "pending" not in stored
    assert set(stored) >= {"salt", "hashes"}

    assert second_step("lena", old[0]).status_code == 400
    assert second_step("lena", codes[0]).status_code == 200
