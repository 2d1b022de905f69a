"""Finding payments for staff, and the reads around one payment.

Staff search by account number, confirmation number, status, the day it was made and
the amount, newest first, a page at a time without counting the table; a payment's page
shows its refunds, the gateway's events about it and its ledger postings. The
customer's own reads are in ``queries.py`` (always scoped to an account); the one read
here the portal uses, :func:`statuses_for`, takes the account too.

The filters are parsed by the back-office; the rule of what they mean lives here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from dropline.core.pagination import NumberedPage, numbered_page
from dropline.customers.models import CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.payments.models import (
    GatewayEvent,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
)

PAYMENT_PAGE_SIZE = 50
PAYMENT_MAX_PAGES = 100
HUB_PAYMENTS = 5


def normalize_confirmation_number(text: str) -> str:
    """``p000000042``, `` P000000042 `` and ``42`` as ``P000000042``."""
    cleaned = text.strip().upper().replace(" ", "")
    digits = cleaned.removeprefix("P")
    if digits.isdigit() and len(digits) <= 9:
        return f"P{int(digits):09d}"
    return cleaned


@dataclasses.dataclass(frozen=True)
class PaymentFilters:
    """Every filter optional, all combined; an empty string or None means any."""

    confirmation: str = ""
    account: str = ""
    status: str = ""
    made_from: dt.date | None = None
    made_to: dt.date | None = None
    amount_cents: int | None = None

    def is_empty(self) -> bool:
        return not (
            self.confirmation
            or self.account
            or self.status
            or self.made_from
            or self.made_to
            or self.amount_cents is not None
        )


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the provider's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _matching(filters: PaymentFilters) -> QuerySet[Payment]:
    payments = Payment.objects.select_related("account", "method").order_by("-created_at", "-id")
    if filters.confirmation:
        payments = payments.filter(
            confirmation_number=normalize_confirmation_number(filters.confirmation)
        )
    if filters.account:
        payments = payments.filter(account__number=normalize_account_number(filters.account))
    if filters.status in PaymentStatus.values:
        payments = payments.filter(status=filters.status)
    if filters.made_from is not None:
        payments = payments.filter(created_at__gte=_day_start(filters.made_from))
    if filters.made_to is not None:
        payments = payments.filter(
            created_at__lt=_day_start(filters.made_to + dt.timedelta(days=1))
        )
    if filters.amount_cents is not None:
        payments = payments.filter(amount_cents=filters.amount_cents)
    return payments


def search_payments(
    *, filters: PaymentFilters, page: str | int | None = None
) -> NumberedPage[Payment]:
    """One page of the payments matching ``filters``, newest first, no COUNT."""
    return numbered_page(
        _matching(filters), number=page, size=PAYMENT_PAGE_SIZE, max_pages=PAYMENT_MAX_PAGES
    )


def payment_by_confirmation(confirmation: str) -> Payment | None:
    """The payment with this confirmation number (any common spelling), with its
    account and method; None when there is none."""
    return (
        Payment.objects.select_related("account", "method", "created_by")
        .filter(confirmation_number=normalize_confirmation_number(confirmation))
        .first()
    )


def refunds_of(payment: Payment) -> list[Refund]:
    return list(payment.refunds.select_related("created_by").order_by("created_at", "id"))


def events_of(payment: Payment) -> list[GatewayEvent]:
    """The gateway's events about the payment and its refunds, in the order they happened."""
    return list(
        GatewayEvent.objects.filter(Q(payment=payment) | Q(refund__payment=payment)).order_by(
            "occurred_at", "id"
        )
    )


def refundable_cents(payment: Payment) -> int:
    """What may still be refunded: a paid payment's amount less its refunds so far
    (pending ones included)."""
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0
    taken = sum(
        refund.amount_cents
        for refund in payment.refunds.exclude(status="failed").only("amount_cents")
    )
    return max(payment.amount_cents - max(taken, payment.refunded_cents), 0)


def latest_payments(*, account_id: int, limit: int = HUB_PAYMENTS) -> list[Payment]:
    """The account's newest payments, for the customer hub."""
    return list(
        Payment.objects.filter(account_id=account_id)
        .select_related("method")
        .order_by("-created_at", "-id")[:limit]
    )


def saved_methods(*, account_id: int) -> list[PaymentMethod]:
    """The account's saved methods (not removed), default first, for the customer hub."""
    return list(PaymentMethod.objects.filter(account_id=account_id, removed_at__isnull=True))


def statuses_for(
    *, account: CustomerAccount, confirmation_numbers: Iterable[str]
) -> dict[str, str]:
    """The status of each of the account's payments named (a statement's rows): other
    accounts' numbers are simply absent. One query."""
    wanted = set(confirmation_numbers)
    if not wanted:
        return {}
    return dict(
        Payment.objects.filter(account=account, confirmation_number__in=wanted).values_list(
            "confirmation_number", "status"
        )
    )
