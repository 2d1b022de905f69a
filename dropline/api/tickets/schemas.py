"""The support requests' shapes for the app: a request in the list, one with its thread
(never staff's internal notes), and what the app sends to open or write in one."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountRefOut
from dropline.helpdesk.tickets.text import MAX_RATING_COMMENT


class TicketsQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )
    before_id: int | None = Field(
        None, description="The `next_before_id` of the page before, for the next page."
    )
    limit: int | None = Field(None, description="How many per page (at most 50).")


class TicketIn(Schema):
    category: str = Field(
        description="`internet`, `tv`, `mobile`, `billing`, `equipment` or `other`."
    )
    subject: str = Field(description="1 to 120 characters.")
    description: str = Field(description="1 to 5000 characters.")
    account: str | None = Field(None, max_length=40)


class TicketMessageIn(Schema):
    body: str = Field(description="1 to 5000 characters.")
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
    rating: int = Field(ge=1, le=5, description="1 (very poor) to 5 (very good).", examples=[5])
    comment: str = Field(
        "",
        max_length=MAX_RATING_COMMENT,
        description="Anything to add (optional).",
        examples=["Quick and friendly, thank you."],
    )
