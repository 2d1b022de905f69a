"""`dropline seed synthetic` accounts are billed by `dropline bill-run` like any other:
each has a bill cycle day and a service address with its county, so the taxes of its
place apply."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from dropline.billing.models import BillRun, BillRunStatus, Invoice, InvoiceLine
from dropline.core import clock
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import CustomerAccount, ServiceAddress
from dropline.seeding.synthetic import create_accounts
from tests.support.bill_runs import broken_invariants
from tests.support.billing import at, iowa_tax_table

D = dt.date
pytestmark = pytest.mark.django_db


def test_synthetic_accounts_have_what_a_bill_run_needs_and_a_bill_run_bills_them():
    iowa_tax_table()
    with clock.frozen(at(D(2026, 6, 1))):
        create_accounts(count=80, progress=False)
    assert not ServiceAddress.objects.filter(county="").exists()
    assert set(ServiceAddress.objects.values_list("county", flat=True)) <= {
        "Johnson",
        "Black Hawk",
        "Cerro Gordo",
    }
    # The busiest anchor day, billed on its next cycle start.
    anchor, count = Counter(
        CustomerAccount.objects.values_list("bill_cycle_day", flat=True)
    ).most_common(1)[0]
    day = cycle_containing(anchor, D(2026, 6, 1)).next().start
    with clock.frozen(at(day)):
        call_command("bill-run", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())
    run = BillRun.objects.get()
    assert run.status == BillRunStatus.COMPLETED
    assert run.accounts_total >= count
    assert (run.billed, run.skipped, run.failed) == (run.accounts_total, 0, 0)
    assert Invoice.objects.count() == run.accounts_total
    # Iowa's state-wide taxes and fees reach them through their addresses.
    assert InvoiceLine.objects.filter(kind="tax").exists()
    assert broken_invariants() == []
