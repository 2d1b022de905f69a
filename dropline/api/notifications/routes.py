"""The notification center and preferences, for the mobile app."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router

from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.notifications.schemas import (
    NotificationOut,
    NotificationPageOut,
    PreferenceOut,
    PreferencesIn,
    UnreadOut,
)
from dropline.api.schemas import MAX_ID
from dropline.core import pagination
from dropline.notifications import inbox
from dropline.notifications.categories import ESSENTIAL, Category, Channel
from dropline.notifications.preferences import PreferenceError, preference_grid, set_preferences

router = Router(tags=["notifications"])
PAGE_SIZE = 50


@router.get("/notifications", response=NotificationPageOut, summary="The notification center")
def list_notifications(
    request: HttpRequest,
    unread_only: bool = False,
    before_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
) -> NotificationPageOut:
    """Newest first, 50 at a time; pass ``before_id`` from the last page for the next."""
    user = signed_in_user(request)
    messages = inbox.inbox_for(user=user)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    # A keyset page on the id, so paging never skips or repeats a message (ids follow
    # ``created_at``: the outbox stamps a message as it writes it).
    page = pagination.keyset_page(
        messages, after=before_id, limit=None, default_limit=PAGE_SIZE, max_limit=PAGE_SIZE
    )
    items = [
        NotificationOut(
            id=m.pk,
            category=m.category,
            subject=m.subject,
            body=m.body_text,
            link=inbox.safe_link(m.link),
            created_at=m.created_at,
            read=m.read_at is not None,
        )
        for m in page.rows
    ]
    return NotificationPageOut(
        unread=inbox.unread_count(user=user),
        items=items,
        next_before_id=page.next_key,
    )


@router.get("/notifications/unread-count", response=UnreadOut, summary="Unread notifications")
def unread_count(request: HttpRequest) -> UnreadOut:
    """How many notifications are unread: the badge's number."""
    return UnreadOut(unread=inbox.unread_count(user=signed_in_user(request)))


@router.post("/notifications/{message_id}/read", response=UnreadOut, summary="Mark one read")
def mark_one_read(request: HttpRequest, message_id: int) -> UnreadOut:
    """Mark one notification read; answers how many are still unread."""
    user = signed_in_user(request)
    if not inbox.inbox_for(user=user).filter(pk=message_id).exists():
        raise Http404
    inbox.mark_read(user=user, message_id=message_id)
    return UnreadOut(unread=inbox.unread_count(user=user))


@router.post("/notifications/read-all", response=UnreadOut, summary="Mark all read")
def mark_all_read(request: HttpRequest) -> UnreadOut:
    """Mark every notification read."""
    user = signed_in_user(request)
    inbox.mark_read(user=user)
    return UnreadOut(unread=0)


def _preferences_out(grid: dict[str, dict[str, bool]]) -> list[PreferenceOut]:
    return [
        PreferenceOut(
            category=category,
            label=str(Category(category).label),
            locked=category in ESSENTIAL,
            channels=channels,
        )
        for category, channels in grid.items()
    ]


@router.get(
    "/notification-preferences", response=list[PreferenceOut], summary="Who hears about what"
)
def get_preferences(request: HttpRequest) -> list[PreferenceOut]:
    """Each category with the channels it is told on; `locked` ones (security) stay on."""
    return _preferences_out(preference_grid(user=signed_in_user(request)))


@router.put("/notification-preferences", response=list[PreferenceOut], summary="Change preferences")
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> list[PreferenceOut]:
    """Send only what changes; security stays on whatever is asked."""
    user = signed_in_user(request)
    for category, channels in payload.preferences.items():
        if category not in Category.values:
            raise FieldError(f"preferences.{category}", "unknown category")
        for channel in channels:
            if channel not in Channel.values:
                raise FieldError(f"preferences.{category}.{channel}", "unknown channel")
    try:
        set_preferences(user=user, grid=payload.preferences)
    except PreferenceError as exc:
        raise FieldError("preferences", str(exc)) from None
    return _preferences_out(preference_grid(user=user))
