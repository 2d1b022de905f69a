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


class TimeZoneOut(Schema):
    zone: str = Field(description="The IANA name to send as `time_zone`.")
    name: str = Field(description="The zone in words, as the web's list shows it.")


class QuietHoursOut(Schema):
    on: bool = Field(description="Whether text messages wait during quiet hours.")
    starts: str | None = Field(description="`HH:MM`, local time; null when off.")
    ends: str | None = Field(description="`HH:MM`, local time; null when off.")
    time_zone: str = Field(
        description="The zone the hours are kept in; when off, the one the web offers first."
    )
    time_zones: list[TimeZoneOut] = Field(description="The zones that may be chosen.")


# A time of day as the web's time field sends it: 00:00 to 23:59.
HH_MM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class QuietHoursIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"starts": "22:00", "ends": "07:00", "time_zone": "America/Chicago"}]
        }
    )

    starts: str | None = Field(
        max_length=5,
        pattern=HH_MM,
        description="From (`HH:MM`, 24-hour). Both times null turns quiet hours off.",
        examples=["22:00"],
    )
    ends: str | None = Field(
        max_length=5,
        pattern=HH_MM,
        description="Until (`HH:MM`, 24-hour), the next day when earlier than `starts`.",
        examples=["07:00"],
    )
    time_zone: str = Field(
        "",
        max_length=64,
        description="One of `time_zones`; the current one (or the provider's) if empty.",
        examples=["America/Chicago"],
    )
