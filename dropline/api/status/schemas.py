"""The public status page's shapes (``dropline.api.status.routes``): service areas and
their outages, nothing of anyone's account. Times are ISO 8601 with their offset; words
are in the language asked for."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

STATE = (
    "`outage` (one is going on), `maintenance` (work under way, no outage) or `ok` "
    "(working normally)."
)


class StatusQuery(Schema):
    language: str = Field("", max_length=8, description="`en` or `es`; the caller's if empty.")


class StatusUpdateOut(Schema):
    posted_at: dt.datetime
    status: str
    status_label: str
    eta: dt.datetime | None = Field(description="The expected end given with this update.")
    message: str


class StatusOutageOut(Schema):
    id: int
    kind: str = Field(description="`outage` or `maintenance`.")
    kind_label: str
    status: str = Field(
        description="`scheduled`, `investigating`, `identified`, `in_progress`, `resolved`."
    )
    status_label: str
    title: str
    cause: str | None = Field(description="Null while the cause is not known.")
    services: list[str] = Field(description="Service kinds affected; empty: every service.")
    starts_at: dt.datetime
    eta: dt.datetime | None = Field(
        description="The expected end (a maintenance's window end); null: not known yet."
    )
    resolved_at: dt.datetime | None


class StatusOutageDetailOut(StatusOutageOut):
    updates: list[StatusUpdateOut] = Field(description="Oldest first.")


class StatusAreaSummaryOut(Schema):
    code: str = Field(description="Its detail: `GET /status/{code}`.")
    name: str
    state: str = Field(description=STATE)
    current: list[StatusOutageOut] = Field(description="Going on now.")
    upcoming: list[StatusOutageOut] = Field(description="Planned maintenance ahead.")


class StatusAreasOut(Schema):
    language: str
    areas: list[StatusAreaSummaryOut] = Field(description="Every service area, by name.")


class StatusAreaOut(Schema):
    language: str
    code: str
    name: str
    state: str = Field(description=STATE)
    current: list[StatusOutageDetailOut] = Field(description="Going on now.")
    upcoming: list[StatusOutageDetailOut] = Field(description="Planned maintenance ahead.")
    recent: list[StatusOutageDetailOut] = Field(description="Fixed in the last 7 days.")
