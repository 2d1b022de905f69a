"""Signed one-click unsubscribe links: no sign-in needed, one category only.

The rule: a genuine link for an active login and a known category stops that
category's email; security and other essential messages cannot be stopped (the page
says so and changes nothing). Anything else (forged, mangled, a login gone) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.functional import Promise

from dropline.accounts.models import User
from dropline.notifications import preferences
from dropline.notifications.categories import ESSENTIAL, Category

_SALT = "dropline.notifications.unsubscribe"


def make_token(*, user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category}, salt=_SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, category) for a genuine token; None for anything forged or mangled."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("c", ""))


def unsubscribe_url(*, user_id: int, category: str) -> str:
    path = reverse(
        "notifications:unsubscribe", args=[make_token(user_id=user_id, category=category)]
    )
    return f"{settings.DROPLINE_PUBLIC_URL.rstrip('/')}{path}"


@dataclass(frozen=True)
class UnsubscribeLink:
    """What a genuine link asks: stop ``category``'s email to ``user``."""

    user: User
    category: str

    @property
    def essential(self) -> bool:
        """Security and other essential messages cannot be stopped."""
        return self.category in ESSENTIAL

    @property
    def category_label(self) -> str | Promise:
        return Category(self.category).label


def read_link(token: str) -> UnsubscribeLink | None:
    """The link's person and category; None for a forged or mangled token, a login that
    is gone or inactive, or a category that does not exist."""
    found = read_token(token)
    if found is None or found[1] not in Category.values:
        return None
    user = User.objects.filter(pk=found[0], is_active=True).first()
    return UnsubscribeLink(user=user, category=found[1]) if user is not None else None


def unsubscribe(*, link: UnsubscribeLink) -> bool:
    """Stop the link's category of email; False (and nothing changed) when essential."""
    if link.essential:
        return False
    return preferences.unsubscribe(user=link.user, category=link.category)
