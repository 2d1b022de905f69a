"""A payment extension in the API: dates in ISO form."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import AccountRefOut, FieldErrorOut


class ExtensionQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )


class ExtensionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"until": "2026-12-30"}]})

    until: dt.date = Field(..., description="The later date to pay the open bill by.")


class ExtensionOut(Schema):
    account: AccountRefOut
    invoice: str | None = Field(None, description="The open bill's number.")
    due_on: dt.date | None
    latest_until: dt.date | None = Field(None, description="The latest date one may ask for.")
    until: dt.date | None = Field(None, description="The extension given, if any.")
    may_ask: bool
    next_allowed_on: dt.date | None = Field(None, description="When another may be asked.")


class ExtensionRefusedOut(Schema):
    detail: str
    code: str
    errors: list[FieldErrorOut]
