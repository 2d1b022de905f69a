"""A person's second factors (allauth's authenticator apps and passkeys, and text-message
codes), and the one the sign-in asks for first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext as _

from dropline.accounts.models import (
    SecondFactorMethod,
    SecondFactorPreference,
    User,
)
from dropline.core import clock
from dropline.identity.factors.errors import SecondFactorError
from dropline.identity.factors.sms_codes import has_sms_factor, masked_number, sms_factor_for

# Strongest first: with no choice made, the sign-in asks for the strongest factor.
STRENGTH_ORDER = (
    SecondFactorMethod.PASSKEY,
    SecondFactorMethod.AUTHENTICATOR_APP,
    SecondFactorMethod.TEXT_MESSAGE,
)
APP_OR_PASSKEY = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@dataclass(frozen=True)
class Factor:
    """One way to pass the second step of signing in."""

    method: str
    id: int
    name: str
    added_at: dt.datetime
    last_used_at: dt.datetime | None
    is_default: bool
    passwordless: bool | None = None


@dataclass(frozen=True)
class FactorSummary:
    factors: list[Factor]
    default_method: str | None
    recovery_codes_left: int | None  # None: no recovery codes set up
    recovery_codes_total: int
    recovery_codes_viewable: bool  # shown once only: false once they have been seen

    @property
    def methods(self) -> set[str]:
        return {factor.method for factor in self.factors}

    @property
    def has_authenticator_app(self) -> bool:
        return SecondFactorMethod.AUTHENTICATOR_APP in self.methods

    @property
    def sms_factor(self) -> Factor | None:
        return next((f for f in self.factors if f.method == SecondFactorMethod.TEXT_MESSAGE), None)


def _choose_default(stored: str, available: set[str]) -> str | None:
    if stored in available:
        return stored
    return next((method for method in STRENGTH_ORDER if method in available), None)


def _stored_default(user: User) -> str:
    preference = SecondFactorPreference.objects.filter(user=user).first()
    return preference.default_method if preference is not None else ""


def available_methods(*, user: User) -> set[str]:
    methods = set(
        Authenticator.objects.filter(user_id=user.pk, type__in=APP_OR_PASSKEY).values_list(
            "type", flat=True
        )
    )
    if has_sms_factor(user=user):
        methods.add(SecondFactorMethod.TEXT_MESSAGE)
    return methods


def default_method_for(*, user: User) -> str | None:
    """The factor the sign-in asks for first: the person's choice, else the strongest."""
    return _choose_default(_stored_default(user), available_methods(user=user))


def factors_for(*, user: User) -> FactorSummary:
    """Every factor of ``user`` (three queries), the default marked."""
    authenticators = list(
        Authenticator.objects.filter(user_id=user.pk).order_by("created_at", "pk")
    )
    sms = sms_factor_for(user=user)
    available = {a.type for a in authenticators if a.type in APP_OR_PASSKEY}
    if sms is not None:
        available.add(SecondFactorMethod.TEXT_MESSAGE)
    default = _choose_default(_stored_default(user), available)
    factors: list[Factor] = []
    recovery_left: int | None = None
    recovery_viewable = False
    for authenticator in authenticators:
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            codes = authenticator.wrap()
            recovery_left = len(codes.get_unused_codes())
            recovery_viewable = bool(recovery_left) and (
                not mfa_settings.RECOVERY_CODES_SHOW_ONCE or not codes.did_view
            )
            continue
        is_passkey = authenticator.type == Authenticator.Type.WEBAUTHN
        factors.append(
            Factor(
                method=authenticator.type,
                id=authenticator.pk,
                name=authenticator.wrap().name if is_passkey else _("Authenticator app"),
                added_at=authenticator.created_at,
                last_used_at=authenticator.last_used_at,
                is_default=authenticator.type == default,
                passwordless=authenticator.wrap().is_passwordless if is_passkey else None,
            )
        )
    if sms is not None:
        number = masked_number(sms.contact.address)
        factors.append(
            Factor(
                method=SecondFactorMethod.TEXT_MESSAGE,
                id=sms.pk,
                name=_("Text message to %(number)s") % {"number": number},
                added_at=sms.created_at,
                last_used_at=sms.last_used_at,
                is_default=default == SecondFactorMethod.TEXT_MESSAGE,
            )
        )
    return FactorSummary(
        factors=factors,
        default_method=default,
        recovery_codes_left=recovery_left,
        recovery_codes_total=mfa_settings.RECOVERY_CODE_COUNT,
        recovery_codes_viewable=recovery_viewable,
    )


def find_factor(*, user: User, method: str, factor_id: int) -> Factor | None:
    """``user``'s factor ``factor_id`` of kind ``method``; None for anyone else's."""
    return next(
        (
            factor
            for factor in factors_for(user=user).factors
            if factor.method == method and factor.id == factor_id
        ),
        None,
    )


def set_default_method(*, user: User, method: str) -> None:
    """Ask for ``method`` first at sign-in."""
    if method not in available_methods(user=user):
        raise SecondFactorError(_("Set up this way of signing in before making it your default."))
    SecondFactorPreference.objects.update_or_create(
        user=user, defaults={"default_method": method, "updated_at": clock.now()}
    )
