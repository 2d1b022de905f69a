"""Telling the account's people about payments, refunds and saved methods.

Every message goes through ``notifications.outbox.notify`` in the category payments
(e-mail and the portal by default), in each person's language, once per subject: a
receipt is keyed by the payment, so a webhook replayed or a task run twice tells no
one twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.ledger.queries import balance_cents
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.payments.models import Payment, PaymentMethod, Refund

PAYMENT_RECEIVED = "payment_received"
PAYMENT_FAILED = "payment_failed"
REFUND_ISSUED = "refund_issued"
METHOD_ADDED = "payment_method_added"
METHOD_REMOVED = "payment_method_removed"
CARD_EXPIRING = "card_expiring"

PAYMENTS_PATH = "/billing/payments/"
PAY_PATH = "/billing/pay/"  # the portal's payments:pay
METHODS_PATH = "/billing/methods/"  # the portal's payment_methods:list


def receipt_path(payment: Payment) -> str:
    return f"{PAYMENTS_PATH}{payment.confirmation_number}/"


def _base(path: str) -> dict[str, Any]:
    return {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + path,
    }


def _money(cents: int, currency: str) -> str:
    return Money(cents, currency).format()


def _method_label(method: PaymentMethod) -> str:
    return f"{method.brand.title() if method.kind == 'card' else method.brand} ••••{method.last4}"


def _tell(
    *, event: str, subject_key: str, account: CustomerAccount, path: str, values: dict[str, Any]
) -> None:
    notify(
        event=event,
        category=Category.PAYMENTS,
        subject_key=subject_key,
        context={**_base(path), **values},
        account=account,
        link=path,
    )


def payment_received(payment: Payment) -> None:
    """The receipt: confirmation number, amount, method and the balance after it."""
    balance = balance_cents(payment.account_id)
    _tell(
        event=PAYMENT_RECEIVED,
        subject_key=f"payment:{payment.pk}",
        account=payment.account,
        path=receipt_path(payment),
        values={
            "number": payment.confirmation_number,
            "amount": _money(payment.amount_cents, payment.currency),
            "method": _method_label(payment.method),
            "balance": _money(max(balance, 0), payment.currency),
            "credit": _money(-balance, payment.currency) if balance < 0 else "",
            "processing": payment.status == "processing",
        },
    )


def payment_failed(payment: Payment, *, returned: bool = False) -> None:
    """A payment that did not go through, or came back after it had."""
    _tell(
        event=PAYMENT_FAILED,
        subject_key=f"payment:{payment.pk}:{'returned' if returned else 'failed'}",
        account=payment.account,
        path=PAY_PATH,
        values={
            "number": payment.confirmation_number,
            "amount": _money(payment.amount_cents, payment.currency),
            "method": _method_label(payment.method),
            "returned": returned,
        },
    )


def refund_issued(refund: Refund) -> None:
    payment = refund.payment
    _tell(
        event=REFUND_ISSUED,
        subject_key=f"refund:{refund.pk}",
        account=payment.account,
        path=receipt_path(payment),
        values={
            "number": payment.confirmation_number,
            "amount": _money(refund.amount_cents, payment.currency),
            "method": _method_label(payment.method),
        },
    )


def method_changed(method: PaymentMethod, *, event: str) -> None:
    _tell(
        event=event,
        subject_key=f"payment_method:{method.pk}",
        account=method.account,
        path=METHODS_PATH,
        values={"method": _method_label(method)},
    )


def card_expiring(method: PaymentMethod) -> None:
    _tell(
        event=CARD_EXPIRING,
        subject_key=f"payment_method:{method.pk}:{method.exp_year}-{method.exp_month}",
        account=method.account,
        path=METHODS_PATH,
        values={
            "method": _method_label(method),
            "expiry": f"{method.exp_month:02d}/{method.exp_year}",
        },
    )
