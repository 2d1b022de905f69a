"""``dropline ledger check`` covers payments: it passes after every kind of movement and
names what is broken when a payment's row and the books disagree."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from dropline.core import clock
from dropline.payments import refunds
from dropline.payments.errors import GatewayUnavailableError
from dropline.payments.gateways.simulator import SimulatorGateway
from dropline.payments.models import Payment, PaymentStatus, RefundStatus
from tests.support.billing import at
from tests.support.factories import make_user
from tests.support.payments import PAY_DAY, broken_invariants, make_payer, pay_on, release

pytestmark = pytest.mark.django_db


def test_the_command_runs_payments_checks_and_they_hold():
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 1500, "p")
    release(PAY_DAY + dt.timedelta(days=2))
    payment.refresh_from_db()
    clerk = make_user(username="clerk", is_staff=True, second_factor=False)
    refunds.refund(payment=payment, amount_cents=500, reason="x", actor=clerk, idempotency_key="r")
    out = StringIO()
    call_command("ledger", "check", stdout=out)
    text = out.getvalue()
    assert "every payment is posted once" in text
    assert "clearing matches unsettled payments" in text
    assert broken_invariants() == []


def test_a_payment_row_that_disagrees_with_the_books_is_named():
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 1500, "p")
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
    found = broken_invariants()
    assert any(payment.confirmation_number in finding for finding in found), found


def test_a_refund_whose_answer_never_came_is_asked_again():
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 1500, "p")
    clerk = make_user(username="clerk", is_staff=True, second_factor=False)
    with (
        clock.frozen(at(PAY_DAY)),
        mock.patch.object(SimulatorGateway, "refund", side_effect=GatewayUnavailableError),
    ):
        waiting = refunds.refund(
            payment=payment, amount_cents=500, reason="x", actor=clerk, idempotency_key="r"
        )
    assert (waiting.status, waiting.gateway_reference) == (RefundStatus.PENDING, "")
    assert payer.balance == payer.invoice.total_cents - 1500  # not posted yet
    assert broken_invariants() == []
    with clock.frozen(at(PAY_DAY) + dt.timedelta(minutes=5)):
        assert refunds.resolve_unknown_refunds() == 1
    waiting.refresh_from_db()
    assert waiting.status == RefundStatus.SUCCEEDED
    assert payer.balance == payer.invoice.total_cents - 1000
    assert broken_invariants() == []
