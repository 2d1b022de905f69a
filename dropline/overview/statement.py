"""The account statement as the customer reads it: each ledger movement of the period in
words, with the status of the payments among them (a payment still processing, one
returned). Shared by the statement page and the API."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from dropline.billing import queries
from dropline.billing.documents import statement_text
from dropline.customers.models import CustomerAccount
from dropline.ledger.queries import StatementRow
from dropline.payments.models import PaymentStatus
from dropline.payments.search import statuses_for


class StatementLine(NamedTuple):
    """A statement row with its words; for a payment (or its return or refund), the
    payment's status code and its label, else ``""`` and None."""

    row: StatementRow
    text: str
    payment_status_label: str | None
    payment_status: str


class AccountStatement(NamedTuple):
    statement: queries.Statement
    lines: list[StatementLine]


def account_statement(
    *, account: CustomerAccount, since: dt.date, until: dt.date
) -> AccountStatement:
    """The statement of ``since`` to ``until`` with its lines in words (three queries)."""
    found = queries.account_statement(account=account, since=since, until=until)
    payments = [row for row in found.rows if row.kind in queries.PAYMENT_KINDS]
    statuses = statuses_for(
        account=account, confirmation_numbers=[row.reference for row in payments]
    )
    labels = dict(PaymentStatus.choices)
    lines = []
    for row in found.rows:
        status = statuses.get(row.reference, "")
        is_payment = row.kind in queries.PAYMENT_KINDS
        label = labels.get(status) if is_payment else None
        lines.append(
            StatementLine(
                row=row,
                text=statement_text(row),
                payment_status_label=str(label) if label is not None else None,
                payment_status=status,
            )
        )
    return AccountStatement(statement=found, lines=lines)
