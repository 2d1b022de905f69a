"""The notification center and preferences, with quiet hours for text messages, for the
mobile app. Thin: ``dropline.notifications`` decides, as for the web's settings page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Router

from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.notifications.schemas import (
    NotificationOut,
    NotificationPageOut,
    PreferenceOut,
    PreferencesIn,
    QuietHoursIn,
    QuietHoursOut,
    TimeZoneOut,
    UnreadOut,
)
from dropline.api.schemas import MAX_ID, InvalidInputOut
from dropline.core import pagination
from dropline.notifications import inbox
from dropline.notifications import queries as notification_queries
from dropline.notifications.categories import ESSENTIAL, Category, Channel
from dropline.notifications.models import QuietHours
from dropline.notifications.preferences import (
    PreferenceError,
    QuietHoursError,
    preference_grid,
    quiet_hours_time_zones,
    set_preferences,
    set_quiet_hours,
)

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


# Quiet hours ---------------------------------------------------------------------------------


def _time(value: str | None) -> dt.time | None:
    """``HH:MM`` (the schema's pattern) as a time of day."""
    if value is None:
        return None
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def _quiet_hours_out(quiet: QuietHours | None) -> QuietHoursOut:
    current = quiet.time_zone if quiet is not None else None
    return QuietHoursOut(
        on=quiet is not None,
        starts=f"{quiet.starts:%H:%M}" if quiet is not None else None,
        ends=f"{quiet.ends:%H:%M}" if quiet is not None else None,
        time_zone=current or settings.TIME_ZONE,
        time_zones=[
            TimeZoneOut(zone=zone, name=name)
            for zone, name in quiet_hours_time_zones(current=current)
        ],
    )


@router.get(
    "/notification-preferences/quiet-hours",
    response=QuietHoursOut,
    summary="Quiet hours for text messages",
)
def get_quiet_hours(request: HttpRequest) -> QuietHoursOut:
    """The local hours in which no text message is sent (security alerts excepted): they
    wait until the quiet hours end. With the time zones that may be chosen."""
    return _quiet_hours_out(notification_queries.quiet_hours(user=signed_in_user(request)))


@router.put(
    "/notification-preferences/quiet-hours",
    response={200: QuietHoursOut, 400: InvalidInputOut},
    summary="Set or turn off quiet hours",
)
def put_quiet_hours(request: HttpRequest, payload: QuietHoursIn) -> QuietHoursOut:
    """Set both times (and a time zone from `time_zones`), or send both times null to
    turn quiet hours off. 400 naming `starts`, `ends` or `time_zone` for one time without
    the other, the same time twice or a zone not offered; nothing changes then."""
    user = signed_in_user(request)
    zone = payload.time_zone
    if not zone:
        current = notification_queries.quiet_hours(user=user)
        zone = current.time_zone if current is not None else settings.TIME_ZONE
    try:
        quiet = set_quiet_hours(
            user=user,
            starts=_time(payload.starts),
            ends=_time(payload.ends),
            time_zone=zone,
        )
    except QuietHoursError as refused:
        raise FieldError(refused.field, refused.message) from None
    return _quiet_hours_out(quiet)
