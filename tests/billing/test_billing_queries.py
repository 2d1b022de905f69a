"""The customer's reads of their bills: scoped to the account, newest first, and a fixed
number of queries however many bills there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.billing import queries
from dropline.billing.adjustments import void_invoice
from dropline.billing.models import InvoiceStatus
from dropline.core import clock
from dropline.core.pagination import decode_cursor
from tests.support.billing import at
from tests.support.bills import billed_customer, golden_household
from tests.support.catalog import make_catalog
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


def count(call):
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return result, len(ctx.captured_queries)


def test_the_summary_balance_amount_due_and_last_bill():
    household = golden_household()
    summary = queries.billing_summary(account=household.account)
    # No payments yet: everything billed is owed.
    assert summary.balance_cents == sum(i.total_cents for i in household.invoices) == 42577
    assert summary.amount_due_cents == 42577
    assert summary.due_on == dt.date(2026, 6, 26)
    assert summary.last_invoice == household.bill(6)
    assert summary.last_payment is None


def test_an_account_without_bills_owes_nothing():
    customer = make_customer(username="nobills")
    summary = queries.billing_summary(account=customer.account)
    assert (summary.balance_cents, summary.amount_due_cents, summary.due_on) == (0, 0, None)
    assert summary.last_invoice is None
    assert queries.recent_bills(account=customer.account) == []


def test_a_voided_bill_is_not_the_last_one_and_its_replacement_is_due():
    household = billed_customer(username="voided", months=2)
    with clock.frozen(at(dt.date(2026, 2, 6))):
        replacement = void_invoice(invoice=household.invoices[-1], reason="Wrong address")
    assert replacement is not None
    summary = queries.billing_summary(account=household.account)
    assert summary.last_invoice == replacement
    assert summary.amount_due_cents == replacement.amount_due_cents
    assert [bill.number for bill in queries.recent_bills(account=household.account)] == [
        household.invoices[0].number,
        replacement.number,
    ]
    numbers = [i.number for i in queries.invoices_page(account=household.account, page=1).rows]
    assert numbers == [
        replacement.number,
        household.invoices[1].number,
        household.invoices[0].number,
    ]
    assert household.invoices[1].number in numbers  # the void one stays listed, marked void
    household.invoices[1].refresh_from_db()
    assert household.invoices[1].status == InvoiceStatus.VOID


def test_another_accounts_invoice_number_is_not_found():
    catalog = make_catalog()
    mine = billed_customer(username="mine", months=1, catalog=catalog)
    theirs = billed_customer(username="theirs", months=1, catalog=catalog)
    number = theirs.invoices[0].number
    assert queries.invoice_for(account=mine.account, number=number) is None
    assert queries.invoice_for(account=theirs.account, number=number) == theirs.invoices[0]
    assert queries.invoice_for(account=theirs.account, number=number.lower()) is not None
    assert queries.invoice_for(account=mine.account, number="INV-99999999") is None


def test_invoices_newest_first_in_pages_and_by_cursor():
    household = billed_customer(username="pages", months=14)
    newest_first = [i.number for i in reversed(household.invoices)]
    first = queries.invoices_page(account=household.account, page=1)
    second = queries.invoices_page(account=household.account, page=2)
    assert [i.number for i in first.rows] == newest_first[:12]
    assert first.has_next
    assert not first.has_previous
    assert [i.number for i in second.rows] == newest_first[12:]
    assert not second.has_next

    seen = []
    after = None
    while True:
        page = queries.invoices_after(account=household.account, after=after, limit=5)
        seen += [i.number for i in page.rows]
        if page.next_cursor is None:
            break
        after = decode_cursor(page.next_cursor)
    assert seen == newest_first


def test_the_chart_has_the_last_twelve_bills_oldest_first():
    household = billed_customer(username="chart", months=14)
    bills = queries.recent_bills(account=household.account)
    assert [b.number for b in bills] == [i.number for i in household.invoices[2:]]


@pytest.mark.parametrize("months", [1, 6])
def test_reads_take_the_same_queries_however_many_bills(months, memory_cache):
    household = billed_customer(username=f"q{months}", months=months)
    account = household.account
    latest = household.invoices[-1]
    _, summary = count(lambda: queries.billing_summary(account=account))
    _, page = count(lambda: queries.invoices_page(account=account, page=1))
    _, chart = count(lambda: queries.recent_bills(account=account))
    _, detail = count(lambda: queries.invoice_detail(invoice=latest, language="en"))
    _, changes = count(lambda: queries.invoice_changes(invoice=latest, language="en"))
    assert (summary, page, chart) == (2, 1, 1)  # the ledger read brings the latest payment too
    _, kept = count(lambda: queries.billing_summary(account=account))
    assert kept == 0  # the summary is the account's read model until a posting drops it
    assert detail == 4  # lines, the services' names, a replacement, payments since the last
    assert changes <= 3  # the bill before, and the lines of both


def test_the_statement_brings_the_balance_forward():
    household = golden_household(username="stmt")
    statement = queries.account_statement(
        account=household.account, since=dt.date(2026, 3, 1), until=dt.date(2026, 5, 31)
    )
    assert statement.opening_cents == 4613 * 2
    assert [row.reference for row in statement.rows] == [
        household.bill(n).number for n in (3, 4, 5)
    ]
    assert statement.closing_cents == 4613 * 2 + 5363 + 7688 + 13100
