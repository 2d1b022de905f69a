"""Revoking every "trust this browser" cookie issued so far.

allauth keeps trust in a signed cookie only; a server-side time stamp here makes every
cookie issued before it worthless (checked by ``dropline.identity.stages``).
"""

from __future__ import annotations

import datetime as dt
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows.trust import create_config_fingerprint, decode_trust_cookie
from django.db import transaction
from django.http import HttpRequest

from dropline.accounts.models import (
    SecondFactorPreference,
    User,
)
from dropline.core import clock


def revoke_at(*, user: User, now: dt.datetime) -> None:
    SecondFactorPreference.objects.update_or_create(
        user=user, defaults={"trusted_browsers_revoked_at": now, "updated_at": now}
    )


def revoke_trusted_browsers(*, user: User) -> None:
    """Every browser trusted so far asks for the second factor again at its next sign-in.

    Records nothing: ``dropline.identity.sessions.forget_trusted_browsers`` does this
    and records the security event in the same transaction.
    """
    with transaction.atomic():
        revoke_at(user=user, now=clock.now())


def trusted_until(*, request: HttpRequest, user: User) -> dt.datetime | None:
    """Until when this browser skips ``user``'s second factor; None if it does not.

    allauth's cookie holds (fingerprint of the person's security setup, time issued)
    pairs, signed; a pair counts if the setup is unchanged and it was issued after
    the person last revoked trust.
    """
    if not mfa_settings.TRUST_ENABLED:
        return None
    trusts = decode_trust_cookie(request)
    if not trusts:
        return None
    preference = SecondFactorPreference.objects.filter(user=user).first()
    revoked_at = (
        preference.trusted_browsers_revoked_at.timestamp()
        if preference is not None and preference.trusted_browsers_revoked_at is not None
        else None
    )
    fingerprint = create_config_fingerprint(user)
    issued = [
        trust.at
        for trust in trusts
        if trust.fingerprint == fingerprint and (revoked_at is None or trust.at > revoked_at)
    ]
    if not issued:
        return None
    expires = max(issued) + mfa_settings.TRUST_COOKIE_AGE.total_seconds()
    if expires <= time.time():
        return None
    return dt.datetime.fromtimestamp(expires, tz=dt.UTC)


def is_trusted_browser(*, request: HttpRequest, user: User) -> bool:
    return trusted_until(request=request, user=user) is not None
