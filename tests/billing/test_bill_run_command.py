"""``dropline bill-run`` and ``dropline run-due-jobs``: what an operator sees, and that
running them again bills nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from dropline.billing import bill_runs
from dropline.billing.models import BillRun, BillRunStatus, Invoice
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.pricing import change_price
from tests.support.bill_runs import billable_accounts
from tests.support.billing import at
from tests.support.catalog import make_catalog

D = dt.date
pytestmark = pytest.mark.django_db


def bill_run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with clock.frozen(at(D(2026, 2, 5))):
        call_command("bill-run", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_bills_the_day_shows_progress_and_a_summary():
    catalog = make_catalog()
    billable_accounts(catalog, count=5, opened_on=D(2026, 1, 5))
    out, err = bill_run("--date", "2026-02-05", "--chunk-size", "2")
    assert Invoice.objects.count() == 5
    assert "bill run 2026-02-05" in err
    assert "5/5" in err  # the progress bar reached the end
    assert "Bill run 2026-02-05: Completed" in out
    assert "  billed     5" in out
    assert "  skipped    0" in out
    assert "  failed     0" in out
    assert "  chunks     3 of 3 done" in out


def test_running_it_again_prints_the_summary_and_bills_nothing():
    billable_accounts(make_catalog(), count=2, opened_on=D(2026, 1, 5))
    bill_run("--date", "2026-02-05")
    numbers = list(Invoice.objects.values_list("number", flat=True))
    out, _ = bill_run("--date", "2026-02-05", "--in-process")
    assert "already finished" in out
    assert "  billed     2" in out
    assert list(Invoice.objects.values_list("number", flat=True)) == numbers


def test_skips_are_counted_by_reason():
    catalog = make_catalog()
    accounts = billable_accounts(catalog, count=3, opened_on=D(2026, 1, 5))
    Subscription.objects.filter(account__in=accounts[:2]).delete()
    out, _ = bill_run("--date", "2026-02-05")
    assert "  skipped    2" in out
    assert "         2  Nothing to bill: no services, charges or credits." in out


def test_failures_name_the_reason_and_the_first_accounts_and_exit_non_zero(
    monkeypatch: pytest.MonkeyPatch,
):
    accounts = billable_accounts(make_catalog(), count=8, opened_on=D(2026, 1, 5))

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bill_runs, "issue_invoices", broken)
    out = StringIO()
    with clock.frozen(at(D(2026, 2, 5))), pytest.raises(CommandError, match="8 account"):
        call_command("bill-run", "--date=2026-02-05", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Bill run 2026-02-05: Stopped with failures" in text
    assert "  failed     8" in text
    assert "         8  Could not be billed: disk full" in text
    numbers = sorted(
        CustomerAccount.objects.filter(pk__in=[a.pk for a in accounts]).values_list(
            "number", flat=True
        )
    )
    assert f"accounts {', '.join(numbers[:5])} and 3 more" in text
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("args", [(), ("--date", "2026-02-30"), ("--date", "05/02/2026")])
def test_a_missing_or_bad_date_names_the_option_and_the_form(args: tuple[str, ...]):
    with pytest.raises(CommandError, match=r"--date needs the cycle start date as YYYY-MM-DD"):
        bill_run(*args)
    assert not BillRun.objects.exists()


def test_a_chunk_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--chunk-size must be at least 1"):
        bill_run("--date", "2026-02-05", "--chunk-size", "0")
    assert not BillRun.objects.exists()


def test_run_due_jobs_runs_todays_bill_run_and_applies_due_prices_once():
    catalog = make_catalog()
    [account] = billable_accounts(catalog, count=1, opened_on=D(2026, 1, 5), bill_cycle_day=5)
    subscription = Subscription.objects.get(account=account)
    with clock.frozen(at(D(2026, 1, 20))):
        change_price(
            subscription=subscription,
            monthly_price_cents=7500,
            effective_on=D(2026, 2, 5),
            reason="Yearly price review",
        )
    subscription.refresh_from_db()
    assert subscription.monthly_price_cents == 7000
    out = StringIO()
    with clock.frozen(at(D(2026, 2, 5))):
        call_command("run-due-jobs", stdout=out)
        call_command("run-due-jobs", stdout=StringIO())
    text = out.getvalue()
    assert "Prices brought up to date on 1 service(s)." in text
    assert "Bill run 2026-02-05: Completed" in text
    assert "  billed     1" in text
    subscription.refresh_from_db()
    assert subscription.monthly_price_cents == 7500
    assert Invoice.objects.count() == 1
    assert BillRun.objects.get().status == BillRunStatus.COMPLETED


def test_run_due_jobs_resumes_an_earlier_run_cut_short():
    catalog = make_catalog()
    billable_accounts(catalog, count=3, opened_on=D(2026, 1, 4), bill_cycle_day=4)
    with clock.frozen(at(D(2026, 2, 4))):
        bill_runs.start_run(run_on=D(2026, 2, 4), chunk_size=1)  # killed before any chunk
    with clock.frozen(at(D(2026, 2, 5))):
        call_command("run-due-jobs", stdout=StringIO())
    earlier = BillRun.objects.get(run_on=D(2026, 2, 4))
    assert (earlier.status, earlier.billed) == (BillRunStatus.COMPLETED, 3)
    assert BillRun.objects.filter(run_on=D(2026, 2, 5)).exists()


def test_celery_beat_runs_the_daily_jobs_in_the_providers_time_zone():
    entry = settings.CELERY_BEAT_SCHEDULE["run-due-jobs"]
    assert entry["task"] == "billing.run_due_jobs"
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
    from celery import current_app

    assert "billing.run_due_jobs" in current_app.tasks
    assert "billing.run_chunk" in current_app.tasks


def test_a_run_stopped_with_failures_is_finished_with_retry_failed_once_the_cause_is_fixed(
    monkeypatch: pytest.MonkeyPatch,
):
    accounts = billable_accounts(make_catalog(), count=4, opened_on=D(2026, 1, 5))
    real_issue = bill_runs.issue_invoices

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bill_runs, "issue_invoices", broken)
    with pytest.raises(CommandError):
        bill_run("--date", "2026-02-05", "--chunk-size", "2")
    monkeypatch.setattr(bill_runs, "issue_invoices", real_issue)
    out_again = StringIO()
    with clock.frozen(at(D(2026, 2, 5))), pytest.raises(CommandError):
        # The cause is fixed, but nobody asked to try again.
        call_command("bill-run", "--date=2026-02-05", stdout=out_again, stderr=StringIO())
    out = out_again.getvalue()
    assert "Stopped with failures" in out
    assert "--retry-failed tries the failed accounts again" in out
    assert not Invoice.objects.exists()
    out, _ = bill_run("--date", "2026-02-05", "--retry-failed")
    assert "Bill run 2026-02-05: Completed" in out
    assert "  billed     4" in out
    assert "  failed     0" in out
    run = BillRun.objects.get()
    assert (run.status, run.billed, run.failed, run.chunks_done) == (
        BillRunStatus.COMPLETED,
        4,
        0,
        2,
    )
    assert set(Invoice.objects.values_list("account_id", flat=True)) == {a.pk for a in accounts}
    assert not run.problems.exists()
