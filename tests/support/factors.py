"""Second factors in tests: the URL configuration and allauth settings they run with, a
verified phone with text-message codes, and the sign-in steps.

This module is also the URL configuration of the second-factor tests
(``pytest.mark.urls(URLCONF)``): the project's URLs plus ``accounts/2fa/more/`` (where
the lead includes ``security_factor_urls``) and allauth's removal addresses sent to
Dropline's removal page, as the lead wires them.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.test import Client
from django.urls import include, path, reverse

import dropline.urls
from dropline.accounts.models import SmsSecondFactor, User
from dropline.core import clock
from dropline.identity.factors import sms_codes
from dropline.notifications.models import ContactKind, ContactPoint
from dropline.portal.factors import views as security_factor_views
from tests.support.factories import PASSWORD

# --- URL configuration for these tests ---------------------------------------------------


_included = any(
    getattr(pattern, "namespace", None) == "second_factor" for pattern in dropline.urls.urlpatterns
)


urlpatterns = [
    # What the lead adds to dropline/urls.py, before allauth's URLs.
    path("accounts/2fa/", security_factor_views.manage),
    path("accounts/2fa/totp/deactivate/", security_factor_views.remove_authenticator_app),
    path("accounts/2fa/webauthn/keys/<int:pk>/remove/", security_factor_views.remove_passkey),
    *([] if _included else [path("accounts/2fa/more/", include("dropline.portal.factors.urls"))]),
    *dropline.urls.urlpatterns,
]


URLCONF = "tests.support.factors"


MFA_SETTINGS: dict[str, Any] = {
    "MFA_ADAPTER": "dropline.identity.mfa_adapter.MFAAdapter",
    "MFA_FORMS": {
        "authenticate": "dropline.identity.mfa_adapter.AuthenticateForm",
        "reauthenticate": "dropline.identity.mfa_adapter.ReauthenticateForm",
        "activate_totp": "dropline.identity.mfa_adapter.ActivateTOTPForm",
    },
    "MFA_RECOVERY_CODES_SHOW_ONCE": True,
}


def apply_settings(settings: Any) -> None:
    for name, value in MFA_SETTINGS.items():
        setattr(settings, name, value)
    cache.clear()  # rate limits and used TOTP codes


# --- helpers --------------------------------------------------------------------------------


PHONE = "+13195550142"


def sign_in_with_password(client: Client, user: User, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": user.username, "password": password})


def reauthenticate(client: Client, password: str = PASSWORD) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def signed_in_user(client: Client) -> Any:
    return client.session.get("_auth_user_id")


def add_phone(user: User, address: str = PHONE, *, verified: bool = True) -> ContactPoint:
    return ContactPoint.objects.create(
        user=user,
        kind=ContactKind.PHONE,
        address=address,
        verified_at=clock.now() if verified else None,
    )


def enable_sms(user: User, address: str = PHONE) -> SmsSecondFactor:
    return sms_codes.enable_sms_factor(user=user, contact_id=add_phone(user, address).pk)


def text_messages_to(address: str = PHONE) -> list[str]:
    from dropline.notifications.models import SimulatedSms

    return [sms.body for sms in SimulatedSms.objects.filter(to=address).order_by("sent_at", "id")]


def latest_code(address: str = PHONE) -> str:
    body = text_messages_to(address)[-1]
    return next(word.strip(".") for word in body.split() if word.strip(".").isdigit())


def finish_without_trust(client: Client, response: Any) -> Any:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == reverse("mfa_trust")
    return client.post(reverse("mfa_trust"), {"action": "skip"})
