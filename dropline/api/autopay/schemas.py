"""Autopay in the API: money in integer cents with the currency, dates in ISO form."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import AccountRefOut, FieldErrorOut, Id


class AutopayQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )


class AutopayIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"payment_method_id": 3}]})

    payment_method_id: Id = Field(..., description="A saved method's `id`.")


class AutopayMethodOut(Schema):
    id: int
    kind: str
    brand: str
    last4: str


class AutopayOut(Schema):
    """Whether autopay is on, what it pays with, its next charge, the discount."""

    account: AccountRefOut
    enrolled: bool
    payment_method: AutopayMethodOut | None
    next_charge_on: dt.date | None = Field(
        None, description="The due date of the next bill autopay pays."
    )
    next_charge_cents: int | None = Field(
        None, description="What it would charge for that bill now; null before it is issued."
    )
    starts_with_due_on: dt.date | None = Field(
        None, description="Enrolled inside the cut-off: the first bill it pays."
    )
    still_charged_on: dt.date | None = Field(
        None, description="Canceled inside the cut-off: the bill that is still charged."
    )
    discount_cents: int = Field(..., description="The monthly autopay discount (0: none).")
    discount_from: dt.date | None = Field(None, description="The day the discount starts.")
    currency: str
    message: str = Field(..., description="The state in the caller's language.")


class AutopayRefusedOut(Schema):
    detail: str
    code: str
    errors: list[FieldErrorOut]
