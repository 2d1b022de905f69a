"""Fifty requests at once to pay the whole balance, each with its own key: one charge,
forty-nine clear refusals. And fifty repeats of one key: one payment."""

import importlib
import json
import threading

import pytest
from django.db import connection, connections

from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.payments.errors import PaymentError
from dropline.payments.events import receive_webhook
from dropline.payments.gateways import simulator
from dropline.payments.models import GatewayEvent, Payment, SimulatedCharge
from dropline.payments.refunds import refund
from tests.support.billing import at
from tests.support.factories import make_user
from tests.support.payments import PAY_DAY, broken_invariants, make_payer, pay_on
from tests.support.services import need

THREADS = 50


def run_at_once(call) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    results: list[object] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            results.append(call(n))
        except BaseException as exc:  # counted below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # Eager Celery tasks keep a process-wide flag that threads can leave set.
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_requests_to_pay_the_balance_make_one_charge():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    payer = make_payer()
    owed = payer.balance
    results, errors = run_at_once(lambda n: pay_on(PAY_DAY, payer, owed, f"key-{n}"))
    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, PaymentError) for e in errors), errors
    assert {e.code for e in errors} <= {"over_balance", "nothing_to_pay"}  # type: ignore[attr-defined]
    assert Payment.objects.count() == 1
    assert SimulatedCharge.objects.count() == 1
    assert JournalTransaction.objects.filter(kind=TransactionKind.PAYMENT).count() == 1
    assert payer.balance == 0
    assert broken_invariants() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_repeats_of_one_key_make_one_payment():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    payer = make_payer()
    results, errors = run_at_once(lambda n: pay_on(PAY_DAY, payer, 1000, "one-key"))
    assert all(getattr(e, "code", "") == "in_progress" for e in errors), errors
    assert {p.pk for p in results} == {Payment.objects.get().pk}  # type: ignore[attr-defined]
    assert SimulatedCharge.objects.count() == 1
    assert payer.balance == payer.invoice.total_cents - 1000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_refunds_at_once_never_give_back_more_than_was_paid():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, 1000, "p")
    clerk = make_user(username="clerk", is_staff=True, second_factor=False)

    def give_back(n: int) -> object:
        return refund(
            payment=payment, amount_cents=300, reason="race", actor=clerk, idempotency_key=f"r{n}"
        )

    results, errors = run_at_once(give_back)
    assert len(results) == 3  # three refunds of 300 fit in 1000
    assert {getattr(e, "code", "") for e in errors} == {"over_refundable"}
    payment.refresh_from_db()
    assert payment.refunded_cents == 900
    assert broken_invariants() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_event_delivered_fifty_times_at_once_is_applied_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    payer = make_payer(card="4000000000000259")
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "p")
    body = json.dumps(
        {
            "id": "evt_race",
            "type": "payment.chargeback",
            "created": at(PAY_DAY).isoformat(),
            "data": {"charge": payment.gateway_reference},
        }
    ).encode()
    headers = simulator.sign(body)
    results, errors = run_at_once(
        lambda n: receive_webhook(gateway="simulator", body=body, headers=headers)
    )
    assert errors == []
    assert {e.pk for e in results} == {GatewayEvent.objects.get().pk}  # type: ignore[attr-defined]
    assert payer.balance == owed  # taken back once
    assert broken_invariants() == []
