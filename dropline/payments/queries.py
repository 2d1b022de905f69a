"""Reads of an account's payments, saved methods and what may be paid.

Every function takes the account the signed-in person is looking at (chosen with the
customers' membership helpers), never an id alone: a method id or a confirmation number
is looked up within that account, so another account's is simply not found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet, Sum

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core.pagination import KeysetPage, NumberedPage, keyset_page, numbered_page
from dropline.customers.models import CustomerAccount
from dropline.ledger.models import Book, JournalEntry, TransactionKind
from dropline.ledger.queries import balance_cents
from dropline.payments.models import (
    Payment,
    PaymentMethod,
    PaymentStatus,
    ScheduledPayment,
    ScheduledPaymentStatus,
)

PAYMENTS_PER_PAGE = 20
PAYMENT_PAGES = 50
API_DEFAULT_LIMIT = 20
API_MAX_LIMIT = 100
# Receivable movements that are payments (and their reversals) rather than charges.
PAYMENT_KINDS = (TransactionKind.PAYMENT, TransactionKind.RETURN, TransactionKind.REFUND)


@dataclass(frozen=True)
class PayableAmounts:
    currency: str
    balance_cents: int  # owed (positive) or in credit (negative), from the ledger
    amount_due_cents: int  # what the latest open bill asked, less payments since and pending
    due_on: dt.date | None
    pending_cents: int  # sent but not yet known (sending)
    max_cents: int  # the most one payment may be: balance + allowance - pending


def _payments_since(account_id: int, since: dt.datetime) -> int:
    """Receivable movements of payments, returns and refunds posted since ``since``
    (negative when money came in)."""
    total = JournalEntry.objects.filter(
        account_id=account_id,
        book=Book.RECEIVABLE,
        transaction__kind__in=PAYMENT_KINDS,
        transaction__posted_at__gte=since,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def pending_cents(account_id: int) -> int:
    total = Payment.objects.filter(account_id=account_id, status=PaymentStatus.SENDING).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


def amounts_for(*, account: CustomerAccount) -> PayableAmounts:
    """What the account owes, what is due by when, and the most one payment may be
    (four queries). A payment still being sent counts as paid, so two requests at once
    never pay more than is owed."""
    balance = balance_cents(account.pk)
    bill = (
        Invoice.objects.filter(account_id=account.pk, status=InvoiceStatus.OPEN)
        .order_by("-sequence")
        .only("amount_due_cents", "due_on", "created_at")
        .first()
    )
    pending = pending_cents(account.pk)
    due = 0
    due_on = None
    if bill is not None:
        # What the bill asked, less payments since (and any still being sent), never
        # more than the balance.
        due = bill.amount_due_cents + _payments_since(account.pk, bill.created_at)
        due = max(0, min(due, balance) - pending)
        due_on = bill.due_on
    allowance = int(settings.DROPLINE_PREPAYMENT_ALLOWANCE_CENTS)
    return PayableAmounts(
        currency=account.currency,
        balance_cents=balance,
        amount_due_cents=due,
        due_on=due_on,
        pending_cents=pending,
        max_cents=max(0, balance + allowance - pending),
    )


def _methods(account: CustomerAccount) -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.filter(account_id=account.pk, removed_at__isnull=True)


def methods_for(*, account: CustomerAccount) -> list[PaymentMethod]:
    """The account's saved methods, the default first, then the newest (one query)."""
    return list(_methods(account).order_by("-is_default", "-created_at", "-id"))


def method_for(*, account: CustomerAccount, method_id: int) -> PaymentMethod | None:
    """The account's saved method with that id; None for anyone else's or a removed one."""
    return _methods(account).filter(pk=method_id).first()


def default_method(*, account: CustomerAccount) -> PaymentMethod | None:
    return _methods(account).filter(is_default=True).first()


def _payments(account: CustomerAccount) -> QuerySet[Payment]:
    return Payment.objects.filter(account_id=account.pk).select_related("method")


def payments_for(
    *, account: CustomerAccount, page: str | int | None = None
) -> NumberedPage[Payment]:
    """One page of the account's payments, newest first (one query, no COUNT)."""
    return numbered_page(
        _payments(account).order_by("-created_at", "-id"),
        number=page,
        size=PAYMENTS_PER_PAGE,
        max_pages=PAYMENT_PAGES,
    )


def payments_after(
    *, account: CustomerAccount, after: int | None, limit: int | None
) -> KeysetPage[Payment]:
    """The API's page of payments, newest first, after the cursor's key (one query)."""
    return keyset_page(
        _payments(account),
        after=after,
        limit=limit,
        default_limit=API_DEFAULT_LIMIT,
        max_limit=API_MAX_LIMIT,
    )


def payment_for(*, account: CustomerAccount, confirmation_number: str) -> Payment | None:
    """The account's payment with that confirmation number; None for any other."""
    return (
        _payments(account).filter(confirmation_number=confirmation_number.strip().upper()).first()
    )


def _scheduled(account: CustomerAccount) -> QuerySet[ScheduledPayment]:
    return ScheduledPayment.objects.filter(account_id=account.pk).select_related(
        "method", "payment"
    )


def scheduled_for(*, account: CustomerAccount) -> list[ScheduledPayment]:
    """The account's payments still to be made on a later day, soonest first."""
    return list(
        _scheduled(account).filter(status=ScheduledPaymentStatus.SCHEDULED).order_by("pay_on", "id")
    )


def scheduled_after(
    *, account: CustomerAccount, after: int | None, limit: int | None
) -> KeysetPage[ScheduledPayment]:
    """The API's page of the payments still to be made on a later day, in the order they
    were asked for, after the cursor's key (one query)."""
    return keyset_page(
        _scheduled(account).filter(status=ScheduledPaymentStatus.SCHEDULED),
        after=after,
        limit=limit,
        default_limit=API_DEFAULT_LIMIT,
        max_limit=API_MAX_LIMIT,
        descending=False,
    )


def scheduled_payment_for(
    *, account: CustomerAccount, scheduled_id: int
) -> ScheduledPayment | None:
    """One of the account's scheduled payments, whatever became of it; None for any
    other account's."""
    return _scheduled(account).filter(pk=scheduled_id).first()


def scheduled_with_key(
    *, account: CustomerAccount, idempotency_key: str
) -> ScheduledPayment | None:
    """The account's scheduled payment asked for under ``idempotency_key``, if any."""
    return _scheduled(account).filter(idempotency_key=idempotency_key.strip()).first()
