"""Reads of notification data, scoped: a person's own contacts and how they are shown,
and the staff message log."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404

from dropline.accounts.models import User
from dropline.core.phones import display_phone
from dropline.notifications.models import ContactKind, ContactPoint, ContactStatus

# Contacts ------------------------------------------------------------------------------

ContactState = Literal["verified", "pending", "undeliverable"]


def own_contact(*, user: User, contact_id: int) -> ContactPoint:
    """``user``'s contact ``contact_id``. Another person's id is ``Http404``, exactly as
    an id that does not exist: the person is in the query."""
    return get_object_or_404(ContactPoint, pk=contact_id, user=user)


def contact_state(contact: ContactPoint) -> ContactState:
    """``verified`` (in use), ``pending`` (waiting for its code) or ``undeliverable``
    (our last message did not arrive, verified once or not)."""
    if contact.status == ContactStatus.UNDELIVERABLE:
        return "undeliverable"
    return "verified" if contact.is_verified else "pending"


def needs_code(contact: ContactPoint) -> bool:
    """Unverified, or verified once but bouncing now: a new code proves it works."""
    return contact_state(contact) != "verified"


def shown_address(contact: ContactPoint) -> str:
    """The address as people write it: a mobile number formatted for display."""
    if contact.kind == ContactKind.PHONE:
        return display_phone(contact.address)
    return contact.address
