"""Cancelling a payment scheduled for a later day twice (a second tab, a double click):
the second time says it is already canceled, and nothing else changes."""

import datetime as dt

import pytest

from dropline.core import clock
from dropline.payments.models import ScheduledPayment
from dropline.payments.paying import schedule_payment
from tests.support.billing import at
from tests.support.payments import PAY_DAY, make_payer
from tests.support.payportal import sign_in, words

pytestmark = pytest.mark.django_db


def test_cancelling_twice_says_it_was_already_canceled(client):
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        scheduled = schedule_payment(
            account=payer.account,
            amount_cents=500,
            pay_on=PAY_DAY + dt.timedelta(days=3),
            idempotency_key="twice",
            actor=payer.customer.user,
        )
        sign_in(client, payer, fresh=False)
        url = f"/billing/payments/scheduled/{scheduled.pk}/cancel/"
        first = words(client.post(url, follow=True))
        cancelled_at = ScheduledPayment.objects.get().cancelled_at
        second = client.post(url, follow=True)
    assert "is canceled" in first
    assert second.status_code == 200
    assert "This payment was already made or canceled." in words(second)
    kept = ScheduledPayment.objects.get()
    assert (kept.status, kept.cancelled_at) == ("cancelled", cancelled_at)
