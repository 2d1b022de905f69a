"""Data on real bills: what billing reads of usage, in one query for many services, and
the bills a household gets when it goes over (the first time forgiven, the next
charged), on the ledger like any other line."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.billing.describe import describe_line
from dropline.billing.explaining import explain_invoice
from dropline.billing.history import load_history
from dropline.billing.models import InvoiceLine
from dropline.core import clock
from dropline.ledger.checks import run_checks
from dropline.usage.billable import billable_usage
from dropline.usage.models import GB
from tests.support.billing import at, bill_months, iowa_tax_table
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.usage_billing import cycle_usage, overage_terms

D = dt.date
pytestmark = pytest.mark.django_db
OPENED = D(2026, 1, 5)


@pytest.fixture
def catalog():
    iowa_tax_table()
    catalog = make_catalog()
    overage_terms(catalog.internet)
    return catalog


@pytest.fixture
def household(catalog):
    return account_with_internet(catalog, opened_on=OPENED, promotion=False)


def usage_lines(invoice):
    return list(InvoiceLine.objects.filter(invoice=invoice, kind="usage").order_by("position"))


def test_billable_bytes_of_many_services_each_in_its_own_cycle_in_one_query(catalog, household):
    _account, internet = household
    _other_account, other = account_with_internet(
        catalog, opened_on=OPENED, bill_cycle_day=20, promotion=False
    )
    cycle_usage(internet, D(2026, 1, 5), D(2026, 2, 4), gb=700, credited_gb=50)
    cycle_usage(internet, D(2026, 2, 5), D(2026, 3, 4), gb=900)
    cycle_usage(other, D(2026, 1, 20), D(2026, 2, 19), gb=30, credited_gb=40)
    with CaptureQueriesContext(connection) as queries:
        found = billable_usage({internet.pk: D(2026, 1, 5), other.pk: D(2026, 1, 20)})
    assert len(queries) == 1
    assert found[internet.pk].billable_bytes == 650 * GB
    assert found[internet.pk].cycle_end == D(2026, 2, 4)
    assert found[other.pk].billable_bytes == 0  # credited more than used: never below 0
    assert billable_usage({internet.pk: D(2026, 3, 5)}) == {}


def test_the_first_time_over_is_forgiven_and_the_next_is_charged(household):
    account, internet = household
    cycle_usage(internet, D(2026, 1, 5), D(2026, 2, 4), gb=1320)  # 120 GB over: 3 blocks
    cycle_usage(internet, D(2026, 2, 5), D(2026, 3, 4), gb=900)  # within the allowance
    cycle_usage(internet, D(2026, 3, 5), D(2026, 4, 4), gb=1401)  # 201 GB over: 5 blocks
    first, february, march, april = bill_months(account, first=OPENED, months=4)

    assert usage_lines(first) == []
    extra, courtesy = usage_lines(february)
    assert (extra.amount_cents, courtesy.amount_cents) == (3000, -3000)
    assert describe_line(extra, "en").startswith("Extra data: 120 GB over 1.2 TB in 3 blocks")
    assert describe_line(courtesy, "en").startswith("Courtesy: first time over in 12 months")
    assert usage_lines(march) == []
    [charged] = usage_lines(april)
    assert (charged.amount_cents, charged.quantity) == (5000, 5)
    assert (charged.period_start, charged.period_end) == (D(2026, 3, 5), D(2026, 4, 4))
    # Taxed as internet: 2.5% regulatory recovery of $70.00 + $50.00.
    tax = InvoiceLine.objects.get(invoice=april, item_key="tax:ia:regulatory")
    assert tax.amount_cents == 300
    assert april.total_cents == 7000 + 5000 + 300
    assert february.total_cents == 7000 + 175
    assert all(problem is None for _name, problem in run_checks())


def test_the_next_bills_history_reads_the_cycle_in_progress(household):
    account, internet = household
    cycle_usage(internet, D(2026, 2, 5), D(2026, 3, 4), gb=1250)
    with clock.frozen(at(D(2026, 2, 20))):
        history = load_history(account.pk)
    [usage] = history.usage
    assert (usage.cycle_start, usage.billable_bytes) == (D(2026, 2, 5), 1250 * GB)
    assert load_history(account.pk, cycle_start=D(2026, 2, 5)).usage == ()


def test_why_did_my_bill_change_explains_extra_data_and_the_amounts_add_up(household):
    account, internet = household
    cycle_usage(internet, D(2026, 1, 5), D(2026, 2, 4), gb=1320)
    cycle_usage(internet, D(2026, 3, 5), D(2026, 4, 4), gb=1401)
    bills = bill_months(account, first=OPENED, months=5)
    _first, february, march, april, may = bills

    def changes(invoice, language="en"):
        found = explain_invoice(invoice, language=language)
        assert found is not None
        before = bills[bills.index(invoice) - 1]
        assert sum(change.amount_cents for change in found) == (
            invoice.total_cents - before.total_cents
        )
        return [(change.kind, change.text) for change in found if change.kind == "usage"]

    assert changes(february) == [
        (
            "usage",
            "Extra data on Internet 500, Jan. 5, 2026 \u2013 Feb. 4, 2026, forgiven as a "
            "courtesy (the first time over): $0.00",
        )
    ]
    assert changes(march) == []
    assert changes(april) == [
        ("usage", "Extra data on Internet 500, March 5, 2026 \u2013 April 4, 2026: +$50.00")
    ]
    assert changes(may) == [("usage", "No extra data on Internet 500 this time: -$50.00")]
    [(_kind, spanish)] = changes(may, "es")
    assert spanish == "Sin datos adicionales en Internet 500 esta vez: -$50.00"
