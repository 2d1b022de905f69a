"""Payments on a later day: from tomorrow to the due date, made on the day, skipped
when nothing is owed any more, cancelled while waiting."""

import datetime as dt

import pytest

from dropline.core import clock
from dropline.payments import paying, queries
from dropline.payments.errors import PaymentError
from dropline.payments.models import PaymentStatus, ScheduledPaymentStatus
from tests.support.billing import at
from tests.support.payments import PAY_DAY, make_payer, pay_on

pytestmark = pytest.mark.django_db


def schedule(payer, amount, day, key="s"):
    with clock.frozen(at(PAY_DAY)):
        return paying.schedule_payment(
            account=payer.account,
            amount_cents=amount,
            pay_on=day,
            idempotency_key=key,
            actor=payer.customer.user,
        )


def test_a_scheduled_payment_is_made_on_its_day():
    payer = make_payer()
    owed = payer.balance
    due_on = payer.invoice.due_on
    scheduled = schedule(payer, owed, due_on)
    assert queries.scheduled_for(account=payer.account) == [scheduled]
    with clock.frozen(at(due_on - dt.timedelta(days=1))):
        assert paying.send_due_scheduled() == 0
    with clock.frozen(at(due_on)):
        assert paying.send_due_scheduled() == 1
        assert paying.send_due_scheduled() == 0
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPaymentStatus.SENT
    assert scheduled.payment.status == PaymentStatus.SUCCEEDED
    assert payer.balance == 0


def test_a_scheduled_payment_is_skipped_when_the_bill_was_paid_meanwhile():
    payer = make_payer()
    scheduled = schedule(payer, payer.balance, payer.invoice.due_on)
    pay_on(PAY_DAY, payer, payer.balance, "now")
    with clock.frozen(at(payer.invoice.due_on)):
        assert paying.send_due_scheduled() == 0
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPaymentStatus.SKIPPED
    assert payer.account.payments.count() == 1


def test_the_day_must_be_after_today_and_by_the_due_date():
    payer = make_payer()
    with pytest.raises(PaymentError) as caught:
        schedule(payer, 100, PAY_DAY)
    assert caught.value.code == "date_too_early"
    with pytest.raises(PaymentError) as caught:
        schedule(payer, 100, payer.invoice.due_on + dt.timedelta(days=1))
    assert caught.value.code == "date_too_late"
    with pytest.raises(PaymentError) as caught:
        schedule(payer, payer.balance + 1, payer.invoice.due_on)
    assert caught.value.code == "over_balance"


def test_a_cancelled_scheduled_payment_is_never_made():
    payer = make_payer()
    scheduled = schedule(payer, 500, payer.invoice.due_on)
    paying.cancel_scheduled_payment(scheduled=scheduled, actor=payer.customer.user)
    assert scheduled.status == ScheduledPaymentStatus.CANCELLED
    with clock.frozen(at(payer.invoice.due_on)):
        assert paying.send_due_scheduled() == 0
    with pytest.raises(PaymentError):
        paying.cancel_scheduled_payment(scheduled=scheduled, actor=None)
    assert payer.account.payments.count() == 0
