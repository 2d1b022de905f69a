"""Two daily runs at once (two cron jobs, a worker and an operator): each bill charged
once by autopay and fined once by dunning."""

import datetime as dt
import importlib
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from dropline.billing.models import Adjustment
from dropline.core import clock
from dropline.payments import autopay
from dropline.payments.autopay_run import run_autopay
from dropline.payments.dunning import run_dunning
from dropline.payments.models import AutopayCharge, Payment, PaymentStatus
from tests.support.autopay import FIRST_DUE
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import make_payer
from tests.support.services import need

D = dt.date


def twice_at_once(day: dt.date, job: Callable[[], object]) -> list[BaseException]:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    with clock.frozen(at(day)):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_autopay_runs_at_once_charge_each_bill_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    catalog = make_catalog()
    payers = [make_payer(catalog=catalog) for _ in range(4)]
    for payer in payers:
        with clock.frozen(at(D(2026, 1, 12))):
            autopay.enrol(account=payer.account, method=payer.method, actor=payer.customer.user)
    assert twice_at_once(FIRST_DUE, lambda: run_autopay(today=FIRST_DUE)) == []
    for payer in payers:
        payments = Payment.objects.filter(account=payer.account)
        assert [p.status for p in payments] == [PaymentStatus.SUCCEEDED]
        assert AutopayCharge.objects.filter(account=payer.account).count() == 1
        assert payer.balance == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dunning_runs_at_once_charge_one_late_fee():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    payer = make_payer()
    day = D(2026, 2, 5)
    assert twice_at_once(day, lambda: run_dunning(today=day)) == []
    assert Adjustment.objects.filter(account=payer.account).count() == 1
