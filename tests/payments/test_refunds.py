"""Refunds: full or partial, never more than was paid, only of a payment that went
through, once per request key, posted and told to the customer."""

import datetime as dt

import pytest

from dropline.core import clock
from dropline.ledger.models import Book, JournalEntry
from dropline.payments.errors import PaymentError
from dropline.payments.models import PaymentStatus, Refund, RefundStatus
from dropline.payments.refunds import refund
from tests.support.billing import at
from tests.support.factories import make_user
from tests.support.payments import (
    PAY_DAY,
    broken_invariants,
    make_payer,
    messages,
    pay_on,
    release,
    save_bank_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(username="billing-clerk", is_staff=True)


def give_back(payment, amount, key, staff, reason="Billed twice"):
    with clock.frozen(at(PAY_DAY + dt.timedelta(days=1))):
        return refund(
            payment=payment, amount_cents=amount, reason=reason, actor=staff, idempotency_key=key
        )


def test_a_partial_then_the_rest_refunds_in_full(staff):
    payer = make_payer()
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "p")
    first = give_back(payment, 1000, "r1", staff)
    assert first.status == RefundStatus.SUCCEEDED
    assert payer.balance == 1000
    payment.refresh_from_db()
    assert (payment.refunded_cents, payment.status) == (1000, PaymentStatus.SUCCEEDED)
    give_back(payment, owed - 1000, "r2", staff)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payer.balance == owed
    assert len(messages(payer.account, "refund_issued")) == 2
    assert broken_invariants() == []


def test_no_more_than_is_left_may_be_refunded(staff):
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 2000, "p")
    give_back(payment, 1500, "r1", staff)
    with pytest.raises(PaymentError) as caught:
        give_back(payment, 501, "r2", staff)
    assert caught.value.code == "over_refundable"
    assert "$5.00" in caught.value.reason
    with pytest.raises(PaymentError) as caught:
        give_back(payment, 0, "r3", staff)
    assert caught.value.code == "amount_not_positive"
    with pytest.raises(PaymentError) as caught:
        give_back(payment, 100, "r4", staff, reason=" ")
    assert caught.value.field == "reason"
    assert Refund.objects.count() == 1


def test_a_repeat_of_the_key_refunds_once(staff):
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 2000, "p")
    first = give_back(payment, 500, "same", staff)
    again = give_back(payment, 500, "same", staff)
    assert again.pk == first.pk
    with pytest.raises(PaymentError) as caught:
        give_back(payment, 600, "same", staff)
    assert caught.value.code == "key_reused"
    payment.refresh_from_db()
    assert payment.refunded_cents == 500


def test_only_a_payment_that_went_through_is_refunded(staff):
    payer = make_payer(card="4000000000000002")
    payment = pay_on(PAY_DAY, payer, 1000, "p")
    with pytest.raises(PaymentError) as caught:
        give_back(payment, 100, "r", staff)
    assert caught.value.code == "not_refundable"


def test_a_refund_after_settlement_comes_out_of_cash(staff):
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 2000, "p")
    release(PAY_DAY + dt.timedelta(days=2))
    payment.refresh_from_db()
    give_back(payment, 700, "r", staff)
    cash = sum(JournalEntry.objects.filter(book=Book.CASH).values_list("amount_cents", flat=True))
    assert cash == 1300
    assert broken_invariants() == []


def test_a_bank_refund_is_pending_until_its_event(staff):
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        save_bank_account(payer.customer, "000123456789", default=True)
    payment = pay_on(PAY_DAY, payer, 2000, "p")
    release(PAY_DAY + dt.timedelta(days=4))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    with clock.frozen(at(PAY_DAY + dt.timedelta(days=4))):
        pending = refund(
            payment=payment, amount_cents=300, reason="Goodwill", actor=staff, idempotency_key="r"
        )
    assert pending.status == RefundStatus.PENDING
    release(PAY_DAY + dt.timedelta(days=7))
    pending.refresh_from_db()
    assert pending.status == RefundStatus.SUCCEEDED
    assert broken_invariants() == []
