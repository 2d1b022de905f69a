"""A person's e-mail addresses and mobile numbers, verified by a code before use."""

from __future__ import annotations

import datetime as dt
import secrets

import phonenumbers
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dropline.accounts.models import SmsSecondFactor, User
from dropline.core import clock
from dropline.notifications.channels.email import EmailDeliveryError, send_email
from dropline.notifications.channels.sms import SmsError, gateway
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    ContactVerification,
)

CODE_LIFETIME = dt.timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 5


class ContactError(ValueError):
    """Shown to the person as it is: say what is wrong and how to fix it."""


def normalize(*, kind: str, address: str, region: str = "US") -> str:
    text = address.strip()
    if kind == ContactKind.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise ContactError(_("Enter a valid e-mail address.")) from None
        local, _sep, domain = text.rpartition("@")
        return f"{local}@{domain.lower()}"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ContactError(_("Enter a valid mobile number, such as (319) 555-0142.")) from None
    if not phonenumbers.is_valid_number(number):
        raise ContactError(_("Enter a valid mobile number, such as (319) 555-0142."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def add_contact(*, user: User, kind: str, address: str) -> ContactPoint:
    if kind not in ContactKind.values:
        raise ContactError(_("Choose e-mail or mobile number."))
    normalized = normalize(kind=kind, address=address)
    try:
        with transaction.atomic():
            return ContactPoint.objects.create(user=user, kind=kind, address=normalized)
    except IntegrityError:
        raise ContactError(_("You have already added this address.")) from None


def add_and_send_code(*, user: User, kind: str, address: str) -> ContactPoint:
    """Add an address and send it a code, in one transaction: if the address is refused
    or the code cannot be sent, nothing is kept (``ContactError`` says why)."""
    with transaction.atomic():
        contact = add_contact(user=user, kind=kind, address=address)
        send_verification_code(contact=contact)
    return contact


def add_verified_contact(*, user: User, kind: str, address: str, primary: bool) -> ContactPoint:
    """For addresses already proven elsewhere (the verified sign-in e-mail)."""
    normalized = normalize(kind=kind, address=address)
    contact, _created = ContactPoint.objects.get_or_create(
        user=user,
        kind=kind,
        address=normalized,
        defaults={"verified_at": clock.now()},
    )
    if primary and not ContactPoint.objects.filter(user=user, kind=kind, is_primary=True).exists():
        ContactPoint.objects.filter(pk=contact.pk).update(is_primary=True)
        contact.is_primary = True
    return contact


def send_verification_code(*, contact: ContactPoint) -> None:
    """Send a 6-digit code; at most MAX_CODES_PER_HOUR per address."""
    now = clock.now()
    recent = ContactVerification.objects.filter(
        contact=contact, created_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= MAX_CODES_PER_HOUR:
        raise ContactError(_("Too many codes sent to this address. Try again in an hour."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    ContactVerification.objects.create(
        contact=contact,
        code_hash=make_password(code),
        expires_at=now + CODE_LIFETIME,
        created_at=now,
    )
    text = _("Your verification code is %(code)s. It expires in 15 minutes.") % {"code": code}
    try:
        if contact.kind == ContactKind.EMAIL:
            send_email(
                to=contact.address,
                subject=_("Verify your e-mail address"),
                body_text=text,
                body_html="",
                message_id=f"<verify.{contact.pk}.{int(now.timestamp())}@dropline>",
                unsubscribe_url=None,
            )
        else:
            gateway().send(
                to=contact.address,
                body=text,
                idempotency_key=f"verify:{contact.pk}:{now.timestamp()}",
            )
    except (EmailDeliveryError, SmsError):
        raise ContactError(
            _("We could not send a code to this address. Check it and try again.")
        ) from None


def verify_code(*, contact: ContactPoint, code: str) -> None:
    """Mark the contact verified when ``code`` matches the latest live code.

    A wrong code is counted (and committed) before the error is raised, so
    guessing stops after MAX_CODE_ATTEMPTS.
    """
    now = clock.now()
    error: str | None = None
    with transaction.atomic():
        pending = (
            ContactVerification.objects.select_for_update()
            .filter(contact=contact, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if pending is None:
            error = _("This code has expired. Ask for a new one.")
        elif pending.attempts >= MAX_CODE_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif not check_password(code.strip(), pending.code_hash):
            ContactVerification.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
            error = _("That code is not right. Check it and try again.")
        else:
            ContactVerification.objects.filter(pk=pending.pk).update(
                attempts=F("attempts") + 1, used_at=now
            )
            ContactPoint.objects.filter(pk=contact.pk).update(
                verified_at=now, status=ContactStatus.OK, failure_reason="", failed_at=None
            )
            if not ContactPoint.objects.filter(
                user=contact.user, kind=contact.kind, is_primary=True
            ).exists():
                ContactPoint.objects.filter(pk=contact.pk).update(is_primary=True)
    if error is not None:
        raise ContactError(error)


def make_primary(*, contact: ContactPoint) -> None:
    if not contact.is_verified:
        raise ContactError(_("Verify this address before making it primary."))
    with transaction.atomic():
        ContactPoint.objects.filter(user=contact.user, kind=contact.kind, is_primary=True).update(
            is_primary=False
        )
        ContactPoint.objects.filter(pk=contact.pk).update(is_primary=True)


def remove_contact(*, contact: ContactPoint) -> None:
    if SmsSecondFactor.objects.filter(contact=contact).exists():
        raise ContactError(
            _("This number receives your sign-in codes. Turn off codes by text message first.")
        )
    with transaction.atomic():
        was_primary = contact.is_primary
        contact.delete()
        if was_primary:
            successor = (
                ContactPoint.objects.filter(
                    user=contact.user, kind=contact.kind, verified_at__isnull=False
                )
                .order_by("id")
                .first()
            )
            if successor is not None:
                ContactPoint.objects.filter(pk=successor.pk).update(is_primary=True)


def contacts_for(*, user: User) -> list[ContactPoint]:
    return list(ContactPoint.objects.filter(user=user).order_by("kind", "-is_primary", "id"))
