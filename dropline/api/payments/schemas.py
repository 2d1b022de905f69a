"""Payments from the app: made with an idempotency key, listed, looked up."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import AccountQuery, Cents, FieldErrorOut, Id


class PaymentsQuery(AccountQuery):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the page before."
    )
    limit: int | None = Field(None, ge=1, le=100, description="Payments per page (20 if left out).")


class PaymentQuery(AccountQuery):
    pass


class PaymentIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"amount_cents": 26843, "payment_method_id": 3}]}
    )

    account: str | None = Field(None, max_length=40, description="The account number.")
    amount_cents: Cents = Field(description="What to pay, in cents.")
    payment_method_id: Id | None = Field(
        None, description="A saved method's id; the default method if left out."
    )


class PaymentMethodRefOut(Schema):
    id: int
    kind: str
    brand: str
    last4: str


class PaymentOut(Schema):
    confirmation_number: str
    amount_cents: int
    currency: str
    status: str = Field(
        description="`sending` (the answer is awaited), `processing` (a bank debit, known "
        "in a few days), `succeeded`, `failed`, `returned` or `refunded`."
    )
    status_label: str
    source: str
    method: PaymentMethodRefOut
    failure_code: str
    refunded_cents: int
    created_at: dt.datetime
    decided_at: dt.datetime | None


class PaymentPageOut(Schema):
    items: list[PaymentOut]
    next_cursor: str | None


class AmountsOut(Schema):
    currency: str
    balance_cents: int
    amount_due_cents: int
    due_on: dt.date | None
    pending_cents: int
    max_cents: int = Field(description="The most one payment may be now.")


class PaymentRefusedOut(Schema):
    """A payment refused before it reached the gateway: nothing was charged. ``code``
    says which rule (``over_balance``, ``no_method``, ``key_reused``, ``in_progress``...)."""

    detail: str
    code: str
    errors: list[FieldErrorOut]
