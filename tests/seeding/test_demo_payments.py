"""The demo household's payments: every past bill paid, online through the real
``paying.pay`` a couple of days after it came (one from the bank account) and then by
autopay on the due dates, the late outcomes delivered, the latest bill left to pay with
the saved Visa as the default."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.ledger.checks import run_checks
from dropline.payments import autopay
from dropline.payments.models import Payment, PaymentMethod, PaymentSource, PaymentStatus
from dropline.payments.queries import amounts_for, default_method
from dropline.seeding.demo.household import HISTORY_MONTHS, loaded_account
from dropline.seeding.demo.payments import AUTOPAY_FROM_BILL

pytestmark = pytest.mark.django_db


def test_each_past_bill_is_paid_and_the_latest_is_left_to_pay(demo):
    account = loaded_account()
    assert account is not None
    invoices = list(Invoice.objects.filter(account=account).order_by("period_start"))
    payments = list(Payment.objects.filter(account=account).order_by("created_at"))
    assert len(payments) == HISTORY_MONTHS
    for invoice, payment in zip(invoices, payments, strict=False):
        assert invoice.status == InvoiceStatus.PAID
        assert payment.amount_cents == invoice.amount_due_cents
        assert payment.status == PaymentStatus.SUCCEEDED
        assert payment.settled_at is not None  # the simulator's late events arrived
        assert payment.created_at.date() > invoice.issued_on
    assert [p.method.kind for p in payments].count("bank_account") == 1
    sources = [p.source for p in payments]
    assert sources[:AUTOPAY_FROM_BILL] == [PaymentSource.PORTAL] * AUTOPAY_FROM_BILL
    assert set(sources[AUTOPAY_FROM_BILL:]) == {PaymentSource.AUTOPAY}
    for invoice, payment in zip(
        invoices[AUTOPAY_FROM_BILL:], payments[AUTOPAY_FROM_BILL:], strict=False
    ):
        assert payment.created_at.date() == invoice.due_on
    assert autopay.state_for(account=account).enrolled
    latest = invoices[-1]
    assert latest.status == InvoiceStatus.OPEN
    owed = amounts_for(account=account)
    assert owed.amount_due_cents == latest.amount_due_cents > 0
    card = default_method(account=account)
    assert card is not None
    assert (card.brand, card.last4) == ("visa", "4242")
    assert [problem for _name, problem in run_checks() if problem] == []


def test_loading_again_pays_nothing_twice(demo):
    before = (Payment.objects.count(), PaymentMethod.objects.count())
    out = io.StringIO()
    call_command("seed", "demo", stdout=out)
    assert "0 records created" in out.getvalue()
    assert (Payment.objects.count(), PaymentMethod.objects.count()) == before
