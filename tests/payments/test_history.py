"""Payments already made, recorded in bulk (``payments.history``): the rows, the postings
``pay`` would have made, invoices paid as the balance is covered, the books in balance,
in a fixed number of statements whatever the number of payments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.ledger.models import Book, JournalEntry, TransactionKind
from dropline.payments.history import PastPayment, record_settled_payments
from dropline.payments.models import Payment, PaymentStatus
from tests.support.billing import at
from tests.support.payments import PAY_DAY, Payer, broken_invariants, make_payer

pytestmark = pytest.mark.django_db


def _past(payer: Payer, amount: int, *, settled: bool = True) -> PastPayment:
    made = at(PAY_DAY)
    return PastPayment(
        account_id=payer.account.pk,
        method_id=payer.method.pk,
        gateway=payer.method.gateway,
        amount_cents=amount,
        made_at=made,
        settled_at=made + dt.timedelta(days=2) if settled else None,
    )


def test_payments_in_full_pay_the_bills_and_the_books_hold():
    payers = [make_payer() for _ in range(3)]
    settled, unsettled, partial = payers
    owed = [p.balance for p in payers]

    written = record_settled_payments(
        [
            _past(settled, owed[0]),
            _past(unsettled, owed[1], settled=False),
            _past(partial, owed[2] - 100),
        ]
    )

    assert written == 3
    assert [p.balance for p in payers] == [0, 0, 100]
    for payer, status in zip(payers, ["paid", "paid", "open"], strict=True):
        payer.invoice.refresh_from_db()
        assert payer.invoice.status == status
    payments = Payment.objects.order_by("id")
    assert [p.status for p in payments] == [PaymentStatus.SUCCEEDED] * 3
    assert [p.settled_at is not None for p in payments] == [True, False, True]
    assert len({p.confirmation_number for p in payments}) == 3
    # Only the unsettled payment is still in clearing.
    clearing = sum(
        JournalEntry.objects.filter(book=Book.CLEARING).values_list("amount_cents", flat=True)
    )
    assert clearing == owed[1]
    assert broken_invariants() == []


def test_the_statements_do_not_grow_with_the_payments():
    record_settled_payments([_past(payer := make_payer(), payer.balance)])  # the sequence made
    few = [make_payer()]
    many = [make_payer() for _ in range(3)]

    def statements(payers: list[Payer]) -> list[str]:
        payments = [_past(p, p.balance) for p in payers]
        with CaptureQueriesContext(connection) as queries:
            record_settled_payments(payments)
        return [q["sql"] for q in queries.captured_queries]

    one, three = statements(few), statements(many)
    assert len(one) == len(three), "\n".join(three)
    assert Payment.objects.count() == 5
    assert not Invoice.objects.filter(status=InvoiceStatus.OPEN).exists()
    assert broken_invariants() == []


def test_a_payment_of_nothing_is_refused_and_nothing_is_written():
    payer = make_payer()
    with pytest.raises(ValueError, match="positive"):
        record_settled_payments([_past(payer, payer.balance), _past(payer, 0)])
    assert not Payment.objects.exists()
    assert not JournalEntry.objects.filter(transaction__kind=TransactionKind.PAYMENT).exists()
