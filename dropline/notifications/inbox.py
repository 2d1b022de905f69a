"""The in-app notification center: what a person has been told in the portal."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import QuerySet

from dropline.accounts.models import User
from dropline.core import clock
from dropline.notifications.categories import Channel
from dropline.notifications.models import Message


def inbox_for(*, user: User) -> QuerySet[Message]:
    return Message.objects.filter(user=user, channel=Channel.IN_APP).order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return inbox_for(user=user).filter(read_at__isnull=True).count()


def mark_read(*, user: User, message_id: int | None = None) -> int:
    """Mark one message (or all, when ``message_id`` is None) as read; only the user's own."""
    messages = inbox_for(user=user).filter(read_at__isnull=True)
    if message_id is not None:
        messages = messages.filter(pk=message_id)
    return messages.update(read_at=clock.now())


def safe_link(link: str) -> str:
    """A message's link if it stays on this site or is plain http(s); else nothing.

    Every edge shows a message's link through this, never the stored one: the portal's
    "Open" link and the API's ``link`` are the same.
    """
    if not link:
        return ""
    if link.startswith("/"):
        return link if not link.startswith(("//", "/\\")) else ""
    parts = urlsplit(link)
    return link if parts.scheme in {"http", "https"} and parts.netloc else ""
