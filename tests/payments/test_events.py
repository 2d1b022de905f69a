"""Late outcomes by webhook: bank debits that clear, fail or come back, settlements and
chargebacks; replays change nothing, and an older event never undoes a newer one."""

import datetime as dt
import json

import pytest

from dropline.billing.models import InvoiceStatus
from dropline.core import clock
from dropline.ledger.models import Book, JournalEntry, TransactionKind
from dropline.payments.errors import InvalidWebhookError
from dropline.payments.events import receive_webhook
from dropline.payments.gateways import simulator
from dropline.payments.models import GatewayEvent, PaymentStatus
from tests.support.billing import at
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

DAY = dt.timedelta(days=1)


def book(name: str) -> int:
    return sum(JournalEntry.objects.filter(book=name).values_list("amount_cents", flat=True))


def bank_payer(account_number: str):
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        payer.method = save_bank_account(payer.customer, account_number, default=True)
    return payer


def send(event_id: str, kind: str, charge: str, occurred: dt.datetime, **data: object):
    body = json.dumps(
        {
            "id": event_id,
            "type": kind,
            "created": occurred.isoformat(),
            "data": {"charge": charge, **data},
        }
    ).encode()
    return receive_webhook(gateway="simulator", body=body, headers=simulator.sign(body))


def test_a_bank_debit_processes_then_succeeds_and_settles():
    payer = bank_payer("000123456789")
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "bank")
    assert payment.status == PaymentStatus.PROCESSING
    assert payer.balance == 0  # counted as paid while processing
    assert book(Book.CLEARING) == owed
    assert release(PAY_DAY + 2 * DAY) == 0
    assert release(PAY_DAY + 3 * DAY) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert release(PAY_DAY + 4 * DAY) == 1
    payment.refresh_from_db()
    assert payment.settled_at is not None
    assert (book(Book.CLEARING), book(Book.CASH)) == (0, owed)
    assert broken_invariants() == []


def test_a_bank_debit_that_fails_reopens_the_bill():
    payer = bank_payer("000111111116")
    owed = payer.balance
    pay_on(PAY_DAY, payer, owed, "bank")
    payer.invoice.refresh_from_db()
    assert payer.invoice.status == InvoiceStatus.PAID
    release(PAY_DAY + 3 * DAY)
    payment = payer.account.payments.get()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_code == "insufficient_funds"
    assert payer.balance == owed
    payer.invoice.refresh_from_db()
    assert payer.invoice.status == InvoiceStatus.OPEN
    assert len(messages(payer.account, "payment_failed")) == 1
    assert broken_invariants() == []


def test_a_returned_bank_debit_comes_back_out_of_cash():
    payer = bank_payer("000222222227")
    owed = payer.balance
    pay_on(PAY_DAY, payer, owed, "bank")
    release(PAY_DAY + 5 * DAY)
    payment = payer.account.payments.get()
    assert payment.status == PaymentStatus.RETURNED
    assert payer.balance == owed
    assert (book(Book.CLEARING), book(Book.CASH)) == (0, 0)
    [returned] = messages(payer.account, "payment_failed")
    assert "returned" in returned
    assert broken_invariants() == []


def test_a_card_settles_after_two_days_and_a_late_card_after_five():
    payer = make_payer()
    late = make_payer(card="4000000000000077")
    pay_on(PAY_DAY, payer, 1000, "a")
    pay_on(PAY_DAY, late, 1000, "b")
    release(PAY_DAY + 2 * DAY)
    assert payer.account.payments.get().settled_at is not None
    assert late.account.payments.get().settled_at is None
    release(PAY_DAY + 5 * DAY)
    assert late.account.payments.get().settled_at is not None
    assert broken_invariants() == []


def test_a_chargeback_takes_the_money_back():
    payer = make_payer(card="4000000000000259")
    owed = payer.balance
    pay_on(PAY_DAY, payer, owed, "cb")
    release(PAY_DAY + 7 * DAY)
    payment = payer.account.payments.get()
    assert payment.status == PaymentStatus.RETURNED
    assert payer.balance == owed
    assert JournalEntry.objects.filter(transaction__kind=TransactionKind.RETURN).exists()
    assert broken_invariants() == []


def test_a_replayed_event_changes_nothing():
    payer = bank_payer("000111111116")
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "bank")
    occurred = at(PAY_DAY) + DAY
    with clock.frozen(occurred):
        first = send("evt_1", "payment.failed", payment.gateway_reference, occurred)
        again = send("evt_1", "payment.failed", payment.gateway_reference, occurred)
    assert again.pk == first.pk
    assert GatewayEvent.objects.count() == 1
    assert payer.balance == owed  # reversed once, not twice
    assert len(messages(payer.account, "payment_failed")) == 1
    assert broken_invariants() == []


def test_an_older_failure_never_undoes_a_newer_success():
    payer = bank_payer("000123456789")
    payment = pay_on(PAY_DAY, payer, payer.balance, "bank")
    newer = at(PAY_DAY) + 3 * DAY
    older = at(PAY_DAY) + DAY
    with clock.frozen(newer):
        send("evt_ok", "payment.succeeded", payment.gateway_reference, newer)
        late = send("evt_old", "payment.failed", payment.gateway_reference, older)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert late.outcome == "older than the payment's state"
    assert payer.balance == 0
    assert messages(payer.account, "payment_failed") == []
    assert broken_invariants() == []


def test_a_final_state_is_never_moved_back():
    payer = bank_payer("000111111116")
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "bank")
    first = at(PAY_DAY) + DAY
    then = first + DAY
    with clock.frozen(then):
        send("evt_fail", "payment.failed", payment.gateway_reference, first)
        later = send("evt_ok", "payment.succeeded", payment.gateway_reference, then)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert "already failed" in later.outcome
    assert payer.balance == owed


def test_a_bad_signature_records_nothing():
    body = b'{"id": "evt_x", "type": "payment.failed", "created": "2026-01-10T12:00:00+00:00"}'
    with pytest.raises(InvalidWebhookError):
        receive_webhook(
            gateway="simulator", body=body, headers={"Simulator-Signature": "t=1,v1=00"}
        )
    headers = simulator.sign(body)
    with pytest.raises(InvalidWebhookError):
        receive_webhook(gateway="simulator", body=body + b" ", headers=headers)
    with pytest.raises(InvalidWebhookError):
        receive_webhook(gateway="nowhere", body=body, headers=headers)
    assert GatewayEvent.objects.count() == 0


def test_a_signature_older_than_five_minutes_is_refused():
    body = b'{"id": "evt_x", "type": "other", "created": "2026-01-10T12:00:00+00:00"}'
    headers = simulator.sign(body, at=at(PAY_DAY))
    with clock.frozen(at(PAY_DAY) + dt.timedelta(minutes=6)), pytest.raises(InvalidWebhookError):
        receive_webhook(gateway="simulator", body=body, headers=headers)
    with clock.frozen(at(PAY_DAY) + dt.timedelta(minutes=4)):
        event = receive_webhook(gateway="simulator", body=body, headers=headers)
    assert event.outcome == "not acted on"


def test_a_refund_that_fails_later_is_reversed_and_released():
    from dropline.payments.models import RefundStatus
    from dropline.payments.refunds import refund
    from tests.support.factories import make_user

    payer = bank_payer("000123456789")
    payment = pay_on(PAY_DAY, payer, 2000, "bank")
    release(PAY_DAY + 4 * DAY)
    payment.refresh_from_db()
    clerk = make_user(username="clerk", is_staff=True, second_factor=False)
    with clock.frozen(at(PAY_DAY + 4 * DAY)):
        pending = refund(
            payment=payment, amount_cents=500, reason="x", actor=clerk, idempotency_key="r"
        )
    assert payer.balance == payer.invoice.total_cents - 1500
    occurred = at(PAY_DAY + 5 * DAY)
    body = json.dumps(
        {
            "id": "evt_refund_failed",
            "type": "refund.failed",
            "created": occurred.isoformat(),
            "data": {"refund": pending.gateway_reference, "failure_code": "account_closed"},
        }
    ).encode()
    with clock.frozen(occurred):
        event = receive_webhook(gateway="simulator", body=body, headers=simulator.sign(body))
    assert event.outcome == "applied"
    pending.refresh_from_db()
    payment.refresh_from_db()
    assert (pending.status, payment.refunded_cents) == (RefundStatus.FAILED, 0)
    assert payer.balance == payer.invoice.total_cents - 2000
    assert broken_invariants() == []
