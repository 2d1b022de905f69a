"""Payments' invariants, run by ``dropline ledger check`` beside the ledger's and billing's.

Each returns a description of the first broken thing it finds, or ``None``. They read
in bulk: one grouped query over the journal's payment references, compared with the
payments' own rows.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum

from dropline.ledger.models import Book, JournalEntry, JournalTransaction, TransactionKind
from dropline.payments.models import Payment, PaymentStatus, Refund, RefundStatus

# Payments the customer's balance counts as paid: accepted and not taken back.
STANDING = (PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
# Refunds whose money left (or is leaving): posted.
POSTED_REFUNDS = (RefundStatus.PENDING, RefundStatus.SUCCEEDED)


def _receivable_by_reference(kinds: tuple[str, ...]) -> dict[str, int]:
    rows = (
        JournalEntry.objects.filter(book=Book.RECEIVABLE, transaction__kind__in=kinds)
        .values("transaction__reference")
        .annotate(total=Sum("amount_cents"))
        .values_list("transaction__reference", "total")
    )
    return {reference: int(total) for reference, total in rows}


def every_payment_is_posted_once() -> str | None:
    """A standing payment has lowered the balance by its amount once; a failed, returned
    or unanswered one has, in net, not lowered it at all."""
    twice = (
        JournalTransaction.objects.filter(kind=TransactionKind.PAYMENT)
        .values("reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("reference")
        .values_list("reference", flat=True)
        .first()
    )
    if twice is not None:
        return f"payment {twice} is posted more than once"
    net = _receivable_by_reference((TransactionKind.PAYMENT, TransactionKind.RETURN))
    seen: set[str] = set()
    for number, status, amount, refunded in Payment.objects.values_list(
        "confirmation_number", "status", "amount_cents", "refunded_cents"
    ).iterator(chunk_size=5000):
        seen.add(number)
        posted = -net.get(number, 0)
        if status in STANDING and posted != amount:
            return f"payment {number} ({status}) of {amount} lowered the balance by {posted}"
        if status == PaymentStatus.RETURNED and posted not in {0, refunded}:
            return f"payment {number} was returned but still lowers the balance by {posted}"
        if status in {PaymentStatus.FAILED, PaymentStatus.SENDING} and posted != 0:
            return f"payment {number} ({status}) lowers the balance by {posted}"
    stray = sorted(set(net) - seen)
    if stray:
        return f"the journal has a payment {stray[0]} that no payment row records"
    return None


def refunds_are_posted() -> str | None:
    """What the journal gave back on each payment is what its refunds say, and what
    the payment has reserved for refunds."""
    posted = _receivable_by_reference((TransactionKind.REFUND,))
    refunds: dict[str, int] = defaultdict(int)
    for number, amount in Refund.objects.filter(
        status__in=POSTED_REFUNDS, gateway_reference__gt=""
    ).values_list("payment__confirmation_number", "amount_cents"):
        refunds[number] += amount
    for number in sorted(set(posted) | set(refunds)):
        if posted.get(number, 0) != refunds.get(number, 0):
            return (
                f"payment {number}: refunds of {refunds.get(number, 0)} but the journal "
                f"gave back {posted.get(number, 0)}"
            )
    reserved = dict(
        Payment.objects.filter(refunded_cents__gt=0).values_list("pk", "refunded_cents")
    )
    asked = dict(
        Refund.objects.filter(status__in=POSTED_REFUNDS)
        .values("payment_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("payment_id", "total")
    )
    for payment_id in sorted(set(reserved) | set(asked)):
        if reserved.get(payment_id, 0) != asked.get(payment_id, 0):
            number = Payment.objects.values_list("confirmation_number", flat=True).get(
                pk=payment_id
            )
            return (
                f"payment {number} counts {reserved.get(payment_id, 0)} refunded but its "
                f"refunds add up to {asked.get(payment_id, 0)}"
            )
    return None


def clearing_matches_unsettled_payments() -> str | None:
    """Per gateway, the clearing book holds exactly the accepted payments not yet
    settled, less what was refunded from them."""
    books = dict(
        JournalEntry.objects.filter(book=Book.CLEARING)
        .values("sub")
        .annotate(total=Sum("amount_cents"))
        .values_list("sub", "total")
    )
    unsettled = Payment.objects.filter(status__in=STANDING, settled_at__isnull=True)
    paid = dict(
        unsettled.values("gateway")
        .annotate(total=Sum("amount_cents"))
        .values_list("gateway", "total")
    )
    given_back = dict(
        Refund.objects.filter(
            payment__in=unsettled, status__in=POSTED_REFUNDS, gateway_reference__gt=""
        )
        .values("payment__gateway")
        .annotate(total=Sum("amount_cents"))
        .values_list("payment__gateway", "total")
    )
    expected_by_gateway = {
        gateway: int(paid.get(gateway) or 0) - int(given_back.get(gateway) or 0)
        for gateway in set(paid) | set(given_back)
    }
    for gateway in sorted(set(books) | set(expected_by_gateway)):
        held = int(books.get(gateway) or 0)
        expected = expected_by_gateway.get(gateway, 0)
        if held != expected:
            return (
                f"clearing for {gateway} holds {held} but unsettled payments less refunds "
                f"come to {expected}"
            )
    return None


PAYMENT_CHECKS = [
    ("every payment is posted once", every_payment_is_posted_once),
    ("refunds are posted", refunds_are_posted),
    ("clearing matches unsettled payments", clearing_matches_unsettled_payments),
]
