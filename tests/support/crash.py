"""Running ``dropline`` in a real subprocess against a database the test can read, and
killing it: for the crash tests of bill runs.

``python -m tests.support.crash --accounts N --opened YYYY-MM-DD`` (run with the
subprocess environment) creates N billable accounts in that database, for the SQLite
test, whose own test database lives in memory where no other process can see it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DROPLINE = ROOT / ".venv" / "bin" / "dropline"


def environment(database_url: str) -> dict[str, str]:
    """The test settings pointed at ``database_url``, without a broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "0",
        "CELERY_BROKER_URL": "",
        "EMAIL_URL": "console://",
        "LOG_LEVEL": "WARNING",
    }
    return env


def dropline(
    *args: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DROPLINE), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(DROPLINE), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def kill(process: subprocess.Popen[str]) -> None:
    """``kill -9``: no cleanup, no rollback by the process itself."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def sqlite_with_accounts(path: Path, *, accounts: int, opened: str) -> dict[str, str]:
    """A migrated SQLite database file at ``path`` with ``accounts`` billable accounts
    opened on ``opened``; returns the environment for subprocesses that use it."""
    env = environment(f"sqlite:///{path}")
    dropline("migrate", "--no-input", "-v", "0", env=env)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.crash",
            "--accounts",
            str(accounts),
            "--opened",
            opened,
        ],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    return env


def main(argv: list[str] | None = None) -> None:
    import datetime as dt

    import django

    parser = argparse.ArgumentParser(description="billable accounts for a crash test")
    parser.add_argument("--accounts", type=int, required=True)
    parser.add_argument("--opened", type=dt.date.fromisoformat, required=True)
    options = parser.parse_args(argv)
    django.setup()
    from tests.support.bill_runs import billable_accounts
    from tests.support.billing import iowa_tax_table
    from tests.support.catalog import make_catalog

    iowa_tax_table()
    billable_accounts(
        make_catalog(),
        count=options.accounts,
        opened_on=options.opened,
        bill_cycle_day=options.opened.day,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
