"""A person's email addresses and mobile numbers, verified by a code before use."""

from __future__ import annotations

import datetime as dt

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import SmsSecondFactor, User
from dropline.core import clock, onetime
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
CONTACT_CODE = onetime.CodePolicy(
    "contact_verification",
    lifetime=CODE_LIFETIME,
    max_attempts=MAX_CODE_ATTEMPTS,
    # Codes sent before ``core.onetime`` were stored as password hashes: still accepted.
    accept_password_hashes=True,
    max_sends=MAX_CODES_PER_HOUR,
)


class ContactError(ValueError):
    """Shown to the person as it is: say what is wrong and how to fix it."""


def normalize(*, kind: str, address: str, region: str = "US") -> str:
    text = address.strip()
    if kind == ContactKind.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise ContactError(_("Enter a valid email address.")) from None
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
        raise ContactError(_("Choose email or mobile number."))
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
    """For addresses already proven elsewhere (the verified sign-in email)."""
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
    sent_at = ContactVerification.objects.filter(
        contact=contact, created_at__gt=now - CONTACT_CODE.send_window
    ).values_list("created_at", flat=True)
    if onetime.send_check(CONTACT_CODE, sent_at, now=now).too_many:
        raise ContactError(_("Too many codes sent to this address. Try again in an hour."))
    issued = onetime.issue(CONTACT_CODE, now=now)
    code = issued.code
    ContactVerification.objects.create(
        contact=contact,
        code_hash=issued.code_hash,
        expires_at=issued.expires_at,
        created_at=issued.created_at,
    )
    text = _("Your verification code is %(code)s. It expires in 15 minutes.") % {"code": code}
    try:
        if contact.kind == ContactKind.EMAIL:
            send_email(
                to=contact.address,
                subject=_("Verify your email address"),
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

    Only the newest code works (``CONTACT_CODE``). A wrong code is counted (and
    committed) before the error is raised, so guessing stops after MAX_CODE_ATTEMPTS.
    """
    now = clock.now()
    error: str | None = None
    with transaction.atomic():
        pending = (
            ContactVerification.objects.select_for_update()
            .filter(contact=contact)
            .order_by("-created_at", "-id")
            .first()
        )
        stored = onetime.StoredCode.of_row(pending)
        verdict = onetime.verify(CONTACT_CODE, stored, code.strip(), now=now)
        if verdict.outcome is onetime.Outcome.EXPIRED:
            error = _("This code has expired. Ask for a new one.")
        elif verdict.outcome is onetime.Outcome.TOO_MANY_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif verdict.outcome is onetime.Outcome.WRONG:
            assert pending is not None
            ContactVerification.objects.filter(pk=pending.pk).update(attempts=verdict.attempts)
            error = _("That code is not right. Check it and try again.")
        else:
            assert pending is not None
            ContactVerification.objects.filter(pk=pending.pk).update(
                attempts=verdict.attempts, used_at=now
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


def removal_refused(contact: ContactPoint) -> str | None:
    """Why ``contact`` can't be removed now, or ``None`` when it can. Pages ask this
    before offering "Remove"; ``remove_contact`` refuses with the same reason."""
    if SmsSecondFactor.objects.filter(contact=contact).exists():
        return _("This number receives your sign-in codes. Turn off codes by text message first.")
    if (
        contact.kind == ContactKind.EMAIL
        and contact.is_primary
        and contact.is_verified
        and not ContactPoint.objects.filter(
            user_id=contact.user_id, kind=ContactKind.EMAIL, verified_at__isnull=False
        )
        .exclude(pk=contact.pk)
        .exists()
    ):
        return _(
            "Bills and security alerts go to this address. "
            "Add and confirm another email address before removing it."
        )
    return None


def remove_contact(*, contact: ContactPoint) -> None:
    refused = removal_refused(contact)
    if refused is not None:
        raise ContactError(refused)
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
