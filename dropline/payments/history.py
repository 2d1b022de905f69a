"""Payments already made, recorded in bulk: a provider's payment history brought in
(``dropline seed synthetic`` writes a year of it this way).

``record_settled_payments`` writes what ``paying.pay`` leaves behind for a card payment
the gateway accepted and the bank settled, for many payments at once: the payment rows
(``succeeded``), their ledger postings (PAYMENT, then SETTLEMENT once settled, exactly
as ``postings.post_payment`` and ``post_settlement`` make them) and the invoices the
payments covered marked paid, as ``settling.settle_invoices`` does. No gateway is
asked and no receipt is sent: the money moved in the past. A fixed number of queries
whatever the number of payments; rows are written by ``core.bulk.insert_rows`` (COPY
on PostgreSQL), in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core import bulk, sequences
from dropline.ledger.models import Book, TransactionKind
from dropline.ledger.posting import Entry, Posting, post_many
from dropline.ledger.queries import balances_cents
from dropline.payments.models import Payment, PaymentSource, PaymentStatus
from dropline.payments.rules import confirmation_number_of

PAYMENT_COLUMNS = (
    "id",
    "account_id",
    "method_id",
    "amount_cents",
    "currency",
    "status",
    "source",
    "idempotency_key",
    "confirmation_number",
    "gateway",
    "gateway_reference",
    "failure_code",
    "failure_message",
    "refunded_cents",
    "created_by_id",
    "created_at",
    "decided_at",
    "settled_at",
    "last_event_at",
)


@dataclass(frozen=True, slots=True)
class PastPayment:
    """A payment the gateway accepted at ``made_at``; settled at ``settled_at`` (None:
    the money is still in clearing)."""

    account_id: int
    method_id: int
    gateway: str
    amount_cents: int
    made_at: dt.datetime
    settled_at: dt.datetime | None
    currency: str = "USD"
    source: str = PaymentSource.PORTAL


def _postings(payment: PastPayment, number: str) -> list[Posting]:
    def posting(kind: str, debit: Entry, credit: Entry, memo: str, at: dt.datetime) -> Posting:
        return Posting(
            kind=kind,
            reference=number,
            memo=memo,
            effective_on=timezone.localdate(at),
            account_id=payment.account_id,
            currency=payment.currency,
            entries=(debit, credit),
            posted_at=at,
        )

    amount, gateway = payment.amount_cents, payment.gateway
    made = [
        posting(
            TransactionKind.PAYMENT,
            Entry(book=Book.CLEARING, sub=gateway, amount_cents=amount),
            Entry(book=Book.RECEIVABLE, account_id=payment.account_id, amount_cents=-amount),
            f"Payment {number}",
            payment.made_at,
        )
    ]
    if payment.settled_at is not None:
        made.append(
            posting(
                TransactionKind.SETTLEMENT,
                Entry(book=Book.CASH, sub=gateway, amount_cents=amount),
                Entry(book=Book.CLEARING, sub=gateway, amount_cents=-amount),
                f"Settlement of {number}",
                payment.settled_at,
            )
        )
    return made


def record_settled_payments(payments: Sequence[PastPayment]) -> int:
    """Record ``payments`` as accepted (and settled when they say so), post them and
    mark paid the invoices of each account whose balance they cover. Returns how many
    were written. Every amount must be positive."""
    if not payments:
        return 0
    if any(p.amount_cents <= 0 for p in payments):
        raise ValueError("a payment's amount must be positive")
    with transaction.atomic():
        numbers = [
            confirmation_number_of(value)
            for value in sequences.reserve(name="payment", count=len(payments))
        ]
        ids = bulk.reserve_ids(Payment, len(payments))
        bulk.insert_rows(
            Payment,
            PAYMENT_COLUMNS,
            (
                (
                    payment_id,
                    p.account_id,
                    p.method_id,
                    p.amount_cents,
                    p.currency,
                    PaymentStatus.SUCCEEDED.value,
                    p.source,
                    f"history:{number}",
                    number,
                    p.gateway,
                    f"history_{number}",
                    "",
                    "",
                    0,
                    None,
                    p.made_at,
                    p.made_at,
                    p.settled_at,
                    p.settled_at or p.made_at,
                )
                for payment_id, number, p in zip(ids, numbers, payments, strict=True)
            ),
        )
        post_many(
            [
                posting
                for number, p in zip(numbers, payments, strict=True)
                for posting in _postings(p, number)
            ]
        )
        accounts = sorted({p.account_id for p in payments})
        covered = [a for a, balance in balances_cents(accounts).items() if balance <= 0]
        if covered:
            Invoice.objects.filter(
                account_id__in=bulk.many(covered), status=InvoiceStatus.OPEN
            ).update(status=InvoiceStatus.PAID)
    return len(payments)
