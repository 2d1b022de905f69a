"""Changing a person's notification addresses where the change is a security event:
confirming an address with its code, and removing a confirmed one. Each records the
event (and its alert to the old and new address) in the same transaction as the
change. The rules of the addresses themselves are ``dropline.notifications.contacts``.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from dropline.identity.security_events import record as security_events
from dropline.notifications import contacts as contact_points
from dropline.notifications.models import ContactPoint


def verify(*, contact: ContactPoint, code: str, request: HttpRequest | None) -> None:
    """Confirm ``contact`` with ``code`` and record the new address as a security event;
    ``contact`` is read again afterwards. ``ContactError`` when the code is refused.

    ``verify_code`` commits a wrong try before it refuses; the refusal is caught inside
    this transaction so that the count survives it.
    """
    refused: contact_points.ContactError | None = None
    with transaction.atomic():
        try:
            contact_points.verify_code(contact=contact, code=code)
        except contact_points.ContactError as exc:
            refused = exc
        else:
            security_events.contact_changed(
                request=request, user=contact.user, kind=contact.kind, added=contact.address
            )
    if refused is not None:
        raise refused
    contact.refresh_from_db()


def remove(*, contact: ContactPoint, request: HttpRequest | None) -> None:
    """Remove ``contact``; removing a confirmed address is a security event, recorded
    (and alerted) in the same transaction. ``ContactError`` for the number that
    receives sign-in codes."""
    with transaction.atomic():
        contact_points.remove_contact(contact=contact)
        if contact.is_verified:
            security_events.contact_changed(
                request=request, user=contact.user, kind=contact.kind, removed=contact.address
            )
