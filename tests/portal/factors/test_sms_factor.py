"""Sign-in codes by text message: turning them on, the sign-in step, and its limits."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.db.models import RestrictedError
from django.test import Client
from django.urls import reverse
from django.utils.crypto import salted_hmac

from dropline.accounts.models import SecurityEvent, SmsSecondFactor, SmsSignInCode, User
from dropline.core import clock
from dropline.identity.factors import errors, listing, sms_codes
from dropline.notifications.channels.sms import TemporarySmsError
from dropline.notifications.models import ContactStatus, SimulatedSms
from tests.support.factories import make_user
from tests.support.factors import (
    PHONE,
    URLCONF,
    add_phone,
    enable_sms,
    finish_without_trust,
    latest_code,
    reauthenticate,
    sign_in_with_password,
    signed_in_user,
    text_messages_to,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(URLCONF),
    pytest.mark.usefixtures("configured"),
]

SMS_PAGE = "second_factor:sms_authenticate"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- turning it on ------------------------------------------------------------------------------


def test_a_verified_number_can_receive_sign_in_codes(client):
    user = make_user(username="vera")
    phone = add_phone(user)
    client.force_login(user)
    reauthenticate(client)
    page = client.get(reverse("second_factor:add_text_message")).content.decode()
    assert "(319) 555-0142" in page
    assert "The weakest second factor" in page
    response = client.post(reverse("second_factor:add_text_message"), {"contact": phone.pk})
    assert response.status_code == 302
    factor = SmsSecondFactor.objects.get(user=user)
    assert factor.contact == phone
    assert SecurityEvent.objects.filter(user=user, kind="second_factor_added").exists()


def test_an_unverified_number_cannot(client):
    user = make_user(username="ulla")
    unverified = add_phone(user, verified=False)
    with pytest.raises(errors.SecondFactorError, match="Confirm this number"):
        sms_codes.enable_sms_factor(user=user, contact_id=unverified.pk)
    client.force_login(user)
    reauthenticate(client)
    page = client.get(reverse("second_factor:add_text_message")).content.decode()
    assert "You have no confirmed mobile number yet" in page
    response = client.post(reverse("second_factor:add_text_message"), {"contact": unverified.pk})
    assert response.status_code == 400
    assert not SmsSecondFactor.objects.filter(user=user).exists()


def test_a_number_that_bounces_cannot():
    user = make_user(username="bea")
    phone = add_phone(user)
    phone.status = ContactStatus.UNDELIVERABLE
    phone.save()
    with pytest.raises(errors.SecondFactorError, match="did not arrive"):
        sms_codes.enable_sms_factor(user=user, contact_id=phone.pk)


def test_another_persons_number_cannot(client):
    owner = make_user(username="owen")
    theirs = add_phone(owner)
    user = make_user(username="uma")
    add_phone(user, "+13195550150")
    with pytest.raises(errors.SecondFactorError):
        sms_codes.enable_sms_factor(user=user, contact_id=theirs.pk)
    client.force_login(user)
    reauthenticate(client)
    response = client.post(reverse("second_factor:add_text_message"), {"contact": theirs.pk})
    assert response.status_code == 400
    assert not SmsSecondFactor.objects.exists()


def test_the_number_that_receives_codes_cannot_simply_be_deleted():
    user = make_user(username="rudi")
    factor = enable_sms(user)
    with pytest.raises(RestrictedError):
        factor.contact.delete()
    user.delete()  # deleting the person takes both
    assert not SmsSecondFactor.objects.exists()


# --- signing in ---------------------------------------------------------------------------------


def test_signing_in_with_a_text_message(client):
    user = make_user(username="sol")
    enable_sms(user)
    response = sign_in_with_password(client, user)
    assert response.url == reverse(SMS_PAGE)
    assert signed_in_user(client) is None
    [body] = text_messages_to()
    code = latest_code()
    assert len(code) == 6
    assert "expires in 10 minutes" in body

    page = client.get(reverse(SMS_PAGE)).content.decode()
    assert "(•••) •••-0142" in page
    assert PHONE not in page
    assert "555-0142" not in page.replace("•••-0142", "")
    assert "weakest second factor" in page

    record = SmsSignInCode.objects.get()
    assert code not in record.code_hash  # a keyed hash, not the code
    assert record.code_hash.startswith("hmac-sha256$")

    response = client.post(reverse(SMS_PAGE), {"code": f"{code[:3]} {code[3:]}"})
    assert finish_without_trust(client, response).url == reverse("portal:overview")
    assert signed_in_user(client) == str(user.pk)
    record.refresh_from_db()
    assert record.used_at is not None
    assert SmsSecondFactor.objects.get(user=user).last_used_at is not None


def test_a_code_works_once(client):
    user = make_user(username="ona")
    factor = enable_sms(user)
    sms_codes.send_sign_in_code(factor=factor)
    code = latest_code()
    sms_codes.verify_sign_in_code(factor=factor, code=code)
    with pytest.raises(errors.SecondFactorError, match="expired"):
        sms_codes.verify_sign_in_code(factor=factor, code=code)


def test_a_wrong_code_is_refused_and_counted(client):
    user = make_user(username="wes")
    enable_sms(user)
    sign_in_with_password(client, user)
    code = latest_code()
    response = client.post(reverse(SMS_PAGE), {"code": _wrong(code)})
    assert response.status_code == 400
    assert "That code is not right. You can try 4 more times." in response.content.decode()
    assert signed_in_user(client) is None
    assert SmsSignInCode.objects.get().attempts == 1  # committed, not rolled back
    assert SecurityEvent.objects.filter(user=user, kind="second_factor_failed").count() == 1
    response = client.post(reverse(SMS_PAGE), {"code": code})
    assert finish_without_trust(client, response).url == reverse("portal:overview")


def test_five_wrong_codes_use_the_code_up():
    user = make_user(username="fifi")
    factor = enable_sms(user)
    sms_codes.send_sign_in_code(factor=factor)
    code = latest_code()
    for _ in range(sms_codes.MAX_ATTEMPTS):
        with pytest.raises(errors.SecondFactorError):
            sms_codes.verify_sign_in_code(factor=factor, code=_wrong(code))
    with pytest.raises(errors.SecondFactorError, match="Too many wrong codes"):
        sms_codes.verify_sign_in_code(factor=factor, code=code)
    assert SmsSignInCode.objects.get().attempts == sms_codes.MAX_ATTEMPTS


def test_a_code_stored_before_the_shared_code_service_still_works():
    """Rows written by the earlier hashing (the same salt and format) stay valid."""
    user = make_user(username="olga")
    factor = enable_sms(user)
    now = clock.now()
    nonce = "0123456789abcdef"
    digest = salted_hmac(
        "dropline.accounts.sms_sign_in_code", f"{nonce}:424242", algorithm="sha256"
    ).hexdigest()
    SmsSignInCode.objects.create(
        factor=factor,
        code_hash=f"hmac-sha256${nonce}${digest}",
        created_at=now,
        expires_at=now + sms_codes.CODE_LIFETIME,
    )
    sms_codes.verify_sign_in_code(factor=factor, code="424 242")
    assert SmsSignInCode.objects.get().used_at is not None


def test_an_expired_code_is_refused():
    user = make_user(username="eli")
    factor = enable_sms(user)
    sent_at = clock.now()
    with clock.frozen(sent_at):
        sms_codes.send_sign_in_code(factor=factor)
    code = latest_code()
    with (
        clock.frozen(sent_at + dt.timedelta(minutes=10, seconds=1)),
        pytest.raises(errors.SecondFactorError, match="expired"),
    ):
        sms_codes.verify_sign_in_code(factor=factor, code=code)
    with clock.frozen(sent_at + dt.timedelta(minutes=9, seconds=59)):
        sms_codes.verify_sign_in_code(factor=factor, code=code)


def test_only_the_newest_code_works(distinct_codes):
    user = make_user(username="nia")
    factor = enable_sms(user)
    start = clock.now()
    with clock.frozen(start):
        sms_codes.send_sign_in_code(factor=factor)
    older = latest_code()
    with clock.frozen(start + dt.timedelta(seconds=31)):
        sms_codes.send_sign_in_code(factor=factor)
        newer = latest_code()
        assert older != newer
        with pytest.raises(errors.SecondFactorError):
            sms_codes.verify_sign_in_code(factor=factor, code=older)
        sms_codes.verify_sign_in_code(factor=factor, code=newer)


def test_asking_for_new_codes_is_limited(client):
    user = make_user(username="lia")
    factor = enable_sms(user)
    start = clock.now()
    with clock.frozen(start):
        sign_in_with_password(client, user)
        response = client.post(reverse("second_factor:sms_resend"), follow=True)
        assert "You can ask for another in 30 seconds" in response.content.decode()
    assert len(text_messages_to()) == 1
    for minute in range(1, sms_codes.MAX_CODES_PER_HOUR):
        with clock.frozen(start + dt.timedelta(minutes=minute)):
            sms_codes.send_sign_in_code(factor=factor)
    assert len(text_messages_to()) == sms_codes.MAX_CODES_PER_HOUR
    with (
        clock.frozen(start + dt.timedelta(minutes=30)),
        pytest.raises(errors.SecondFactorError, match="too many codes"),
    ):
        sms_codes.send_sign_in_code(factor=factor)
    with clock.frozen(start + dt.timedelta(minutes=61)):
        sms_codes.send_sign_in_code(factor=factor)
    assert len(text_messages_to()) == sms_codes.MAX_CODES_PER_HOUR + 1


def test_each_code_is_sent_with_its_own_idempotency_key(monkeypatch):
    sent: list[dict[str, str]] = []

    class Recorder:
        def send(self, *, to: str, body: str, idempotency_key: str) -> str:
            sent.append({"to": to, "body": body, "key": idempotency_key})
            return "ref"

    monkeypatch.setattr(sms_codes, "gateway", Recorder)
    user = make_user(username="ida")
    factor = enable_sms(user)
    first = sms_codes.send_sign_in_code(factor=factor)
    with clock.frozen(clock.now() + dt.timedelta(minutes=1)):
        second = sms_codes.send_sign_in_code(factor=factor)
    assert [s["key"] for s in sent] == [f"sign-in-code:{first.pk}", f"sign-in-code:{second.pk}"]
    assert {s["to"] for s in sent} == {PHONE}


def test_the_simulator_keys_messages_by_that_key():
    user = make_user(username="sim")
    factor = enable_sms(user)
    record = sms_codes.send_sign_in_code(factor=factor)
    expected = f"SIM{uuid.uuid5(uuid.NAMESPACE_URL, f'sign-in-code:{record.pk}').hex[:24]}"
    assert SimulatedSms.objects.get().reference == expected


def test_a_provider_failure_is_explained_and_another_way_offered(client, monkeypatch):
    class Down:
        def send(self, *, to: str, body: str, idempotency_key: str) -> str:
            raise TemporarySmsError("provider timed out")

    monkeypatch.setattr(sms_codes, "gateway", Down)
    user = make_user(username="dan", second_factor=True)
    enable_sms(user)
    listing.set_default_method(user=user, method="sms")
    response = sign_in_with_password(client, user)
    assert response.url == reverse(SMS_PAGE)
    page = client.get(response.url).content.decode()
    assert "We could not send a text message to your number" in page
    assert "Use my authenticator app, a passkey or a recovery code instead" in page


# --- choosing between factors ------------------------------------------------------------------


def _both(username: str) -> User:
    user = make_user(username=username, second_factor=True)
    enable_sms(user)
    return user


def _choose(client: Client, route: str) -> Any:
    return client.post(reverse("second_factor:choose_method"), {"route": route})


def test_a_person_with_an_app_and_texts_can_switch_either_way(client):
    from tests.support.factories import STAFF_TOTP_SECRET
    from tests.support.totp import code_with_time_to_spare

    user = _both("cleo")
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Use a text message instead" in page
    assert text_messages_to() == []

    response = _choose(client, "sms")
    assert response.url == reverse(SMS_PAGE)
    assert len(text_messages_to()) == 1
    assert client.get(reverse("mfa_authenticate")).url == reverse("account_login")

    response = _choose(client, "mfa")
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse(SMS_PAGE)).url == reverse("account_login")
    response = _choose(client, "sms")
    assert response.url == reverse(SMS_PAGE)
    assert len(text_messages_to()) == 1  # the code already sent still works; no new text

    response = client.post(reverse(SMS_PAGE), {"code": latest_code()})
    assert finish_without_trust(client, response).url == reverse("portal:overview")
    assert signed_in_user(client) == str(user.pk)

    # With texts as the default, the text comes first and the app is one click away.
    client.post(reverse("account_logout"))
    listing.set_default_method(user=user, method="sms")
    with clock.frozen(clock.now() + dt.timedelta(minutes=1)):
        assert sign_in_with_password(client, user).url == reverse(SMS_PAGE)
    assert len(text_messages_to()) == 2
    assert _choose(client, "mfa").url == reverse("mfa_authenticate")
    response = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
    )
    assert finish_without_trust(client, response).url == reverse("portal:overview")


def test_no_switch_to_a_factor_the_person_lacks(client):
    user = make_user(username="ada", second_factor=True)
    sign_in_with_password(client, user)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Use a text message instead" not in page
    assert _choose(client, "sms").url == reverse("account_login")
    assert text_messages_to() == []
    assert client.get(reverse("mfa_authenticate")).status_code == 200  # still waiting there

    texts_only = make_user(username="tex")
    enable_sms(texts_only, "+13195550177")
    other = Client()
    assert sign_in_with_password(other, texts_only).url == reverse(SMS_PAGE)
    # "mfa" is no way round the text message for someone without an app or passkey.
    assert _choose(other, "mfa").url == reverse("account_login")
    assert other.get(reverse(SMS_PAGE)).status_code == 200
    assert signed_in_user(other) is None


def test_no_switch_before_the_password_or_at_another_step(client):
    assert _choose(client, "sms").url == reverse("account_login")
    assert client.get(reverse(SMS_PAGE)).url == reverse("account_login")
    assert client.post(reverse("second_factor:sms_resend")).url == reverse("account_login")

    user = _both("bo")
    from tests.support.factories import STAFF_TOTP_SECRET
    from tests.support.totp import code_with_time_to_spare

    sign_in_with_password(client, user)
    client.post(reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)})
    # Now at "trust this browser?": the second step is done and cannot be reopened.
    assert _choose(client, "sms").url == reverse("account_login")
    assert text_messages_to() == []


def test_a_passkey_sign_in_skips_the_text_message(client):
    from tests.support.passkeys import SoftwareAuthenticator, register_passkey

    user = make_user(username="kai")
    key = SoftwareAuthenticator.new()
    register_passkey(client, user, key)
    enable_sms(user)
    listing.set_default_method(user=user, method="sms")
    import json

    options = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json").json()
    assertion = key.get(options["request_options"])
    response = client.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(assertion)})
    assert response.url == reverse("portal:overview")
    assert text_messages_to() == []


def test_the_mobile_app_is_not_let_through_without_the_text_message(client):
    """A person whose only factor is text messages stays unauthenticated in the app
    until the texted code is given at ``/api/v1/sign-in/text-message/authenticate``
    (tests/api/sign_in/test_app_sms_sign_in.py), never signed in without the second step."""
    user = make_user(username="appy")
    enable_sms(user)
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"username": user.username, "password": "correct-horse-battery-staple"},
        content_type="application/json",
    )
    assert response.status_code == 401
    flows = response.json()["data"]["flows"]
    assert {"id": "dropline_sms_authenticate", "is_pending": True} in flows
    meta = response.json()["meta"]
    assert meta["is_authenticated"] is False
    session = client.get(
        "/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=meta["session_token"]
    )
    assert session.status_code == 401
    assert client.get("/api/v1/me", HTTP_X_SESSION_TOKEN=meta["session_token"]).status_code == 401


def test_the_app_gets_allauths_step_when_the_person_has_an_app_too(client):
    user = _both("duo")
    listing.set_default_method(user=user, method="sms")
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"username": user.username, "password": "correct-horse-battery-staple"},
        content_type="application/json",
    )
    assert response.status_code == 401
    pending = [f for f in response.json()["data"]["flows"] if f.get("is_pending")]
    assert pending[0]["id"] == "mfa_authenticate"
    assert text_messages_to() == []


def test_removing_texts_keeps_the_app(client):
    user = _both("rex")
    factor = SmsSecondFactor.objects.get(user=user)
    client.force_login(user)
    reauthenticate(client)
    client.post(reverse("second_factor:remove", args=["sms", factor.pk]), {})
    assert not SmsSecondFactor.objects.exists()
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert SecurityEvent.objects.filter(user=user, kind="second_factor_removed").exists()
