"""Sign-in codes by text message to one of the person's verified mobile numbers.

It is the weakest factor (SIM swaps, interception), offered because some customers
have nothing else. A code is a 6-digit number kept only as a keyed hash (HMAC-SHA256
under the ``SECRET_KEY``, so a copy of the database alone cannot be searched for it),
works once, for 10 minutes, with 5 tries; only the newest code works, a new one can be
asked for after 30 seconds and at most 5 an hour.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets

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
    SmsSecondFactor,
    SmsSignInCode,
    User,
)
from dropline.core import clock
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
_HASH_SALT = "dropline.accounts.sms_sign_in_code"


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


def mobile_number_of(*, user: User, contact_id: int) -> ContactPoint | None:
    """``user``'s mobile number ``contact_id``, confirmed or not; None for anyone else's
    (or an e-mail address), so a caller can tell "not yours" from "not usable"."""
    return ContactPoint.objects.filter(pk=contact_id, user=user, kind=ContactKind.PHONE).first()
