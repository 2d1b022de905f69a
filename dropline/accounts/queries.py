"""Reads of logins."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q

from dropline.accounts.models import User


def user_for_login(login: str) -> User | None:
    """The login a typed username or email address names, if any: a username first, else
    a sign-in email address (the lowest id where an address is on several logins)."""
    login = login.strip()[:254]
    if not login:
        return None
    user = User.objects.filter(username__iexact=login).order_by("pk").first()
    if user is None and "@" in login:
        by_address = EmailAddress.objects.filter(email__iexact=login).values("user_id")
        user = (
            User.objects.filter(Q(pk__in=by_address) | Q(email__iexact=login))
            .order_by("pk")
            .first()
        )
    return user
