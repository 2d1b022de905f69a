"""Input and output schemas of the notification centre and preferences
(``dropline.api.notifications.routes``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class NotificationOut(Schema):
    id: int
    category: str
    subject: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool


class NotificationPageOut(Schema):
    unread: int
    items: list[NotificationOut]
    next_before_id: int | None


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    category: str
    label: str
    locked: bool
    channels: dict[str, bool]


class PreferencesIn(Schema):
    preferences: dict[str, dict[str, bool]]
