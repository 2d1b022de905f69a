"""The support requests' shapes for the app: a request in the list, one with its thread
(never staff's internal notes), and what the app sends to open or write in one."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from dropline.api.schemas import CHECKED_NOT_BLANK, MAX_ID, AccountRefOut
from dropline.helpdesk.models import TicketCategory
from dropline.helpdesk.tickets.text import MAX_BODY, MAX_RATING_COMMENT, MAX_SUBJECT


class TicketsQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )
    before_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The `next_before_id` of the page before, for the next page.",
    )
    limit: int | None = Field(None, ge=1, le=50, description="How many per page (at most 50).")


# The request's own checks refuse what is outside these bounds (400 naming the field, in
# the caller's language): the schema says them, the checks enforce them.
def _text(limit: int) -> JsonDict:
    return {**CHECKED_NOT_BLANK, "maxLength": limit}


class TicketIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "category": "internet",
                    "subject": "No internet since this morning",
                    "description": "The gateway's light is red; restarting it did not help.",
                }
            ]
        }
    )

    category: str = Field(
        description="`internet`, `tv`, `mobile`, `billing`, `equipment` or `other`.",
        json_schema_extra={"enum": list(TicketCategory.values)},
    )
    subject: str = Field(description="1 to 120 characters.", json_schema_extra=_text(MAX_SUBJECT))
    description: str = Field(description="1 to 5000 characters.", json_schema_extra=_text(MAX_BODY))
    account: str | None = Field(None, max_length=40)


class TicketMessageIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"body": "It is working again, thank you."}]}
    )

    body: str = Field(description="1 to 5000 characters.", json_schema_extra=_text(MAX_BODY))
    account: str | None = Field(None, max_length=40)


class TicketOut(Schema):
    id: int
    number: str
    category: str
    category_label: str
    subject: str
    status: str = Field(description="`open` (waiting for us), `answered`, `closed`, `merged`.")
    status_label: str
    created_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None = Field(description="When we answer by, while it waits for us.")
    closed_at: dt.datetime | None
    merged_into_id: int | None
    rating: int | None


class TicketFileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class TicketMessageOut(Schema):
    id: int
    from_staff: bool
    author: str = Field(description="Your people's names; staff's first name.")
    body: str
    created_at: dt.datetime
    attachments: list[TicketFileOut]


class TicketDetailOut(TicketOut):
    messages: list[TicketMessageOut]


class TicketPageOut(Schema):
    account: AccountRefOut
    tickets: list[TicketOut]
    next_before_id: int | None


class RatingIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rating": 5, "comment": "Quick and friendly, thank you."}]}
    )

    rating: int = Field(ge=1, le=5, description="1 (very poor) to 5 (very good).", examples=[5])
    comment: str = Field(
        "",
        max_length=MAX_RATING_COMMENT,
        description="Anything to add (optional).",
        examples=["Quick and friendly, thank you."],
    )
