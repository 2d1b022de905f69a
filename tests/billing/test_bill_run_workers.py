"""With a broker, `dropline bill-run` queues a task per chunk for Celery workers and
watches the database: a real worker through the real Redis broker, and a worker killed
with SIGKILL in the middle whose chunk another worker finishes."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.crash import ROOT, dropline, sqlite_with_accounts, start, wait_for
from tests.support.services import need

REDIS_URL = os.environ.get("REDIS_URL", "")
ACCOUNTS = 30


def worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dropline", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def kill_worker(process: subprocess.Popen[str]) -> None:
    """``kill -9`` of the worker and its pool processes, mid-task."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.redis
def test_workers_bill_the_chunks_the_command_queues_even_when_one_is_killed(tmp_path: Path):
    need(bool(REDIS_URL), "REDIS_URL is not set")
    path = tmp_path / "workers.sqlite3"
    env = sqlite_with_accounts(path, accounts=ACCOUNTS, opened="2026-01-05")
    env = {**env, "CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": REDIS_URL}
    first = worker(env)
    second: subprocess.Popen[str] | None = None
    command = start(
        "bill-run", "--date", "2026-02-05", "--chunk-size", "3", "--requeue-after", "5", env=env
    )
    try:
        import sqlite3

        db = sqlite3.connect(path, timeout=30, isolation_level=None)

        def done() -> int:
            row = db.execute("SELECT max(chunks_done) FROM billing_billrun").fetchone()
            return int(row[0] or 0)

        wait_for(lambda: done() >= 1, what="a worker to bill a chunk", timeout=120)
        kill_worker(first)
        second = worker(env)
        out, err = command.communicate(timeout=300)
        assert command.returncode == 0, err
        assert "Bill run 2026-02-05: Completed" in out
        assert f"  billed     {ACCOUNTS}" in out
        assert db.execute(
            "SELECT count(*), count(DISTINCT account_id) FROM billing_invoice"
        ).fetchone() == (ACCOUNTS, ACCOUNTS)
        assert [
            r[0] for r in db.execute("SELECT sequence FROM billing_invoice ORDER BY 1")
        ] == list(range(1, ACCOUNTS + 1))
        db.close()
        assert dropline("ledger", "check", env=env, check=False).returncode == 0
    finally:
        if command.poll() is None:
            command.kill()
        stop(first)
        if second is not None:
            stop(second)
