"""Who a recovery request means: the active logins whose username, verified email
address or verified mobile number was typed, and where to text them."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q

from dropline.accounts.models import User
from dropline.notifications.contacts import ContactError, normalize
from dropline.notifications.models import ContactKind, ContactPoint, ContactStatus

MAX_TARGETS = 10  # logins one identifier may reach (a shared household phone)


def as_phone(text: str) -> str | None:
    """``text`` as an E.164 mobile number, if it reads as one."""
    if "@" in text or any(ch.isalpha() for ch in text):
        return None
    try:
        return normalize(kind=ContactKind.PHONE, address=text)
    except ContactError:
        return None


def verified_email_owners(email: str) -> Q:
    sign_in = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    contacts = ContactPoint.objects.filter(
        kind=ContactKind.EMAIL, address__iexact=email, verified_at__isnull=False
    ).values("user_id")
    return Q(pk__in=sign_in) | Q(pk__in=contacts)


def verified_phone_owners(phone: str) -> Q:
    contacts = ContactPoint.objects.filter(
        kind=ContactKind.PHONE, address=phone, verified_at__isnull=False
    ).values("user_id")
    return Q(pk__in=contacts)


def users_for_identifier(identifier: str) -> list[User]:
    """Active logins whose username, verified email or verified mobile is ``identifier``."""
    text = identifier.strip()
    if not text:
        return []
    query = Q(username__iexact=text)
    if "@" in text:
        query |= verified_email_owners(text)
    phone = as_phone(text)
    if phone:
        query |= verified_phone_owners(phone)
    return list(User.objects.filter(query, is_active=True).order_by("pk")[:MAX_TARGETS])


def phone_for(user: User, typed_phone: str | None) -> str | None:
    """Where to text ``user``: the number they typed if it is theirs and verified, else
    their primary verified number; None when they have none that works."""
    phones = ContactPoint.objects.filter(
        user=user, kind=ContactKind.PHONE, verified_at__isnull=False, status=ContactStatus.OK
    ).order_by("-is_primary", "id")
    if typed_phone:
        typed = phones.filter(address=typed_phone).first()
        if typed is not None:
            return typed.address
    first = phones.first()
    return first.address if first is not None else None


def sign_in_names(*, user: User) -> list[str]:
    """What ``user`` can type to sign in: the username and each of their email addresses."""
    emails = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return sorted({user.username, *emails})
