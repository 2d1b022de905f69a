"""The load test's people (``bench/load/locustfile.py``) against the live test server:
a smoke run in which the demo customer and a demo staff member each do every task once,
through locust, with every response checked as in the real run. A page whose form,
heading or address changed fails here, not in the middle of a load test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"

CUSTOMER_PAGES = {
    "sign-in page", "sign-in", "overview", "add card page", "confirm password page",
    "confirm password", "save card", "saved cards", "bills", "one bill", "bill PDF", "usage",
    "pay page", "pay", "payment receipt", "notification settings",
    "save notification settings", "sign-out",
}  # fmt: skip
STAFF_PAGES = {
    "staff sign-in page", "staff sign-in", "staff second factor page", "staff second factor",
    "staff trust page", "staff trust", "back-office home", "back-office search",
    "back-office account", "tickets", "bill runs", "back-office invoices", "disputes",
}  # fmt: skip


def run_people(people: Path, who: str, url: str) -> tuple[list[dict[str, Any]], str]:
    """One locust run of ``who`` (a user class), headless; returns its stats rows and
    what it printed."""
    env = dict(
        os.environ,
        DROPLINE_LOAD_PEOPLE=str(people),
        DROPLINE_LOAD_SMOKE="1",
        PYTHONPATH=str(ROOT),
    )
    argv = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
    argv += ["--host", url, "-u", "1", "-r", "1", "--run-time", "30s", "--json"]
    argv += ["--loglevel", "WARNING", who]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=90, check=False)
    printed = done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, printed
    return json.loads(done.stdout), printed


def test_every_task_of_the_load_test_passes_once(
    transactional_db: None, live_server: LiveServer, tmp_path: Path
) -> None:
    from django.apps import apps
    from django.core.cache import cache

    from dropline.accounts.roles import sync_roles
    from dropline.seeding.demo import DEMO_CUSTOMER, DEMO_STAFF, load_demo
    from dropline.seeding.demo.household import loaded_account
    from dropline.seeding.demo.staff import demo_totp_secret
    from tests.support.demo_snapshot import load_demo_data

    cache.clear()
    sync_roles(apps)
    load_demo_data(load_demo)
    account = loaded_account()
    assert account is not None
    from dropline.payments.models import Payment, PaymentSource, PaymentStatus

    paid = Payment.objects.filter(
        account=account, source=PaymentSource.PORTAL, status=PaymentStatus.SUCCEEDED
    )
    paid_before = paid.count()
    people = tmp_path / "people.json"
    login, password = DEMO_CUSTOMER
    staff, staff_password = DEMO_STAFF
    people.write_text(
        json.dumps(
            {
                "password": password,
                "customers": [{"login": login, "account": account.display_number}],
                "staff": [
                    {
                        "login": staff,
                        "password": staff_password,
                        "secret": demo_totp_secret(staff),
                        "role": "Customer care",
                    }
                ],
            }
        )
    )

    for who, pages in (("CustomerUser", CUSTOMER_PAGES), ("StaffUser", STAFF_PAGES)):
        rows, printed = run_people(people, who, live_server.url)
        failed = {r["name"]: r["num_failures"] for r in rows if r["num_failures"]}
        assert not failed, printed
        missing = pages - {r["name"] for r in rows}
        assert not missing, f"{missing}\n{printed}"

    # The payment was real: made through the simulator, on the account.
    assert paid.count() == paid_before + 1
