"""Two processes billing the same day at once (two cron jobs, a worker and an
operator): each account billed once, numbers without a gap, the ledger balanced."""

import datetime as dt
import importlib
import threading

import pytest
from django.db import connection, connections

from dropline.billing.bill_runs import run_bill_run
from dropline.billing.models import BillRun, BillRunStatus, Invoice
from dropline.core import clock
from tests.support.bill_runs import (
    bill_notices_per_invoice,
    billable_accounts,
    broken_invariants,
    invoices_per_account_and_cycle,
)
from tests.support.billing import at, iowa_tax_table
from tests.support.catalog import make_catalog
from tests.support.services import need

D = dt.date


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunk_size", [1, 4])
def test_two_runs_of_the_same_day_at_once_bill_each_account_once(chunk_size: int):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    iowa_tax_table()
    accounts = billable_accounts(make_catalog(), count=24, opened_on=D(2026, 1, 5))
    barrier = threading.Barrier(2)
    finished: list[BillRun] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            finished.append(
                run_bill_run(run_on=D(2026, 2, 5), in_process=True, chunk_size=chunk_size)
            )
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    with clock.frozen(at(D(2026, 2, 5))):  # one clock for both threads
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    # Eager tasks (the notices' delivery) mark "inside a task" in one process-wide flag
    # and put back what they found; two threads interleaving can leave it set, and a
    # later test's `.get()` would be refused. Celery's eager mode is not thread-safe.
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    assert errors == []
    assert [r.pk for r in finished] == [BillRun.objects.get().pk] * 2
    assert {(r.status, r.billed) for r in finished} == {(BillRunStatus.COMPLETED, 24)}
    done = BillRun.objects.get()
    assert (done.chunks_done, done.billed, done.skipped, done.failed) == (
        done.chunks_total,
        24,
        0,
        0,
    )
    assert invoices_per_account_and_cycle() == {(a.pk, D(2026, 2, 5)): 1 for a in accounts}
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, 25))
    assert bill_notices_per_invoice() == {
        f"invoice:{pk}": 2 for pk in Invoice.objects.values_list("pk", flat=True)
    }
    assert broken_invariants() == []
