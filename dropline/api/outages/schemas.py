"""Output of the outages API (``dropline.api.outages.routes``). Times are ISO 8601 with
their offset; texts are in the caller's language."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountQuery, AccountRefOut


class OutagesQuery(AccountQuery):
    pass


class AreaOut(Schema):
    code: str
    name: str


class OutageUpdateOut(Schema):
    posted_at: dt.datetime
    status: str
    eta: dt.datetime | None
    message: str


class OutageOut(Schema):
    id: int
    kind: str = Field(description="`outage` or `maintenance`.")
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
    watching: bool = Field(description="The caller asked to be told when it is fixed.")
    updates: list[OutageUpdateOut] = Field(description="Oldest first.")


class OutagesOut(Schema):
    account: AccountRefOut
    area: AreaOut
    all_well: bool = Field(description="Nothing is going on now at the service address.")
    current: list[OutageOut]
    upcoming: list[OutageOut] = Field(description="Planned maintenance ahead.")
    recent: list[OutageOut] = Field(description="Fixed in the last 7 days.")


class WatchOut(Schema):
    outage_id: int
    watching: bool
