"""Removing a second factor: the last one only with an explicit confirmation, and never
the last authenticator app or passkey of a member of staff (the back-office needs one)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import flows as totp_flows
from allauth.mfa.webauthn.internal import flows as webauthn_flows
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import (
    SecondFactorMethod,
    SmsSecondFactor,
    User,
)
from dropline.core import clock
from dropline.identity.factors import trusted_browsers
from dropline.identity.factors.errors import SecondFactorError
from dropline.identity.factors.listing import APP_OR_PASSKEY, Factor, factors_for, find_factor
from dropline.identity.security_events import record as security_events


@dataclass(frozen=True)
class Removal:
    """What removing a factor would mean, for the confirmation page."""

    is_last: bool
    blocked_reason: str | None


def removal_of(*, user: User, factor: Factor) -> Removal:
    return removal_of_several(user=user, factors=[(factor.method, factor.id)])


def removal_of_several(*, user: User, factors: Collection[tuple[str, int]]) -> Removal:
    """What removing several of ``user``'s factors at once, as (method, id) pairs, would
    mean: the mobile app removes passkeys several at a time."""
    removing = set(factors)
    remaining = [f for f in factors_for(user=user).factors if (f.method, f.id) not in removing]
    blocked = None
    if user.is_staff and not any(f.method in APP_OR_PASSKEY for f in remaining):
        blocked = _(
            "Staff accounts need an authenticator app or a passkey to open the back-office. "
            "Add another one before removing this one."
        )
    return Removal(is_last=not remaining, blocked_reason=blocked)


def lock_factors(user: User) -> None:
    """Hold ``user``'s row for the rest of the transaction, so changes to one person's
    factors happen one at a time: two removals racing could otherwise each see the
    other's factor still there and leave none."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def remove_factor(
    *, request: HttpRequest, user: User, method: str, factor_id: int, confirm_last: bool
) -> None:
    """Remove one of ``user``'s factors.

    The last factor goes only with ``confirm_last`` (the account is then protected by
    the password alone); staff can never remove their last authenticator app or
    passkey. allauth's own flows remove apps and passkeys, so its signals, messages and
    clean-up (recovery codes without a factor are dropped) happen as usual.
    """
    with transaction.atomic():
        lock_factors(user)
        factor = find_factor(user=user, method=method, factor_id=factor_id)
        if factor is None:
            raise SecondFactorError(_("This way of signing in has already been removed."))
        removal = removal_of(user=user, factor=factor)
        if removal.blocked_reason is not None:
            raise SecondFactorError(removal.blocked_reason)
        if removal.is_last and not confirm_last:
            raise SecondFactorError(
                _(
                    "This is your last second factor. Tick the box to confirm that your "
                    "account will be protected by the password alone."
                )
            )
        if method == SecondFactorMethod.TEXT_MESSAGE:
            SmsSecondFactor.objects.filter(pk=factor_id, user=user).delete()
            trusted_browsers.revoke_at(user=user, now=clock.now())
            security_events.second_factor_removed(
                request=request, user=user, method=SecondFactorMethod.TEXT_MESSAGE
            )
        else:
            authenticator = Authenticator.objects.get(pk=factor_id, user_id=user.pk, type=method)
            if method == SecondFactorMethod.AUTHENTICATOR_APP:
                totp_flows.deactivate_totp(request, authenticator)
            else:
                webauthn_flows.remove_authenticator(request, authenticator)
