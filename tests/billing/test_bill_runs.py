"""Bill runs: every account whose cycle starts on the day, in chunks, once; a run
started again resumes and adds nothing; problems are named; a failing chunk is tried
again a few times, then the run stops with failures without losing the others."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.billing import bill_runs, invoicing
from dropline.billing.bill_runs import (
    MAX_ATTEMPTS,
    ChunkResult,
    run_bill_run,
    run_chunk,
    start_run,
)
from dropline.billing.invoicing import SkipReason
from dropline.billing.models import (
    BillRun,
    BillRunChunk,
    BillRunProblem,
    BillRunStatus,
    ChunkStatus,
    Invoice,
    RunOutcome,
)
from dropline.core import clock
from dropline.customers.models import AccountStatus, CustomerAccount
from dropline.notifications.models import Message
from dropline.subscriptions.models import Subscription
from tests.support.bill_runs import (
    bill_notices_per_invoice,
    billable_accounts,
    broken_invariants,
    invoices_per_account_and_cycle,
)
from tests.support.billing import at, bill, iowa_tax_table
from tests.support.catalog import make_catalog

D = dt.date
pytestmark = pytest.mark.django_db


def run(day: dt.date, **options: object) -> BillRun:
    with clock.frozen(at(day)):
        return run_bill_run(run_on=day, in_process=True, **options)  # type: ignore[arg-type]


def test_a_run_bills_every_account_of_the_day_once_and_tells_each_holder():
    iowa_tax_table()
    catalog = make_catalog()
    due = billable_accounts(catalog, count=7, opened_on=D(2026, 1, 5))
    other_day = billable_accounts(catalog, count=2, opened_on=D(2026, 1, 6), bill_cycle_day=6)
    seen: list[tuple[int, int]] = []
    finished = run(
        D(2026, 2, 5), chunk_size=3, progress=lambda r: seen.append((r.chunks_done, r.chunks_total))
    )
    assert finished.status == BillRunStatus.COMPLETED
    assert finished.finished_at is not None
    assert (finished.accounts_total, finished.chunks_total, finished.chunks_done) == (7, 3, 3)
    assert (finished.billed, finished.skipped, finished.failed) == (7, 0, 0)
    assert seen[-1] == (3, 3)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    billed = set(Invoice.objects.values_list("account_id", flat=True))
    assert billed == {a.pk for a in due}
    assert not billed & {a.pk for a in other_day}
    assert set(Invoice.objects.values_list("bill_run_id", flat=True)) == {finished.pk}
    # Each invoice told its holder once by email and once in the portal.
    invoices = list(Invoice.objects.all())
    assert bill_notices_per_invoice() == {f"invoice:{i.pk}": 2 for i in invoices}
    assert broken_invariants() == []


def test_starting_a_run_again_returns_the_same_run_and_running_it_again_adds_nothing():
    catalog = make_catalog()
    billable_accounts(catalog, count=4, opened_on=D(2026, 1, 5))
    first = run(D(2026, 2, 5), chunk_size=2)
    invoices, messages = Invoice.objects.count(), Message.objects.count()
    assert start_run(run_on=D(2026, 2, 5)).pk == first.pk
    again = run(D(2026, 2, 5), chunk_size=2)
    assert again.pk == first.pk
    assert (again.billed, again.chunks_done) == (4, 2)
    assert Invoice.objects.count() == invoices == 4
    assert Message.objects.count() == messages
    assert BillRun.objects.count() == 1
    assert BillRunChunk.objects.count() == 2


def test_a_done_chunk_is_left_alone():
    billable_accounts(make_catalog(), count=2, opened_on=D(2026, 1, 5))
    finished = run(D(2026, 2, 5))
    chunk = BillRunChunk.objects.get(run=finished)
    with clock.frozen(at(D(2026, 2, 5))):
        assert run_chunk(chunk_id=chunk.pk) == ChunkResult.BUSY
    assert Invoice.objects.count() == 2
    assert BillRun.objects.get().billed == 2


def test_clamped_anchors_are_billed_on_the_last_day_of_a_short_month():
    catalog = make_catalog()
    by_anchor = {
        day: billable_accounts(catalog, count=1, opened_on=D(2026, 12, day), bill_cycle_day=day)[0]
        for day in (27, 28, 29, 30, 31)
    }
    finished = run(D(2027, 2, 28))
    assert finished.accounts_total == 4
    billed = set(Invoice.objects.values_list("account_id", flat=True))
    assert billed == {by_anchor[d].pk for d in (28, 29, 30, 31)}
    assert set(Invoice.objects.values_list("period_start", "period_end")) == {
        (D(2027, 2, 28), D(2027, 3, 27)),
        (D(2027, 2, 28), D(2027, 3, 28)),
        (D(2027, 2, 28), D(2027, 3, 29)),
        (D(2027, 2, 28), D(2027, 3, 30)),
    }


def test_closed_accounts_and_accounts_opened_later_are_not_in_the_run():
    catalog = make_catalog()
    [kept, closed] = billable_accounts(catalog, count=2, opened_on=D(2026, 1, 5))
    [later] = billable_accounts(catalog, count=1, opened_on=D(2026, 2, 10))
    CustomerAccount.objects.filter(pk=closed.pk).update(status=AccountStatus.CLOSED)
    CustomerAccount.objects.filter(pk=later.pk).update(bill_cycle_day=5)
    finished = run(D(2026, 2, 5))
    assert finished.accounts_total == 1
    assert list(Invoice.objects.values_list("account_id", flat=True)) == [kept.pk]


def test_an_account_billed_before_the_run_counts_as_billed_and_is_not_a_problem():
    catalog = make_catalog()
    [early, other] = billable_accounts(catalog, count=2, opened_on=D(2026, 1, 5))
    bill(early, D(2026, 2, 5))
    finished = run(D(2026, 2, 5))
    assert (finished.billed, finished.skipped, finished.failed) == (2, 0, 0)
    assert not BillRunProblem.objects.exists()
    assert invoices_per_account_and_cycle() == {
        (early.pk, D(2026, 2, 5)): 1,
        (other.pk, D(2026, 2, 5)): 1,
    }
    # The account billed before the run was told by that bill's issuer, not by the run.
    assert Invoice.objects.get(account=other).bill_run_id == finished.pk
    assert Invoice.objects.get(account=early).bill_run_id is None


def test_an_account_with_nothing_to_bill_is_skipped_with_the_reason():
    catalog = make_catalog()
    [billed, empty] = billable_accounts(catalog, count=2, opened_on=D(2026, 1, 5))
    Subscription.objects.filter(account=empty).delete()
    finished = run(D(2026, 2, 5))
    assert (finished.billed, finished.skipped, finished.failed) == (1, 1, 0)
    assert finished.status == BillRunStatus.COMPLETED
    problem = BillRunProblem.objects.get()
    assert (problem.account_id, problem.outcome, problem.reason) == (
        empty.pk,
        RunOutcome.SKIPPED,
        SkipReason.NOTHING_TO_BILL,
    )
    assert list(Invoice.objects.values_list("account_id", flat=True)) == [billed.pk]


def test_an_account_that_cannot_be_rated_fails_alone_and_the_run_stops_with_failures(
    monkeypatch: pytest.MonkeyPatch,
):
    catalog = make_catalog()
    [good, bad] = billable_accounts(catalog, count=2, opened_on=D(2026, 1, 5))
    real_rate = invoicing.rate

    def rate(history, cycle):
        if history.account_id == bad.pk:
            raise ValueError("no price for this plan")
        return real_rate(history, cycle)

    monkeypatch.setattr("dropline.billing.invoicing.rate", rate)
    finished = run(D(2026, 2, 5))
    assert finished.status == BillRunStatus.FAILED
    assert (finished.billed, finished.skipped, finished.failed) == (1, 0, 1)
    problem = BillRunProblem.objects.get()
    assert problem.account_id == bad.pk
    assert problem.outcome == RunOutcome.FAILED
    assert "no price for this plan" in problem.reason
    assert list(Invoice.objects.values_list("account_id", flat=True)) == [good.pk]


def test_a_chunk_that_raises_is_tried_again_and_then_marked_failed_while_the_others_finish(
    monkeypatch: pytest.MonkeyPatch,
):
    catalog = make_catalog()
    accounts = billable_accounts(catalog, count=4, opened_on=D(2026, 1, 5))
    poisoned = accounts[0].pk
    real_issue = bill_runs.issue_invoices
    calls: list[list[int]] = []

    def issue(**kwargs):
        calls.append(list(kwargs["account_ids"]))
        if poisoned in kwargs["account_ids"]:
            raise RuntimeError("database went away")
        return real_issue(**kwargs)

    monkeypatch.setattr(bill_runs, "issue_invoices", issue)
    finished = run(D(2026, 2, 5), chunk_size=2)
    assert finished.status == BillRunStatus.FAILED
    assert [c for c in calls if poisoned in c] == [[accounts[0].pk, accounts[1].pk]] * MAX_ATTEMPTS
    chunks = list(BillRunChunk.objects.order_by("index").values_list("status", "attempts"))
    assert chunks == [(ChunkStatus.FAILED, MAX_ATTEMPTS), (ChunkStatus.DONE, 1)]
    assert (finished.billed, finished.failed, finished.chunks_done) == (2, 2, 1)
    assert set(Invoice.objects.values_list("account_id", flat=True)) == {
        accounts[2].pk,
        accounts[3].pk,
    }
    reasons = set(BillRunProblem.objects.values_list("account_id", "outcome", "reason"))
    assert reasons == {
        (accounts[0].pk, RunOutcome.FAILED, "Could not be billed: database went away"),
        (accounts[1].pk, RunOutcome.FAILED, "Could not be billed: database went away"),
    }
    assert broken_invariants() == []


def test_a_day_without_accounts_is_a_completed_run_with_nothing_in_it():
    finished = run(D(2026, 2, 5))
    assert finished.status == BillRunStatus.COMPLETED
    assert (finished.accounts_total, finished.chunks_total, finished.billed) == (0, 0, 0)


def test_a_chunk_costs_the_same_queries_for_one_account_as_for_eight():
    iowa_tax_table()
    catalog = make_catalog()
    billable_accounts(catalog, count=1, opened_on=D(2026, 1, 5))
    run(D(2026, 2, 5))  # the first bill creates the number sequence
    billable_accounts(catalog, count=16, opened_on=D(2026, 1, 5))
    with clock.frozen(at(D(2026, 3, 5))):
        started = start_run(run_on=D(2026, 3, 5), chunk_size=8)
        eight, _, one = BillRunChunk.objects.filter(run=started).order_by("index")

        def queries(chunk: BillRunChunk) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert run_chunk(chunk_id=chunk.pk) == ChunkResult.DONE
            return len(captured)

        assert queries(one) == queries(eight)
    assert Invoice.objects.filter(period_start=D(2026, 3, 5)).count() == 9


def test_start_run_refuses_a_chunk_size_below_one():
    with pytest.raises(ValueError, match="chunk_size"):
        start_run(run_on=D(2026, 2, 5), chunk_size=0)


def test_with_a_broker_each_chunk_is_a_task_and_the_run_is_watched_to_its_end():
    # Tasks run eagerly in the tests: queueing one runs it, as a worker would.
    billable_accounts(make_catalog(), count=5, opened_on=D(2026, 1, 5))
    seen: list[int] = []
    with clock.frozen(at(D(2026, 2, 5))):
        finished = run_bill_run(
            run_on=D(2026, 2, 5),
            in_process=False,
            chunk_size=2,
            progress=lambda r: seen.append(r.chunks_done),
        )
    assert (finished.status, finished.chunks_done, finished.billed) == (
        BillRunStatus.COMPLETED,
        3,
        5,
    )
    assert seen[-1] == 3
    assert Invoice.objects.count() == 5


def test_a_task_whose_chunk_raises_is_retried_until_it_bills(monkeypatch: pytest.MonkeyPatch):
    billable_accounts(make_catalog(), count=2, opened_on=D(2026, 1, 5))
    real_issue = bill_runs.issue_invoices
    failures = iter([RuntimeError("connection reset"), RuntimeError("connection reset")])

    def flaky(**kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_issue(**kwargs)

    monkeypatch.setattr(bill_runs, "issue_invoices", flaky)
    with clock.frozen(at(D(2026, 2, 5))):
        finished = run_bill_run(run_on=D(2026, 2, 5), in_process=False)
    assert (finished.status, finished.billed, finished.failed) == (BillRunStatus.COMPLETED, 2, 0)
    assert BillRunChunk.objects.get().attempts == 3
    assert not BillRunProblem.objects.exists()


def test_chunk_size_comes_from_the_setting_and_each_chunk_names_who_billed_it(settings):
    iowa_tax_table()
    billable_accounts(make_catalog(), count=5, opened_on=D(2026, 1, 5), holders=False)
    settings.DROPLINE_BILL_RUN_CHUNK_SIZE = 2
    finished = run(D(2026, 2, 5))
    assert (finished.chunks_total, finished.billed) == (3, 5)
    # Billed here, with no worker: the chunks name this process.
    assert set(BillRunChunk.objects.values_list("taken_by", flat=True)) == {
        bill_runs.this_process()
    }
    assert bill_runs.this_process().startswith("pid")


def test_a_finished_run_extended_bills_only_the_accounts_that_came_after_it():
    iowa_tax_table()
    catalog = make_catalog()
    billable_accounts(catalog, count=3, opened_on=D(2026, 1, 5), holders=False)
    first = run(D(2026, 2, 5), chunk_size=2)
    assert (first.status, first.billed, first.chunks_total) == (BillRunStatus.COMPLETED, 3, 2)
    assert bill_runs.extend_run(first, chunk_size=2) == 0  # nothing new: left as it is
    first.refresh_from_db()
    assert first.status == BillRunStatus.COMPLETED

    late = billable_accounts(catalog, count=3, opened_on=D(2026, 1, 5), holders=False)
    assert bill_runs.extend_run(first, chunk_size=2) == 2
    first.refresh_from_db()
    assert (first.status, first.accounts_total, first.chunks_total) == ("running", 6, 4)
    again = run(D(2026, 2, 5))

    assert (again.pk, again.status, again.billed, again.failed) == (first.pk, "completed", 6, 0)
    assert Invoice.objects.count() == 6
    assert set(Invoice.objects.filter(bill_run=again).values_list("account_id", flat=True)) >= {
        a.pk for a in late
    }
    assert set(invoices_per_account_and_cycle().values()) == {1}
    assert broken_invariants() == []
