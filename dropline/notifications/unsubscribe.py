"""Signed one-click unsubscribe links: no sign-in needed, one category only."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

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
