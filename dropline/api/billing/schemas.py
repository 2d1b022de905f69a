"""Output of the customer's bills (``dropline.api.billing.routes``). Amounts are integer
cents (``*_cents``) in the account's ``currency``; words are in the caller's language."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountQuery, AccountRefOut, MoneyOut


class BillingQuery(AccountQuery):
    pass


class InvoicesQuery(BillingQuery):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the page before."
    )
    limit: int | None = Field(None, ge=1, le=100, description="Invoices per page (24 if left out).")


class InvoiceOut(Schema):
    number: str
    period_start: dt.date
    period_end: dt.date
    issued_on: dt.date
    due_on: dt.date
    total_cents: int = Field(description="New charges: the sum of the invoice's lines.")
    previous_balance_cents: int
    amount_due_cents: int
    currency: str
    status: str = Field(description="`open` (unpaid), `paid` or `void`.")


class SummaryOut(Schema):
    account: AccountRefOut
    currency: str
    balance_cents: int = Field(description="Owed (positive) or in credit (negative).")
    amount_due_cents: int = Field(description="Of the latest unpaid bill; 0 when nothing is due.")
    due_on: dt.date | None
    last_invoice: InvoiceOut | None


class InvoicePageOut(Schema):
    items: list[InvoiceOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for older invoices.")


class LineOut(Schema):
    group: str = Field(
        description="`sub:<id>` for a service's lines, `bundle:<code>` for a bundle's "
        "discount, `account`, or `taxes`."
    )
    role: str = Field(
        description="`service`, `discount`, `bundle`, `add_on`, `equipment`, `proration`, "
        "`one_time`, `credit` or `tax`."
    )
    kind: str
    description: str
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: int
    amount_cents: int


class GroupOut(Schema):
    key: str
    title: str
    detail: str
    subtotal_cents: int
    lines: list[LineOut]


class InvoiceDetailOut(InvoiceOut):
    payments_cents: int = Field(description="Payments since the last bill (none are taken yet).")
    replaced_by: str | None = Field(description="The invoice that replaces a void one.")
    groups: list[GroupOut]
    lines: list[LineOut]


class ChangeOut(Schema):
    kind: str
    text: str
    amount_cents: int
    on: dt.date | None


class ChangesOut(Schema):
    number: str
    previous_number: str | None = Field(description="None for the account's first bill.")
    previous_total_cents: int | None
    total_cents: int
    difference_cents: int = Field(description="The changes' amounts add up to exactly this.")
    currency: str
    changes: list[ChangeOut]


class ForecastOut(Schema):
    period_start: dt.date
    period_end: dt.date
    total_cents: int
    low_cents: int = Field(description="With the data used so far this cycle.")
    high_cents: int = Field(
        description="With the data projected to the cycle's end; equal to `low_cents` "
        "when data use does not change the bill."
    )
    currency: str
    callouts: list[str] = Field(
        description="The range data use makes, then promotions ending and prices changing, by date."
    )
    groups: list[GroupOut]


class StatementQuery(BillingQuery):
    start: dt.date | None = Field(
        None,
        description="The statement's first day (`YYYY-MM-DD`); 12 months before `end` if "
        "left out. A statement covers at most 12 months.",
        examples=["2026-01-01"],
    )
    end: dt.date | None = Field(
        None,
        description="The statement's last day, no later than today; today if left out.",
        examples=["2026-06-30"],
    )


class StatementLineOut(Schema):
    on: dt.date = Field(description="The day the movement counts from.")
    kind: str = Field(
        description="`invoice`, `credit_note`, `payment`, `refund`, `return` (a returned "
        "payment), `dispute_credit` or `settlement`."
    )
    reference: str = Field(
        description="The invoice's number, or the payment's confirmation number."
    )
    text: str = Field(description='The movement in words: "Invoice INV-00000012".')
    amount: MoneyOut = Field(description="Charges positive, payments and credits negative.")
    balance: MoneyOut = Field(description="The account's balance after this movement.")
    payment_status: str | None = Field(
        description="For a payment, its return or refund: the payment's status "
        "(`processing`, `succeeded`, `returned`...); empty for anything else."
    )
    payment_status_label: str | None = Field(description="That status in words.")


class StatementOut(Schema):
    """The statement page's figures: the balance brought forward, every movement with
    the balance after it, and the closing balance."""

    account: AccountRefOut
    start: dt.date
    end: dt.date
    opening_balance: MoneyOut = Field(
        description="The balance brought forward from before `start`."
    )
    closing_balance: MoneyOut
    lines: list[StatementLineOut]
