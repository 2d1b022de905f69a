"""Demo contacts: each demo person's verified email, and the holder's mobile number."""

from __future__ import annotations

from dropline.accounts.models import User
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, ContactPoint

PHONES = {"demo": "+13195550142", "jrivera": "+13195550187"}


def load() -> int:
    created = 0
    for user in User.objects.filter(username__in=["demo", "jrivera"]):
        before = ContactPoint.objects.filter(user=user).count()
        add_verified_contact(user=user, kind=ContactKind.EMAIL, address=user.email, primary=True)
        add_verified_contact(
            user=user, kind=ContactKind.PHONE, address=PHONES[user.username], primary=True
        )
        created += ContactPoint.objects.filter(user=user).count() - before
    return created
