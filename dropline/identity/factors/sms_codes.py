"""Sign-in codes by text message to one of the person's verified mobile numbers.

It is the weakest factor (SIM swaps, interception), offered because some customers
have nothing else. A code is a ``core.onetime`` code (``SMS_CODE``): a 6-digit number
kept only as a keyed hash (HMAC-SHA256 under the ``SECRET_KEY``, so a copy of the
database alone cannot be searched for it), that works once, for 10 minutes, with 5
tries; only the newest code works, a new one can be asked for after 30 seconds and at
most 5 an hour.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.accounts.models import (
    SecondFactorMethod,
    SmsSecondFactor,
    SmsSignInCode,
    User,
)
from dropline.core import clock, onetime
from dropline.core.phones import display_phone
from dropline.identity.factors import trusted_browsers
from dropline.identity.factors.errors import SecondFactorError
from dropline.identity.security_events import record as security_events
from dropline.notifications.channels.sms import SmsError, gateway
from dropline.notifications.models import ContactKind, ContactPoint, ContactStatus

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = dt.timedelta(seconds=30)
MAX_CODES_PER_HOUR = 5
CODE_DIGITS = 6
SMS_CODE = onetime.CodePolicy(
    "sms_sign_in",
    lifetime=CODE_LIFETIME,
    max_attempts=MAX_ATTEMPTS,
    digits=CODE_DIGITS,
    # The salt these codes were hashed under before ``core.onetime``: stored rows still work.
    key_salt="dropline.accounts.sms_sign_in_code",
    resend_after=RESEND_AFTER,
    max_sends=MAX_CODES_PER_HOUR,
)


def masked_number(e164: str) -> str:
    """``+13195550142`` as ``(•••) •••-0142``: enough to recognize, not to copy."""
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
        trusted_browsers.revoke_at(user=user, now=now)
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
        sending = onetime.send_check(SMS_CODE, [r.created_at for r in recent], now=now)
        if sending.too_soon:
            wait = sending.wait_seconds
            raise SecondFactorError(
                ngettext(
                    "We sent a code a moment ago. You can ask for another in %(seconds)d second.",
                    "We sent a code a moment ago. You can ask for another in %(seconds)d seconds.",
                    wait,
                )
                % {"seconds": wait}
            )
        if sending.too_many:
            raise SecondFactorError(
                _(
                    "We have sent too many codes. Try again in an hour, or use another way "
                    "to sign in."
                )
            )
        issued = onetime.issue(SMS_CODE, now=now)
        code = issued.code
        record = SmsSignInCode.objects.create(
            factor=factor,
            code_hash=issued.code_hash,
            created_at=issued.created_at,
            expires_at=issued.expires_at,
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
        stored = onetime.StoredCode.of_row(pending)
        verdict = onetime.verify(SMS_CODE, stored, onetime.clean(code), now=now)
        if verdict.outcome is onetime.Outcome.EXPIRED:
            error = _("This code has expired. Ask for a new one.")
        elif verdict.outcome is onetime.Outcome.TOO_MANY_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif verdict.outcome is onetime.Outcome.WRONG:
            assert pending is not None
            SmsSignInCode.objects.filter(pk=pending.pk).update(attempts=verdict.attempts)
            security_events.second_factor_failed(
                request=request, user=factor.user, method=SecondFactorMethod.TEXT_MESSAGE
            )
            left = verdict.attempts_left
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
            assert pending is not None
            SmsSignInCode.objects.filter(pk=pending.pk).update(
                attempts=verdict.attempts, used_at=now
            )
            SmsSecondFactor.objects.filter(pk=factor.pk).update(last_used_at=now)
    if error is not None:
        raise SecondFactorError(error)


def mobile_number_of(*, user: User, contact_id: int) -> ContactPoint | None:
    """``user``'s mobile number ``contact_id``, confirmed or not; None for anyone else's
    (or an email address), so a caller can tell "not yours" from "not usable"."""
    return ContactPoint.objects.filter(pk=contact_id, user=user, kind=ContactKind.PHONE).first()
