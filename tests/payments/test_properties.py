"""Any sequence of payments and refunds keeps the balance at charges - payments +
refunds, never pays more than is owed, and keeps every ledger invariant."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.payments.errors import PaymentError
from dropline.payments.models import PaymentStatus
from dropline.payments.refunds import refund
from tests.support.examples import examples
from tests.support.factories import make_user
from tests.support.payments import PAY_DAY, broken_invariants, make_payer, pay_on

_keys = itertools.count(1)

steps = st.lists(
    st.tuples(st.sampled_from(["pay", "refund"]), st.integers(min_value=-500, max_value=40000)),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(max_examples=examples(15))
@given(steps=steps)
def test_payments_and_refunds_keep_the_books(steps):
    payer = make_payer(username=f"prop{next(_keys)}")
    clerk = make_user(username=f"clerk{next(_keys)}", is_staff=True, second_factor=False)
    charges = payer.balance
    paid = refunded = 0
    accepted = []
    for action, amount in steps:
        key = f"k{next(_keys)}"
        if action == "pay":
            try:
                payment = pay_on(PAY_DAY, payer, amount, key)
            except PaymentError:
                assert amount <= 0 or amount > charges - paid + refunded
                continue
            assert payment.status == PaymentStatus.SUCCEEDED
            paid += amount
            accepted.append(payment)
        elif accepted:
            payment = accepted[-1]
            payment.refresh_from_db()
            try:
                refund(
                    payment=payment,
                    amount_cents=amount,
                    reason="test",
                    actor=clerk,
                    idempotency_key=key,
                )
            except PaymentError:
                assert amount <= 0 or amount > payment.amount_cents - payment.refunded_cents
                continue
            refunded += amount
        assert payer.balance == charges - paid + refunded
        assert payer.balance >= 0  # never over-paid (no prepayment allowance)
    assert broken_invariants() == []
