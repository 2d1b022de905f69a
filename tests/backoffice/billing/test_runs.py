"""The bill-run monitor: the history with its figures and a filter by status, one run
with its progress (a bar and live figures from a JSON address the page's script reads
every 2 seconds; without the script the page still shows them, and reloads itself only
while the run goes on) and the accounts it did not bill; the home's tile counts runs
that stopped with failures; starting a run for a day bills that day's accounts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.billing.models import BillRun, BillRunChunk, BillRunStatus, Invoice
from dropline.core.models import AuditEvent
from tests.support.bill_runs import billable_accounts
from tests.support.billing import iowa_tax_table
from tests.support.catalog import make_catalog
from tests.support.staff import make_staff
from tests.support.staff_billing import bill_run, field_errors, problem, visible_text

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="runner", role=roles.BILLING))
    return client


def test_the_history_lists_every_run_with_its_figures(billing):
    bill_run(run_on=D(2026, 3, 5), billed=1200, skipped=3, failed=0, minutes=4)
    bill_run(run_on=D(2026, 4, 5), status=BillRunStatus.FAILED, billed=10, failed=2, minutes=61)
    text = visible_text(billing.get(reverse("backoffice:bill_runs")).content.decode())
    assert text.index("April 5, 2026") < text.index("March 5, 2026")  # newest first
    assert "1,203" in text
    assert "1,200" in text
    assert "Stopped with failures" in text
    assert "Completed" in text
    assert "4 minutes" in text
    assert "1 hour 1 minute" in text


def test_the_history_filters_by_status(billing):
    bill_run(run_on=D(2026, 3, 5))
    bill_run(run_on=D(2026, 4, 5), status=BillRunStatus.FAILED, failed=1)
    html = billing.get(reverse("backoffice:bill_runs"), {"status": "failed"}).content.decode()
    assert "April 5, 2026" in html
    assert "March 5, 2026" not in html
    html = billing.get(reverse("backoffice:bill_runs"), {"status": "running"}).content.decode()
    assert "No bill run matches this filter." in html


def test_the_home_tile_counts_runs_stopped_with_failures_and_opens_them(billing):
    bill_run(run_on=D(2026, 3, 5))
    bill_run(run_on=D(2026, 4, 5), status=BillRunStatus.FAILED, failed=1)
    bill_run(run_on=D(2026, 5, 5), status=BillRunStatus.FAILED, failed=4)
    html = billing.get(reverse("backoffice:home")).content.decode()
    tile = html.split('id="tile-stopped_bill_runs"', 1)[1].split("</li>", 1)[0]
    assert '<p class="count">2</p>' in tile
    assert "bill runs stopped with failures" in tile
    assert f'href="{reverse("backoffice:bill_runs")}?status=failed"' in tile


def test_customer_care_sees_no_bill_run_tile(client):
    bill_run(run_on=D(2026, 4, 5), status=BillRunStatus.FAILED, failed=1)
    client.force_login(make_staff(username="carer", role=roles.CUSTOMER_CARE))
    assert b"tile-stopped_bill_runs" not in client.get(reverse("backoffice:home")).content


def test_a_finished_run_shows_its_figures_and_problems_without_reloading(billing, make_customer):
    run = bill_run(run_on=D(2026, 4, 5), status=BillRunStatus.FAILED, billed=5, skipped=1, failed=1)
    skipped = make_customer(username="skipped").account
    failed = make_customer(username="failed").account
    problem(run, skipped, outcome="skipped", reason="Nothing to bill")
    problem(run, failed, outcome="failed", reason="No tax rate for the address")
    html = billing.get(reverse("backoffice:bill_run", args=[run.pk])).content.decode()
    text = visible_text(html)
    assert "Bill run of April 5, 2026" in text
    assert '<progress id="run-bar" max="1" value="1">' in html
    assert "Nothing to bill" in text
    assert "No tax rate for the address" in text
    assert skipped.display_number in text
    assert failed.display_number in text
    assert "Skipped" in text
    assert "Failed" in text
    assert 'http-equiv="refresh"' not in html
    assert "bill_run.js" not in html
    assert "data-progress-url" not in html


def test_a_running_run_polls_with_the_script_and_reloads_without_it(billing):
    run = bill_run(
        run_on=D(2026, 4, 5), status=BillRunStatus.RUNNING, billed=3, chunks=(2, 5), minutes=None
    )
    html = billing.get(reverse("backoffice:bill_run", args=[run.pk])).content.decode()
    assert '<progress id="run-bar" max="5" value="2">' in html
    assert "2 of 5 chunks" in visible_text(html)
    assert 'aria-live="polite"' in html
    progress_url = reverse("backoffice:bill_run_progress", args=[run.pk])
    assert f'data-progress-url="{progress_url}"' in html
    assert '<script src="/static/dropline/bill_run.js' in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert "Not yet" in visible_text(html)


def test_the_progress_json_has_the_run_figures(billing):
    run = bill_run(
        run_on=D(2026, 4, 5),
        status=BillRunStatus.RUNNING,
        billed=1000,
        skipped=3,
        chunks=(2, 5),
        minutes=None,
    )
    response = billing.get(reverse("backoffice:bill_run_progress", args=[run.pk]))
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "running",
        "running": True,
        "chunks_done": 2,
        "chunks_total": 5,
        "accounts_total": 1003,
        "billed": 1000,
        "skipped": 3,
        "failed": 0,
        "text": {
            "status_label": "Running",
            "chunks": "2 of 5 chunks",
            "chunks_done": "2",
            "chunks_total": "5",
            "accounts_total": "1,003",
            "billed": "1,000",
            "skipped": "3",
            "failed": "0",
            "takers": "None so far.",
        },
    }
    # In the staff member's language, as the page says it.
    billing.cookies["django_language"] = "es"
    text = billing.get(reverse("backoffice:bill_run_progress", args=[run.pk])).json()["text"]
    assert text["chunks"] == "2 de 5 lotes"
    assert text["status_label"] != "Running"
    billing.cookies["django_language"] = "en"
    BillRun.objects.filter(pk=run.pk).update(status=BillRunStatus.COMPLETED, chunks_done=5)
    figures = billing.get(reverse("backoffice:bill_run_progress", args=[run.pk])).json()
    assert (figures["running"], figures["chunks_done"]) == (False, 5)
    assert billing.post(reverse("backoffice:bill_run_progress", args=[run.pk])).status_code == 405
    assert billing.get(reverse("backoffice:bill_run_progress", args=[999])).status_code == 404


def test_the_run_shows_which_workers_took_its_chunks_as_it_goes(billing):
    run = bill_run(run_on=D(2026, 4, 5), status=BillRunStatus.RUNNING, chunks=(3, 5), minutes=None)
    for index, (taker, status) in enumerate(
        [
            ("w2@box-b", "done"),
            ("w1@box-a", "done"),
            ("w2@box-b", "done"),
            ("w1@box-a", "pending"),  # being billed now
            ("", "pending"),  # not taken yet
        ]
    ):
        BillRunChunk.objects.create(
            run=run,
            index=index,
            first_account_id=index,
            last_account_id=index,
            status=status,
            taken_by=taker,
        )
    html = billing.get(reverse("backoffice:bill_run", args=[run.pk])).content.decode()
    takers = html.split('id="run-takers">', 1)[1].split("</dd>", 1)[0]
    assert takers == "w1@box-a: 2 chunks, w2@box-b: 2 chunks"
    assert "Chunks taken by" in visible_text(html)
    progress = billing.get(reverse("backoffice:bill_run_progress", args=[run.pk])).json()
    assert progress["text"]["takers"] == takers  # the script keeps it up to date
    billing.cookies["django_language"] = "es"
    progress = billing.get(reverse("backoffice:bill_run_progress", args=[run.pk])).json()
    assert progress["text"]["takers"] == "w1@box-a: 2 lotes, w2@box-b: 2 lotes"


def test_the_script_is_the_sites_own_and_polls_every_two_seconds():
    script = finders.find("dropline/bill_run.js")
    assert isinstance(script, str)
    source = Path(script).read_text(encoding="utf-8")
    assert "dataset.progressUrl" in source
    assert source.count("setTimeout(poll, 2000)") >= 2
    assert not re.search(r"https?://|//cdn|import\s", source)  # nothing from elsewhere


def test_starting_a_run_bills_the_accounts_of_that_day(billing, django_capture_on_commit_callbacks):
    iowa_tax_table()
    accounts = billable_accounts(make_catalog(), count=3, opened_on=D(2026, 1, 5))
    with django_capture_on_commit_callbacks(execute=True):
        response = billing.post(reverse("backoffice:bill_run_start"), {"run_on": "2026-02-05"})
    run = BillRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:bill_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == BillRunStatus.COMPLETED
    assert run.billed == 3
    assert set(Invoice.objects.values_list("account_id", flat=True)) == {a.pk for a in accounts}
    assert AuditEvent.objects.filter(action="billing.bill_run_started").count() == 1
    # Starting the same day again resumes it and bills nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        billing.post(reverse("backoffice:bill_run_start"), {"run_on": "2026-02-05"})
    assert BillRun.objects.count() == 1
    assert Invoice.objects.count() == 3


@pytest.mark.parametrize(
    ("run_on", "error"),
    [("", "Choose the day whose bill cycles to bill."), ("2999-01-05", "have not started yet")],
)
def test_a_bad_day_starts_nothing(billing, run_on, error):
    response = billing.post(reverse("backoffice:bill_run_start"), {"run_on": run_on})
    assert response.status_code == 400
    assert error in field_errors(response.content.decode(), "run_on")
    assert not BillRun.objects.exists()
    assert not AuditEvent.objects.filter(action="billing.bill_run_started").exists()


def test_starting_a_run_needs_the_permission_post_and_csrf(client, db):
    client.force_login(make_staff(username="carer", role=roles.CUSTOMER_CARE))
    assert (
        client.post(reverse("backoffice:bill_run_start"), {"run_on": "2026-02-05"}).status_code
        == 403
    )
    biller = Client(enforce_csrf_checks=True)
    biller.force_login(make_staff(username="forger", role=roles.BILLING))
    assert (
        biller.post(reverse("backoffice:bill_run_start"), {"run_on": "2026-02-05"}).status_code
        == 403
    )
    assert biller.get(reverse("backoffice:bill_run_start")).status_code == 405
    assert not BillRun.objects.exists()
