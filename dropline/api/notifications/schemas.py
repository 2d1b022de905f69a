"""Input and output schemas of the notification center and preferences
(``dropline.api.notifications.routes``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict


class NotificationOut(Schema):
    id: int
    category: str
    subject: str
    body: str
    link: str = Field(
        description="A path on this site or a plain http(s) address, as the web's "
        "notification center shows it; empty when there is none or it is not safe to open."
    )
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
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"preferences": {"billing": {"sms": False}}}]}
    )

    preferences: dict[str, dict[str, bool]] = Field(
        description="Category (`billing`, `outages`...) to channel (`email`, `sms`, "
        "`in_app`...) to on or off, as `GET` lists them; an unknown one is refused (400)."
    )
