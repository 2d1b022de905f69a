"""A bill run killed with SIGKILL in the middle, in a real subprocess, and run again:
exactly one invoice per account and cycle, numbers without a gap, a ledger that passes
every check, and every bill told once."""

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from dropline.billing.models import BillRun, BillRunStatus, Invoice
from dropline.core.models import NumberSequence
from tests.support.bill_runs import (
    bill_notices_per_invoice,
    billable_accounts,
    broken_invariants,
    invoices_per_account_and_cycle,
)
from tests.support.billing import iowa_tax_table
from tests.support.catalog import make_catalog
from tests.support.crash import (
    dropline,
    environment,
    kill,
    sqlite_with_accounts,
    start,
    wait_for,
)
from tests.support.services import need

D = dt.date
ACCOUNTS = 60
CHUNK = 5
CHUNKS = ACCOUNTS // CHUNK
RUN = ("bill-run", "--date", "2026-02-05", "--in-process", "--chunk-size", str(CHUNK))


def postgres_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state <> 'idle'"
        )
        return int(cursor.fetchone()[0])


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_killed_inside_a_chunk_on_postgresql_finishes_exactly_once_when_run_again():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    iowa_tax_table()
    accounts = billable_accounts(make_catalog(), count=ACCOUNTS, opened_on=D(2026, 1, 5))
    env = environment(postgres_url())
    process = start(*RUN, env=env)
    wait_for(lambda: BillRun.objects.filter(chunks_done__gte=2).exists(), what="two chunks")
    with transaction.atomic():
        # Hold the invoice numbers: the run's next chunk stops inside its transaction,
        # with the histories read and nothing written yet; it is killed there.
        NumberSequence.objects.select_for_update().get(name="invoice")
        wait_for(waiting_for_a_lock, what="the run to wait inside a chunk")
        kill(process)
    wait_for(lambda: other_backends() == 0, what="the killed run's session to end")
    run = BillRun.objects.get()
    assert run.status == BillRunStatus.RUNNING
    assert 2 <= run.chunks_done < CHUNKS
    # Whole chunks only: nothing of the chunk that was cut short.
    assert Invoice.objects.count() == run.chunks_done * CHUNK == run.billed

    again = dropline(*RUN, env=env)
    assert "Bill run 2026-02-05: Completed" in again.stdout
    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.billed, run.failed) == (
        BillRunStatus.COMPLETED,
        CHUNKS,
        ACCOUNTS,
        0,
    )
    assert invoices_per_account_and_cycle() == {(a.pk, D(2026, 2, 5)): 1 for a in accounts}
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(
        range(1, ACCOUNTS + 1)
    )
    notices = bill_notices_per_invoice()
    assert notices == {f"invoice:{pk}": 2 for pk in Invoice.objects.values_list("pk", flat=True)}
    assert broken_invariants() == []
    assert dropline("ledger", "check", env=env, check=False).returncode == 0
    # And once more: a finished run bills nothing.
    dropline(*RUN, env=env)
    assert Invoice.objects.count() == ACCOUNTS
    assert bill_notices_per_invoice() == notices


def test_a_run_killed_mid_way_on_sqlite_finishes_exactly_once_when_run_again(tmp_path: Path):
    path = tmp_path / "crash.sqlite3"
    env = sqlite_with_accounts(path, accounts=ACCOUNTS, opened="2026-01-05")
    db = sqlite3.connect(path, timeout=30, isolation_level=None)

    def one(sql: str) -> tuple[Any, ...]:
        row: tuple[Any, ...] = db.execute(sql).fetchone()
        return row

    process = start(*RUN, env=env)
    wait_for(
        lambda: (one("SELECT max(chunks_done) FROM billing_billrun")[0] or 0) >= 2,
        what="two chunks",
    )
    db.execute("BEGIN IMMEDIATE")  # the run's next chunk waits for the write lock
    wait_for(lambda: process.poll() is None, what="the run to be alive")
    kill(process)
    db.execute("ROLLBACK")
    status, done, billed = one("SELECT status, chunks_done, billed FROM billing_billrun")
    assert status == "running"
    assert 2 <= done < CHUNKS
    assert one("SELECT count(*) FROM billing_invoice")[0] == done * CHUNK == billed

    again = dropline(*RUN, env=env)
    assert "Bill run 2026-02-05: Completed" in again.stdout
    assert one("SELECT status, chunks_done, billed, failed FROM billing_billrun") == (
        "completed",
        CHUNKS,
        ACCOUNTS,
        0,
    )
    assert one(
        "SELECT count(*), count(DISTINCT account_id || ':' || period_start) FROM billing_invoice"
    ) == (ACCOUNTS, ACCOUNTS)
    assert [
        row[0] for row in db.execute("SELECT sequence FROM billing_invoice ORDER BY 1")
    ] == list(range(1, ACCOUNTS + 1))
    told = one(
        "SELECT count(*), count(DISTINCT subject_key || channel) FROM notifications_message"
        " WHERE event = 'invoice_ready'"
    )
    assert told == (2 * ACCOUNTS, 2 * ACCOUNTS)
    assert dropline("ledger", "check", env=env, check=False).returncode == 0
    db.close()
