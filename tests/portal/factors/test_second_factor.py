"""Second factors: recovery codes, the person's list of factors (default, removal),
trusted browsers, passkeys, and how the sign-in picks its second step.

The URL configuration, settings and helpers these tests share with the other
second-factor tests are in ``tests/support/factors.py`` and ``tests/support/passkeys.py``;
the ``configured`` fixture is in this folder's ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.utils import websafe_encode

from dropline.accounts.models import SecondFactorPreference, SmsSecondFactor, User
from dropline.accounts.recovery_codes import HashedRecoveryCodes
from dropline.core import clock
from dropline.identity.factors import listing, trusted_browsers
from tests.support.factories import STAFF_TOTP_SECRET, make_user
from tests.support.factors import (
    URLCONF,
    enable_sms,
    finish_without_trust,
    latest_code,
    reauthenticate,
    sign_in_with_password,
    signed_in_user,
    text_messages_to,
)
from tests.support.passkeys import RP_ID, SoftwareAuthenticator, register_passkey
from tests.support.totp import code_with_time_to_spare

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(URLCONF),
    pytest.mark.usefixtures("configured"),
]

# --- sign-in stages ---------------------------------------------------------------------------


def test_the_sign_in_stages_put_text_messages_beside_allauths_second_step():
    from dropline.identity.adapter import AccountAdapter

    stages = AccountAdapter().get_login_stages()
    authenticate = stages.index("dropline.identity.stages.AuthenticateStage")
    assert stages[authenticate + 1] == "dropline.identity.stages.SmsAuthenticateStage"
    assert stages[authenticate + 2] == "dropline.identity.stages.TrustStage"
    assert "allauth.mfa.stages.AuthenticateStage" not in stages
    assert AccountAdapter().is_open_for_signup(None) is False  # type: ignore[arg-type]


def test_without_a_second_factor_the_password_is_enough(client):
    user = make_user(username="plain")
    response = sign_in_with_password(client, user)
    assert response.status_code == 302
    assert response.url == reverse("portal:overview")


# --- recovery codes ---------------------------------------------------------------------------


def _user_with_app(username: str, **extra: Any) -> User:
    user = make_user(username=username, second_factor=True, **extra)
    HashedRecoveryCodes.activate(user)
    return user


def codes_on(page: str) -> list[str]:
    """The recovery codes in the page's text box."""
    box = page.split('id="recovery_codes"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    return box.split()


def test_recovery_codes_are_ten_shown_once_and_can_be_made_again(client):
    user = _user_with_app("rhea")
    client.force_login(user)
    reauthenticate(client)
    first = client.get(reverse("mfa_view_recovery_codes"))
    page = first.content.decode()
    codes = codes_on(page)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert "We show them only this once" in page
    again = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert 'id="recovery_codes"' not in again
    assert not any(code in again for code in codes)
    assert "You have 10 of 10 recovery codes left." in again
    assert reverse("mfa_generate_recovery_codes") in again
    assert client.get(reverse("mfa_download_recovery_codes")).status_code == 403

    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    shown = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    fresh = codes_on(shown)
    assert len(fresh) == 10
    assert set(fresh).isdisjoint(codes)
    # The old codes stopped working; the new ones work.
    rc = Authenticator.objects.get(user=user, type="recovery_codes").wrap()
    assert rc.validate_code(codes[0]) is False
    assert rc.validate_code(fresh[0]) is True


def test_a_recovery_code_signs_in_once_and_is_refused_the_second_time(client):
    user = _user_with_app("remy")
    code = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()[3]

    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    response = finish_without_trust(
        client, client.post(reverse("mfa_authenticate"), {"code": code})
    )
    assert response.url == reverse("portal:overview")
    assert signed_in_user(client) == str(user.pk)

    client.post(reverse("account_logout"))
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    refused = client.post(reverse("mfa_authenticate"), {"code": code})
    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert signed_in_user(client) is None
    rc = Authenticator.objects.get(user=user, type="recovery_codes").wrap()
    assert len(rc.get_unused_codes()) == 9


# --- managing factors -------------------------------------------------------------------------


def test_the_factor_list_shows_every_factor_the_default_and_codes_left(client):
    user = _user_with_app("fay")
    Authenticator.objects.create(
        user=user, type="webauthn", data={"name": "Work laptop", "credential": {}}
    )
    enable_sms(user)
    client.force_login(user)
    page = client.get(reverse("second_factor:manage")).content.decode()
    assert "Authenticator app" in page
    assert "Work laptop" in page
    assert "Text message to (•••) •••-0142" in page
    assert "Weakest option" in page
    assert "10 of 10 recovery codes left" in page
    summary = listing.factors_for(user=user)
    assert summary.default_method == "webauthn"  # strongest first when nothing is chosen
    assert [f.method for f in summary.factors if f.is_default] == ["webauthn"]
    assert page.count("Asked for first") == 1


def test_allauths_two_factor_page_is_the_factor_list(client):
    user = make_user(username="ines")
    client.force_login(user)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Your account is protected by your password alone." in page
    assert reverse("mfa_activate_totp") in page
    assert reverse("mfa_add_webauthn") in page
    assert "First add and confirm a mobile number" in page
    assert "Trusted browsers" not in page  # nothing to skip without a second factor
    client.logout()
    assert client.get(reverse("mfa_index")).url.startswith(reverse("account_login"))


def test_choosing_the_default_needs_a_recent_reauthentication(client):
    user = _user_with_app("dora")
    enable_sms(user)
    client.force_login(user)
    response = client.post(reverse("second_factor:set_default"), {"method": "sms"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert listing.default_method_for(user=user) == "totp"

    reauthenticate(client)
    response = client.post(reverse("second_factor:set_default"), {"method": "sms"})
    assert response.status_code == 302
    assert listing.default_method_for(user=user) == "sms"
    refused = client.post(reverse("second_factor:set_default"), {"method": "webauthn"})
    assert refused.status_code == 400  # no passkey: not a choice
    assert listing.default_method_for(user=user) == "sms"


def test_the_sign_in_asks_for_the_default_first(client):
    user = _user_with_app("gail")
    enable_sms(user)
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    client.post(reverse("account_logout"))

    listing.set_default_method(user=user, method="sms")
    assert sign_in_with_password(client, user).url == reverse("second_factor:sms_authenticate")
    assert len(text_messages_to()) == 1


def test_adding_or_removing_a_factor_needs_a_recent_reauthentication(client):
    user = _user_with_app("ross")
    app = Authenticator.objects.get(user=user, type="totp")
    client.force_login(user)
    for url in [
        reverse("second_factor:remove", args=["totp", app.pk]),
        reverse("second_factor:add_text_message"),
        reverse("mfa_add_webauthn"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_reauthenticate")), url
    response = client.post(
        reverse("second_factor:remove", args=["totp", app.pk]), {"confirm_last": "on"}
    )
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(pk=app.pk).exists()


def test_removing_the_last_factor_without_confirmation_changes_nothing(client):
    user = _user_with_app("lena")
    app = Authenticator.objects.get(user=user, type="totp")
    client.force_login(user)
    reauthenticate(client)
    url = reverse("second_factor:remove", args=["totp", app.pk])
    page = client.get(url).content.decode()
    assert "I understand my account will be protected by the password alone" in page

    response = client.post(url, {})
    assert response.status_code == 400
    assert "This is your last second factor" in response.content.decode()
    assert Authenticator.objects.filter(user=user).count() == 2  # app and recovery codes

    response = client.post(url, {"confirm_last": "on"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()  # codes went with the app


def test_removing_one_of_several_factors_needs_no_confirmation(client):
    user = _user_with_app("milo")
    factor = enable_sms(user)
    client.force_login(user)
    reauthenticate(client)
    page = client.get(reverse("second_factor:remove", args=["sms", factor.pk])).content.decode()
    assert "I understand" not in page
    response = client.post(reverse("second_factor:remove", args=["sms", factor.pk]), {})
    assert response.status_code == 302
    assert not SmsSecondFactor.objects.filter(user=user).exists()
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_staff_can_never_remove_their_last_factor(client):
    staff = make_user(username="stan", is_staff=True)  # gets an authenticator app
    app = Authenticator.objects.get(user=staff, type="totp")
    client.force_login(staff)
    reauthenticate(client)
    url = reverse("second_factor:remove", args=["totp", app.pk])
    assert (
        "Staff accounts need an authenticator app or a passkey" in client.get(url).content.decode()
    )
    response = client.post(url, {"confirm_last": "on"})
    assert response.status_code == 400
    assert Authenticator.objects.filter(pk=app.pk).exists()

    # allauth's own page refuses too (the MFA adapter), and its address leads here.
    assert client.get("/accounts/2fa/totp/deactivate/").url == url
    from allauth.mfa.totp.forms import DeactivateTOTPForm

    assert not DeactivateTOTPForm(data={}, authenticator=app).is_valid()

    # A text-message factor does not open the back-office: still refused.
    enable_sms(staff)
    assert client.post(url, {"confirm_last": "on"}).status_code == 400
    assert Authenticator.objects.filter(pk=app.pk).exists()


def test_another_persons_factor_answers_404(client):
    owner = _user_with_app("olga")
    owner_sms = enable_sms(owner)
    owner_app = Authenticator.objects.get(user=owner, type="totp")
    passkey = Authenticator.objects.create(
        user=owner, type="webauthn", data={"name": "Olga's phone", "credential": {}}
    )
    intruder = _user_with_app("ivan")
    client.force_login(intruder)
    reauthenticate(client)
    for method, pk in [("totp", owner_app.pk), ("sms", owner_sms.pk), ("webauthn", passkey.pk)]:
        url = reverse("second_factor:remove", args=[method, pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm_last": "on"}).status_code == 404
    assert client.get(f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/").status_code == 404
    assert client.post(reverse("second_factor:remove", args=["bogus", 1])).status_code == 404
    assert Authenticator.objects.filter(user=owner).count() == 3
    assert SmsSecondFactor.objects.filter(user=owner).exists()


def test_allauths_removal_addresses_lead_to_the_checked_removal_page(client):
    user = _user_with_app("alma")
    passkey = Authenticator.objects.create(
        user=user, type="webauthn", data={"name": "Key", "credential": {}}
    )
    client.force_login(user)
    response = client.post(f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/")
    assert response.status_code == 302
    assert response.url == reverse("second_factor:remove", args=["webauthn", passkey.pk])
    assert Authenticator.objects.filter(pk=passkey.pk).exists()  # nothing removed on the way


# --- trusted browsers -------------------------------------------------------------------------


def _sign_in_with_app(client: Client, user: User, *, trust: bool) -> Any:
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    response: Any = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
    )
    assert response.url == reverse("mfa_trust")
    return client.post(reverse("mfa_trust"), {"action": "trust" if trust else "skip"})


def test_a_trusted_browser_skips_the_second_step_until_trust_is_revoked(client):
    user = make_user(username="tess", second_factor=True)
    response = _sign_in_with_app(client, user, trust=True)
    assert response.url == reverse("portal:overview")
    assert client.cookies.get("mfa_trusted")
    page = client.get(reverse("second_factor:manage")).content.decode()
    assert "This browser is trusted" in page

    client.post(reverse("account_logout"))
    assert sign_in_with_password(client, user).url == reverse("portal:overview")

    response = client.post(reverse("second_factor:forget_browsers"), {"next": "/"})
    assert response.url == "/"
    assert SecondFactorPreference.objects.get(user=user).trusted_browsers_revoked_at
    assert (
        "This browser is not trusted"
        in client.get(reverse("second_factor:manage")).content.decode()
    )
    client.post(reverse("account_logout"))
    # The cookie is still there, signed and unexpired, but no longer honoured.
    assert client.cookies.get("mfa_trusted")
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")


def test_forgetting_browsers_never_redirects_elsewhere(client):
    user = make_user(username="nora")
    client.force_login(user)
    response = client.post(
        reverse("second_factor:forget_browsers"), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("second_factor:manage")


def test_a_trusted_browser_also_skips_the_text_message(client):
    user = make_user(username="tobi")
    # Turned on a while ago: a change of factors ends the trust issued before it, to the
    # second (allauth stamps trust in whole seconds), so a trust given in the same
    # second would not count.
    with clock.frozen(clock.now() - dt.timedelta(minutes=5)):
        enable_sms(user)
    response = sign_in_with_password(client, user)
    assert response.url == reverse("second_factor:sms_authenticate")
    response = client.post(reverse("second_factor:sms_authenticate"), {"code": latest_code()})
    assert response.url == reverse("mfa_trust")  # trust is offered after a text message too
    client.post(reverse("mfa_trust"), {"action": "trust"})
    client.post(reverse("account_logout"))
    assert sign_in_with_password(client, user).url == reverse("portal:overview")
    assert len(text_messages_to()) == 1

    trusted_browsers.revoke_trusted_browsers(user=user)
    client.post(reverse("account_logout"))
    assert sign_in_with_password(client, user).url == reverse("second_factor:sms_authenticate")


# --- passkeys, with a software authenticator ---------------------------------------------------


def test_a_passkey_registered_with_a_software_authenticator_signs_in_without_a_password(client):
    user = make_user(username="pia")
    key = SoftwareAuthenticator.new()
    register_passkey(client, user, key)
    passkey = Authenticator.objects.get(user=user, type="webauthn")
    assert passkey.wrap().name == "Soft key"
    assert passkey.wrap().is_passwordless is True
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()

    options = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json").json()[
        "request_options"
    ]
    assertion = key.get(options)
    response = client.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(assertion)})
    assert response.status_code == 302
    assert response.url == reverse("portal:overview")  # no second step after a passkey
    assert signed_in_user(client) == str(user.pk)


def test_a_passkey_is_also_a_second_factor_after_the_password(client):
    user = make_user(username="paz")
    key = SoftwareAuthenticator.new()
    register_passkey(client, user, key)
    assert sign_in_with_password(client, user).url == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    assert 'id="mfa_webauthn_authenticate"' in page.content.decode()
    options = page.context["js_data"]["request_options"]
    assertion = key.get(options)
    response = client.post(reverse("mfa_authenticate"), {"credential": json.dumps(assertion)})
    assert finish_without_trust(client, response).url == reverse("portal:overview")
    assert signed_in_user(client) == str(user.pk)


def test_a_forged_passkey_signature_is_refused(client):
    user = make_user(username="pablo")
    key = SoftwareAuthenticator.new()
    register_passkey(client, user, key)
    options = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json").json()[
        "request_options"
    ]
    impostor = SoftwareAuthenticator(
        private_key=ec.generate_private_key(ec.SECP256R1()),
        credential_id=key.credential_id,
        user_handle=key.user_handle,
    )
    assertion = impostor.get(options)
    client.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(assertion)})
    assert signed_in_user(client) is None


def test_a_preferred_passkey_comes_first_on_the_second_step(client):
    user = _user_with_app("pam")
    Authenticator.objects.create(
        user=user,
        type="webauthn",
        data={"name": "Phone", "credential": _stored_credential()},
    )
    listing.set_default_method(user=user, method="webauthn")
    sign_in_with_password(client, user)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert page.index('id="mfa_webauthn_authenticate"') < page.index('id="id_code"')
    assert "Code from your authenticator app" in page


def _stored_credential() -> dict[str, Any]:
    key = SoftwareAuthenticator.new()
    options = {
        "publicKey": {"rp": {"id": RP_ID}, "challenge": websafe_encode(b"x" * 16)},
    }
    return key.create(options)
