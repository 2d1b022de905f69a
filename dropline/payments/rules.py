"""What a payment request must satisfy before anything is sent: a request key, a saved
method of the account's, an amount no more than may be paid; and what a repeat of a key
gives back. Called by ``paying`` inside its transaction, under the account's row lock.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dropline.core import sequences
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.payments import queries
from dropline.payments.errors import PaymentError, PaymentInProgressError
from dropline.payments.models import Payment, PaymentMethod, PaymentStatus

MAX_KEY_LENGTH = 80


def confirmation_number() -> str:
    (value,) = sequences.reserve(name="payment")
    return confirmation_number_of(value)


def confirmation_number_of(value: int) -> str:
    """The confirmation number of the payment sequence's ``value``."""
    return f"P{value:09d}"


def gateway_key(payment: Payment) -> str:
    """The key the gateway sees: unique across accounts, the same every time it is asked."""
    return f"dropline-{payment.confirmation_number}"


def check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise PaymentError(
            "idempotency_key",
            _("Send a request key of 1 to %(n)d characters.") % {"n": MAX_KEY_LENGTH},
            "invalid_key",
        )
    return key


def repeat_of(existing: Payment, *, amount_cents: int, method: PaymentMethod | None) -> Payment:
    if existing.amount_cents != amount_cents or (
        method is not None and existing.method_id != method.pk
    ):
        raise PaymentError(
            "idempotency_key",
            _("This request key was already used for a different payment."),
            "key_reused",
        )
    if existing.status == PaymentStatus.SENDING:
        raise PaymentInProgressError(
            "idempotency_key",
            _("This payment is still being sent. Check its status in a moment."),
            "in_progress",
        )
    return existing


def chosen_method(account: CustomerAccount, method: PaymentMethod | None) -> PaymentMethod:
    if method is None:
        chosen = queries.default_method(account=account)
        if chosen is None:
            raise PaymentError("payment_method_id", _("Add a payment method to pay."), "no_method")
        return chosen
    current = PaymentMethod.objects.filter(pk=method.pk, account_id=account.pk).first()
    if current is None or current.removed_at is not None:
        raise PaymentError(
            "payment_method_id",
            _("This payment method was removed. Choose another one."),
            "method_removed",
        )
    return current


def check_amount(account: CustomerAccount, amount_cents: int) -> None:
    """Refuse an amount that is not positive or more than may be paid now."""
    if amount_cents <= 0:
        raise PaymentError(
            "amount_cents", _("Enter an amount greater than zero."), "amount_not_positive"
        )
    amounts = queries.amounts_for(account=account)
    if amounts.max_cents <= 0:
        raise PaymentError("amount_cents", _("Nothing is owed on this account."), "nothing_to_pay")
    if amount_cents > amounts.max_cents:
        most = Money(amounts.max_cents, amounts.currency).format()
        raise PaymentError(
            "amount_cents",
            _("That is more than you owe. The most you can pay now is %(most)s.") % {"most": most},
            "over_balance",
        )
