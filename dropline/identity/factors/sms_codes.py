"""Second factors beyond allauth's, and a person's choices about all of them.

allauth keeps authenticator apps (TOTP), passkeys (WebAuthn) and recovery codes in
``mfa.Authenticator``. This module adds:

- sign-in codes by text message to one of the person's verified mobile numbers. It is
  the weakest factor (SIM swaps, interception), offered because some customers have
  nothing else. A code is a 6-digit number kept only as a keyed hash (HMAC-SHA256
  under the ``SECRET_KEY``, so a copy of the database alone cannot be searched for
  it), works once, for 10 minutes, with 5 tries; only the newest code works, a new
  one can be asked for after 30 seconds and at most 5 an hour;
- the list of a person's factors, the one the sign-in asks for first, and removing a
  factor: the last one only with an explicit confirmation, and never the last
  authenticator app or passkey of a member of staff (the back-office needs one);
- revoking every "trust this browser" cookie issued so far. allauth keeps trust in a
  signed cookie only; a server-side time stamp here makes every cookie issued before
  it worthless (checked by ``dropline.identity.stages``).
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import time
from collections.abc import Collection
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows.trust import create_config_fingerprint, decode_trust_cookie
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import flows as totp_flows
from allauth.mfa.webauthn.internal import flows as webauthn_flows
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.accounts.models import (
    SecondFactorMethod,
    SecondFactorPreference,
    SmsSecondFactor,
    SmsSignInCode,
    User,
)
from dropline.core import clock
from dropline.core.phones import display_phone
from dropline.identity.security_events import record as security_events
from dropline.notifications.channels.sms import SmsError, gateway
from dropline.notifications.models import ContactKind, ContactPoint, ContactStatus

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = dt.timedelta(seconds=30)
MAX_CODES_PER_HOUR = 5
CODE_DIGITS = 6
_HASH_SALT = "dropline.accounts.sms_sign_in_code"

# Strongest first: with no choice made, the sign-in asks for the strongest factor.
STRENGTH_ORDER = (
    SecondFactorMethod.PASSKEY,
    SecondFactorMethod.AUTHENTICATOR_APP,
    SecondFactorMethod.TEXT_MESSAGE,
)
APP_OR_PASSKEY = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class SecondFactorError(ValueError):
    """Shown to the person as it is: what is wrong and what to do."""


# Text-message codes ---------------------------------------------------------------------


def _hash_code(code: str, *, nonce: str) -> str:
    digest = salted_hmac(_HASH_SALT, f"{nonce}:{code}", algorithm="sha256").hexdigest()
    return f"hmac-sha256${nonce}${digest}"


def _code_matches(code: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 3 or parts[0] != "hmac-sha256":
        return False
    return constant_time_compare(_hash_code(code, nonce=parts[1]), stored)


def _clean_code(code: str) -> str:
    """People type codes with spaces or a dash in the middle; nothing else is forgiven."""
    return "".join(code.split()).replace("-", "")


def masked_number(e164: str) -> str:
    """``+13195550142`` as ``(•••) •••-0142``: enough to recognise, not to copy."""
    shown = display_phone(e164)
    digits = sum(ch.isdigit() for ch in shown)
    seen = 0
    masked = []
    for ch in shown:
        if ch.isdigit():
            seen += 1
            masked.append(ch if seen > digits - 4 else "•")
        else:
            masked.append(ch)
    return "".join(masked)


def verified_numbers(*, user: User) -> list[ContactPoint]:
    """The person's mobile numbers that can receive sign-in codes."""
    return list(
        ContactPoint.objects.filter(
            user=user, kind=ContactKind.PHONE, verified_at__isnull=False
        ).order_by("-is_primary", "id")
    )


def sms_factor_for(*, user: User) -> SmsSecondFactor | None:
    return SmsSecondFactor.objects.select_related("contact").filter(user=user).first()


def has_sms_factor(*, user: User) -> bool:
    return SmsSecondFactor.objects.filter(user=user).exists()


def enable_sms_factor(
    *, user: User, contact_id: int, request: HttpRequest | None = None
) -> SmsSecondFactor:
    """Send sign-in codes to the person's verified mobile number ``contact_id``.

    Choosing another number moves the factor there. Like any change to a person's
    second factors, it ends the trust given to browsers so far.
    """
    now = clock.now()
    with transaction.atomic():
        contact = ContactPoint.objects.filter(
            pk=contact_id, user=user, kind=ContactKind.PHONE
        ).first()
        if contact is None:
            raise SecondFactorError(_("Choose one of your mobile numbers."))
        if not contact.is_verified:
            raise SecondFactorError(
                _(
                    "Confirm this number with the code we text to it before using it "
                    "for sign-in codes."
                )
            )
        if contact.status == ContactStatus.UNDELIVERABLE:
            raise SecondFactorError(
                _(
                    "Our last text message to this number did not arrive. Confirm the "
                    "number again on your contact details page first."
                )
            )
        factor, _created = SmsSecondFactor.objects.update_or_create(
            user=user, defaults={"contact": contact, "created_at": now, "last_used_at": None}
        )
        _revoke_trust(user=user, now=now)
        security_events.second_factor_added(
            request=request, user=user, method=SecondFactorMethod.TEXT_MESSAGE
        )
    return factor


def send_sign_in_code(*, factor: SmsSecondFactor) -> SmsSignInCode:
    """Text a new 6-digit code to the factor's number; older codes stop working.

    The code is recorded (and counts against the limits) before it is sent, so a
    failing provider cannot be used to send without limit.
    """
    now = clock.now()
    with transaction.atomic():
        # One sender at a time per person, so two quick clicks cannot both pass the limits.
        SmsSecondFactor.objects.select_for_update().filter(pk=factor.pk).first()
        recent = list(
            SmsSignInCode.objects.filter(
                factor=factor, created_at__gt=now - dt.timedelta(hours=1)
            ).order_by("-created_at", "-id")
        )
        if recent and now - recent[0].created_at < RESEND_AFTER:
            wait = math.ceil((RESEND_AFTER - (now - recent[0].created_at)).total_seconds())
            raise SecondFactorError(
                ngettext(
                    "We sent a code a moment ago. You can ask for another in %(seconds)d second.",
                    "We sent a code a moment ago. You can ask for another in %(seconds)d seconds.",
                    wait,
                )
                % {"seconds": wait}
            )
        if len(recent) >= MAX_CODES_PER_HOUR:
            raise SecondFactorError(
                _(
                    "We have sent too many codes. Try again in an hour, or use another way "
                    "to sign in."
                )
            )
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        record = SmsSignInCode.objects.create(
            factor=factor,
            code_hash=_hash_code(code, nonce=secrets.token_hex(8)),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    language = factor.user.preferred_language or translation.get_language() or "en"
    with translation.override(language):
        body = _(
            "%(provider)s sign-in code: %(code)s. It expires in 10 minutes. "
            "Never share it: we will never ask you for it."
        ) % {"provider": settings.DROPLINE_PROVIDER_NAME, "code": code}
    try:
        gateway().send(
            to=factor.contact.address, body=body, idempotency_key=f"sign-in-code:{record.pk}"
        )
    except SmsError:
        raise SecondFactorError(
            _(
                "We could not send a text message to your number. Try again in a moment, "
                "or use another way to sign in."
            )
        ) from None
    return record


def verify_sign_in_code(
    *, factor: SmsSecondFactor, code: str, request: HttpRequest | None = None
) -> None:
    """Accept ``code`` if it is the newest code, unused, unexpired and within its tries.

    A wrong code is counted, and the count committed, before the error is raised.
    """
    now = clock.now()
    error: str | None = None
    with transaction.atomic():
        pending = (
            SmsSignInCode.objects.select_for_update()
            .filter(factor=factor)
            .order_by("-created_at", "-id")
            .first()
        )
        if pending is None or pending.used_at is not None or pending.expires_at <= now:
            error = _("This code has expired. Ask for a new one.")
        elif pending.attempts >= MAX_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif not _code_matches(_clean_code(code), pending.code_hash):
            SmsSignInCode.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
            security_events.second_factor_failed(
                request=request, user=factor.user, method=SecondFactorMethod.TEXT_MESSAGE
            )
            left = MAX_ATTEMPTS - pending.attempts - 1
            error = (
                ngettext(
                    "That code is not right. You can try %(left)d more time.",
                    "That code is not right. You can try %(left)d more times.",
                    left,
                )
                % {"left": left}
                if left
                else _("That code is not right. Ask for a new one.")
            )
        else:
            SmsSignInCode.objects.filter(pk=pending.pk).update(
                attempts=F("attempts") + 1, used_at=now
            )
            SmsSecondFactor.objects.filter(pk=factor.pk).update(last_used_at=now)
    if error is not None:
        raise SecondFactorError(error)


# The person's factors --------------------------------------------------------------------


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
            _revoke_trust(user=user, now=clock.now())
            security_events.second_factor_removed(
                request=request, user=user, method=SecondFactorMethod.TEXT_MESSAGE
            )
        else:
            authenticator = Authenticator.objects.get(pk=factor_id, user_id=user.pk, type=method)
            if method == SecondFactorMethod.AUTHENTICATOR_APP:
                totp_flows.deactivate_totp(request, authenticator)
            else:
                webauthn_flows.remove_authenticator(request, authenticator)


# Trusted browsers ------------------------------------------------------------------------


def _revoke_trust(*, user: User, now: dt.datetime) -> None:
    SecondFactorPreference.objects.update_or_create(
        user=user, defaults={"trusted_browsers_revoked_at": now, "updated_at": now}
    )


def revoke_trusted_browsers(*, user: User) -> None:
    """Every browser trusted so far asks for the second factor again at its next sign-in.

    Records nothing: ``dropline.identity.sessions.forget_trusted_browsers`` does this
    and records the security event in the same transaction.
    """
    with transaction.atomic():
        _revoke_trust(user=user, now=clock.now())


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


# Looking up a number the person names --------------------------------------------------


def mobile_number_of(*, user: User, contact_id: int) -> ContactPoint | None:
    """``user``'s mobile number ``contact_id``, confirmed or not; None for anyone else's
    (or an e-mail address), so a caller can tell "not yours" from "not usable"."""
    return ContactPoint.objects.filter(pk=contact_id, user=user, kind=ContactKind.PHONE).first()
