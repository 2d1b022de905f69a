"""Removing an authenticator app or passkeys through the mobile app (allauth headless)
obeys the same rules as the web: the last second factor only with a confirmation,
and never the last authenticator app or passkey of a member of staff."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dropline.accounts.models import SecurityEvent, SmsSecondFactor, User
from dropline.accounts.second_factor import enrol_authenticator_app
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_user
from tests.support.factors import enable_sms

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
TOTP = f"{APP}/account/authenticators/totp"
PASSKEYS = f"{APP}/account/authenticators/webauthn"


def app() -> Client:
    return Client(HTTP_USER_AGENT="Dropline-App/2.4 (Android 14)")


def signed_in(user: User) -> str:
    """A token, signed in before any factor was added, with a fresh password re-check."""
    login = app().post(
        f"{APP}/auth/login",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    token = str(login.json()["meta"]["session_token"])
    reauthenticate(token)
    return token


def reauthenticate(token: str) -> None:
    again = app().post(
        f"{APP}/auth/reauthenticate",
        {"password": PASSWORD},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert again.status_code == 200, again.content


def delete(url: str, token: str, body: dict[str, Any] | None = None) -> Any:
    return app().delete(
        url, body or {}, content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )


def with_app(user: User) -> Authenticator:
    return enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)


def passkey(user: User, name: str = "Phone") -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def error(response: Any) -> dict[str, Any]:
    [only] = response.json()["errors"]
    return dict(only)


# --- customers ------------------------------------------------------------------------------


def test_the_last_factor_stays_without_a_confirmation(db):
    user = make_user(username="lena")
    token = signed_in(user)
    app_factor = with_app(user)

    refused = delete(TOTP, token)

    assert refused.status_code == 400
    assert error(refused) == {
        "message": "This is your last second factor. Confirm that your account will be "
        "protected by the password alone.",
        "code": "last_second_factor",
        "param": "confirm_last",
    }
    assert Authenticator.objects.filter(pk=app_factor.pk).exists()
    assert not SecurityEvent.objects.filter(user=user, kind="second_factor_removed").exists()
    # Anything but an explicit true is no confirmation.
    for unconfirmed in ({"confirm_last": False}, {"confirm_last": "yes"}, {"confirm_last": 1}):
        assert delete(TOTP, token, unconfirmed).status_code == 400
    assert Authenticator.objects.filter(pk=app_factor.pk).exists()

    confirmed = delete(TOTP, token, {"confirm_last": True})

    assert confirmed.status_code == 200, confirmed.content
    assert not Authenticator.objects.filter(user=user).exists()
    event = SecurityEvent.objects.get(user=user, kind="second_factor_removed")
    assert event.data["method"] == "totp"


def test_one_of_several_factors_goes_without_confirmation(db):
    user = make_user(username="milo")
    token = signed_in(user)
    with_app(user)
    enable_sms(user)

    response = delete(TOTP, token)

    assert response.status_code == 200, response.content
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    assert SmsSecondFactor.objects.filter(user=user).exists()


def test_passkeys_removed_together_count_as_the_last_factor(db):
    user = make_user(username="pia")
    token = signed_in(user)
    first, second = passkey(user, "Phone"), passkey(user, "Laptop")

    together = delete(PASSKEYS, token, {"authenticators": [first.pk, second.pk]})

    assert together.status_code == 400
    assert error(together)["param"] == "confirm_last"
    assert Authenticator.objects.filter(user=user, type="webauthn").count() == 2

    one = delete(PASSKEYS, token, {"authenticators": [first.pk]})
    assert one.status_code == 200, one.content
    assert list(Authenticator.objects.filter(user=user).values_list("pk", flat=True)) == [second.pk]
    assert delete(PASSKEYS, token, {"authenticators": [second.pk]}).status_code == 400
    confirmed = delete(PASSKEYS, token, {"authenticators": [second.pk], "confirm_last": True})
    assert confirmed.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()


def test_re_authentication_is_still_required(db, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # every earlier check is too old
    user = make_user(username="rhea")
    token = signed_in_without_recheck(user)
    app_factor = with_app(user)
    enable_sms(user)

    response = delete(TOTP, token, {"confirm_last": True})

    assert response.status_code == 401
    flows = [flow["id"] for flow in response.json()["data"]["flows"]]
    assert "reauthenticate" in flows
    assert Authenticator.objects.filter(pk=app_factor.pk).exists()


def signed_in_without_recheck(user: User) -> str:
    login = app().post(
        f"{APP}/auth/login",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    return str(login.json()["meta"]["session_token"])


def test_another_persons_passkey_cannot_be_named(db):
    owner = make_user(username="olga")
    theirs = passkey(owner)
    intruder = make_user(username="ivan")
    token = signed_in(intruder)
    with_app(intruder)

    response = delete(PASSKEYS, token, {"authenticators": [theirs.pk], "confirm_last": True})

    assert response.status_code == 400
    assert Authenticator.objects.filter(pk=theirs.pk).exists()
    assert Authenticator.objects.filter(user=intruder, type="totp").exists()


# --- staff ----------------------------------------------------------------------------------


def test_staff_never_remove_their_last_app_or_passkey(db):
    staff = make_user(username="stan", is_staff=True, second_factor=False)
    token = signed_in(staff)
    app_factor = with_app(staff)
    enable_sms(staff)  # a text message does not open the back-office

    refused = delete(TOTP, token, {"confirm_last": True})

    assert refused.status_code == 409
    assert error(refused)["code"] == "staff_need_authenticator"
    assert "Staff accounts need an authenticator app or a passkey" in error(refused)["message"]
    assert Authenticator.objects.filter(pk=app_factor.pk).exists()

    # With a passkey beside it the app may go, but then the passkey must stay.
    key = passkey(staff)
    assert delete(TOTP, token).status_code == 200
    last = delete(PASSKEYS, token, {"authenticators": [key.pk], "confirm_last": True})
    assert last.status_code == 409
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_other_methods_still_reach_allauth(db):
    user = make_user(username="gus")
    token = signed_in(user)
    with_app(user)
    status = app().get(TOTP, HTTP_X_SESSION_TOKEN=token)
    assert status.status_code == 200
    assert status.json()["data"]["type"] == "totp"
    assert app().delete(TOTP).status_code == 401  # no token: allauth's answer
