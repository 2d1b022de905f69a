"""Fifty requests at once to pay the whole balance, each with its own key: one charge,
forty-nine clear refusals. And fifty repeats of one key: one payment."""

import importlib
import threading

import pytest
from django.db import connection, connections

from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.payments.errors import PaymentError
from dropline.payments.models import Payment, SimulatedCharge
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
