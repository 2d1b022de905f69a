"""Payments from the app: made with an idempotency key, listed, looked up; payments on a
later day scheduled (with an idempotency key too), listed and canceled."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import AccountQuery, Cents, FieldErrorOut, Id, MoneyOut


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


class ScheduledQuery(AccountQuery):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the page before."
    )
    limit: int | None = Field(
        None, ge=1, le=100, description="Scheduled payments per page (20 if left out)."
    )


class ScheduleIn(Schema):
    """A payment on a later day, from tomorrow up to the due date of the latest bill."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"amount_minor": 4250, "pay_on": "2026-07-01", "method_id": 12}]
        }
    )

    amount_minor: int = Field(
        ...,
        ge=1,
        le=100_000_000_000,
        description="What to pay, in minor units (cents): at most what may be paid now "
        "(`/payments/amounts`' `max_cents`).",
        examples=[4250],
    )
    pay_on: dt.date = Field(
        ...,
        description="The day to pay (`YYYY-MM-DD`): from tomorrow up to the bill's due date.",
        examples=["2026-07-01"],
    )
    method_id: int | None = Field(
        None,
        ge=1,
        le=9_223_372_036_854_775_807,
        description="A saved method's id (`/payment-methods`); the default method if left out.",
        examples=[12],
    )


class ScheduledPaymentOut(Schema):
    id: int
    amount: MoneyOut
    pay_on: dt.date
    status: str = Field(
        description="`scheduled` (waiting for its day), `sent` (made: see `payment`), "
        "`cancelled`, or `skipped` (nothing was owed any more on the day)."
    )
    status_label: str
    method: PaymentMethodRefOut
    created_at: dt.datetime
    cancelled_at: dt.datetime | None
    payment: str | None = Field(description="The confirmation number of the payment made.")


class ScheduledPageOut(Schema):
    items: list[ScheduledPaymentOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
