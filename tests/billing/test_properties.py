"""Properties of billing over any sequence of what staff and bill runs do: the journal
sums to zero, every invariant ``dropline ledger check`` verifies holds, and running a
bill run again adds nothing."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dropline.billing.adjustments import enter_adjustment, void_invoice
from dropline.billing.bill_runs import run_bill_run
from dropline.billing.models import BillRunChunk, ChunkStatus, Invoice, InvoiceStatus
from dropline.core import clock
from dropline.customers.cycles import cycle_containing
from dropline.ledger.models import JournalEntry, JournalTransaction
from dropline.notifications.models import Message
from tests.support.bill_runs import billable_accounts, broken_invariants
from tests.support.billing import at, iowa_tax_table
from tests.support.catalog import make_catalog
from tests.support.examples import examples

D = dt.date
pytestmark = pytest.mark.django_db

OPENED = D(2026, 1, 5)
amounts = st.integers(min_value=1, max_value=50_000)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("bill")),
        st.tuples(st.just("charge"), st.integers(0, 1), amounts),
        st.tuples(st.just("credit"), st.integers(0, 1), amounts),
        st.tuples(st.just("void"), st.integers(0, 1)),
        st.tuples(st.just("rerun")),
    ),
    min_size=1,
    max_size=8,
)


def footprint() -> tuple[int, int, int]:
    return (Invoice.objects.count(), JournalTransaction.objects.count(), Message.objects.count())


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_any_sequence_of_operations_keeps_the_books_and_bills_consistent(steps):
    with transaction.atomic():
        iowa_tax_table()
        accounts = billable_accounts(make_catalog(), count=2, opened_on=OPENED)
        cycle = cycle_containing(OPENED.day, OPENED)
        last_run: dt.date | None = None
        today = OPENED
        for step in steps:
            with clock.frozen(at(today)):
                if step[0] == "bill":
                    cycle = cycle.next()
                    today = last_run = cycle.start
                    with clock.frozen(at(today)):
                        run_bill_run(run_on=today, in_process=True, chunk_size=1)
                elif step[0] in ("charge", "credit"):
                    enter_adjustment(
                        account=accounts[step[1]],
                        kind="charge" if step[0] == "charge" else "credit",
                        amount_cents=step[2],
                        description="Service call" if step[0] == "charge" else "Goodwill",
                        reason="Property test",
                        taxable=step[2] % 2 == 0,
                    )
                elif step[0] == "void":
                    latest = (
                        Invoice.objects.filter(account=accounts[step[1]])
                        .exclude(status=InvoiceStatus.VOID)
                        .order_by("-period_start")
                        .first()
                    )
                    if latest is not None:
                        void_invoice(invoice=latest, reason="Property test")
                elif last_run is not None:
                    # Even with every chunk marked to do again, nothing is billed twice.
                    BillRunChunk.objects.filter(run__run_on=last_run).update(
                        status=ChunkStatus.PENDING, attempts=0
                    )
                    before = footprint()
                    run_bill_run(run_on=last_run, in_process=True)
                    assert footprint() == before
            assert JournalEntry.objects.aggregate(total=Sum("amount_cents"))["total"] in (0, None)
            assert broken_invariants() == []
        transaction.set_rollback(True)
