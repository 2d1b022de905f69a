"""Disputes in the API: money in integer cents with the currency, dates in ISO form,
the thread without staff's internal notes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dropline.api.schemas import NOT_BLANK, AccountRefOut, Cents, FieldErrorOut, Id

DisputeReasonName = Literal[
    "not_ordered", "charged_twice", "outage", "wrong_price", "equipment_returned", "other"
]
# Examples of the multipart bodies (ninja publishes a form's fields without its model's
# examples, so the routes attach these to the request body).
DISPUTE_EXAMPLE = {
    "invoice": "INV-00000012",
    "line_id": 311,
    "amount_cents": 1500,
    "reason": "charged_twice",
    "description": "The router rental is on the bill twice.",
}
MESSAGE_EXAMPLE = {"body": "Here is the receipt from the store."}


class DisputesQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )


class DisputeIn(Schema):
    """A new dispute, sent as `multipart/form-data` with the files in `files`."""

    account: str | None = Field(None, max_length=40)
    invoice: str = Field(
        ..., min_length=1, max_length=20, pattern=NOT_BLANK, description="The invoice number."
    )
    line_id: Id = Field(..., description="The invoice line's `id` (from the invoice's lines).")
    amount_cents: Cents = Field(..., description="At most the line's amount.")
    reason: DisputeReasonName = Field(
        ...,
        description=(
            "not_ordered, charged_twice, outage, wrong_price, equipment_returned or other."
        ),
    )
    description: str = Field(..., min_length=1, max_length=4000, pattern=NOT_BLANK)


class MessageIn(Schema):
    """A message, sent as `multipart/form-data` with any files in `files`."""

    account: str | None = Field(None, max_length=40)
    body: str = Field(..., min_length=1, max_length=4000, pattern=NOT_BLANK)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class MessageOut(Schema):
    id: int
    from_staff: bool
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class DisputeOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    invoice: str
    line_id: int
    line: str
    amount_cents: int
    currency: str
    reason: str
    reason_label: str
    due_on: dt.date
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    resolution: str
    credited_cents: int


class DisputeDetailOut(DisputeOut):
    messages: list[MessageOut]


class DisputesOut(Schema):
    account: AccountRefOut
    held_cents: int = Field(
        ..., description="The open disputed amount: not charged by autopay, no late fee on it."
    )
    disputes: list[DisputeOut]


class DisputeRefusedOut(Schema):
    detail: str
    code: str
    errors: list[FieldErrorOut]
