"""Payments on the ledger: every movement of money a payment makes, as balanced postings.

- accepted by the gateway (succeeded or processing): Dr ``clearing:<gateway>``,
  Cr ``receivable`` (kind PAYMENT, reference = confirmation number);
- settled: Dr ``cash:<gateway>``, Cr ``clearing:<gateway>`` (SETTLEMENT);
- failed after processing, returned or charged back: Dr ``receivable``, Cr clearing (or
  cash once settled) (RETURN);
- refunded: Dr ``receivable``, Cr cash (clearing before settlement) (REFUND); a refund
  that fails later is reversed exactly.

Each function posts in the caller's transaction; the caller then settles invoices.
"""

from __future__ import annotations

from django.db.models import Sum

from dropline.core import clock
from dropline.ledger.models import Book, JournalTransaction, TransactionKind
from dropline.ledger.posting import Entry, Posting, post, reversal
from dropline.payments.models import Payment, Refund, RefundStatus


def _posting(
    payment: Payment,
    *,
    kind: str,
    debit: tuple[str, int | None],
    credit: tuple[str, int | None],
    amount_cents: int,
    memo: str,
) -> Posting:
    def entry(book: str, account_id: int | None, amount: int) -> Entry:
        sub = "" if book == Book.RECEIVABLE else payment.gateway
        return Entry(book=book, sub=sub, account_id=account_id, amount_cents=amount)

    return Posting(
        kind=kind,
        reference=payment.confirmation_number,
        memo=memo,
        effective_on=clock.today(),
        account_id=payment.account_id,
        currency=payment.currency,
        entries=(entry(*debit, amount_cents), entry(*credit, -amount_cents)),
    )


def post_payment(payment: Payment) -> int:
    """The gateway accepted ``payment``: the customer's balance goes down by its amount."""
    return post(
        _posting(
            payment,
            kind=TransactionKind.PAYMENT,
            debit=(Book.CLEARING, None),
            credit=(Book.RECEIVABLE, payment.account_id),
            amount_cents=payment.amount_cents,
            memo=f"Payment {payment.confirmation_number}",
        )
    )


def post_settlement(payment: Payment, *, amount_cents: int) -> int | None:
    """The money reached the provider's bank: clearing to cash."""
    if amount_cents <= 0:
        return None
    return post(
        _posting(
            payment,
            kind=TransactionKind.SETTLEMENT,
            debit=(Book.CASH, None),
            credit=(Book.CLEARING, None),
            amount_cents=amount_cents,
            memo=f"Settlement of {payment.confirmation_number}",
        )
    )


def post_return(payment: Payment, *, amount_cents: int, settled: bool, memo: str) -> int | None:
    """The money came back (a failed bank debit, a return, a chargeback): the customer
    owes it again; it leaves cash if it had settled, else clearing."""
    if amount_cents <= 0:
        return None
    return post(
        _posting(
            payment,
            kind=TransactionKind.RETURN,
            debit=(Book.RECEIVABLE, payment.account_id),
            credit=(Book.CASH if settled else Book.CLEARING, None),
            amount_cents=amount_cents,
            memo=memo,
        )
    )


def posted_refunds_cents(payment: Payment) -> int:
    """What refunds of ``payment`` have given back on the books so far (one query)."""
    total = Refund.objects.filter(
        payment_id=payment.pk,
        status__in=(RefundStatus.PENDING, RefundStatus.SUCCEEDED),
        gateway_reference__gt="",
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def refund_memo(refund: Refund) -> str:
    return f"Refund {refund.pk} of {refund.payment.confirmation_number}"


def post_refund(refund: Refund) -> int:
    """Money given back: the customer's balance goes up; it leaves cash once the payment
    settled, else clearing."""
    payment = refund.payment
    return post(
        _posting(
            payment,
            kind=TransactionKind.REFUND,
            debit=(Book.RECEIVABLE, payment.account_id),
            credit=(Book.CASH if payment.settled_at else Book.CLEARING, None),
            amount_cents=refund.amount_cents,
            memo=refund_memo(refund),
        )
    )


def reverse_refund(refund: Refund) -> int | None:
    """A refund the gateway failed after accepting it: its posting undone exactly."""
    original = (
        JournalTransaction.objects.filter(
            kind=TransactionKind.REFUND,
            reference=refund.payment.confirmation_number,
            memo=refund_memo(refund),
            reverses__isnull=True,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if original is None:
        return None
    return post(
        reversal(
            original,
            kind=TransactionKind.REFUND,
            reference=refund.payment.confirmation_number,
            memo=f"Refund {refund.pk} failed",
        )
    )
