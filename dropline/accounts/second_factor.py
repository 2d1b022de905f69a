"""Second factors, on allauth.mfa: who has one, and provisioning an authenticator app."""

from __future__ import annotations

import base64
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import is_mfa_enabled

from dropline.accounts.models import User

TOTP_PERIOD = 30


def has_second_factor(user: User) -> bool:
    """An authenticator app or a passkey (recovery codes alone do not count)."""
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def enrol_authenticator_app(*, user: User, secret: str) -> Authenticator:
    """Give ``user`` an authenticator app with a known base32 ``secret`` (staff provisioning)."""
    base64.b32decode(secret, casefold=True)  # refuse anything that is not base32
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing
    return TOTP.activate(user, secret).instance


def current_code(secret: str, *, at: float | None = None) -> str:
    """The authenticator app's code for ``secret`` now (RFC 6238, SHA-1, 6 digits)."""
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter))
