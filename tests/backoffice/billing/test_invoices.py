"""Finding an invoice and reading it: the search filters by number, account, bill cycle
and status without counting the table; the invoice shows its header, its line items and
its ledger postings with the books in words, what it replaces or was replaced by, and
links to the account and its statement; the statement runs the balance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts import roles
from dropline.billing.adjustments import void_invoice
from dropline.billing.models import Invoice
from dropline.billing.search import normalize_invoice_number
from dropline.core import clock
from tests.support.billing import at
from tests.support.staff import make_staff
from tests.support.staff_billing import billed_account, visible_text

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def agent(client):
    client.force_login(make_staff(username="reader", role=roles.CUSTOMER_CARE))
    return client


def numbers_listed(client, **params) -> list[str]:
    html = client.get(reverse("backoffice:invoices"), params).content.decode()
    return [n for n in Invoice.objects.values_list("number", flat=True) if f">{n}</a>" in html]


def test_the_search_filters_by_number_account_cycle_and_status(agent):
    first = billed_account(months=3)
    other = billed_account(months=1, catalog=first.catalog)
    jan, feb, mar = (invoice.number for invoice in first.invoices)
    theirs = other.invoices[0].number
    assert set(numbers_listed(agent)) == {jan, feb, mar, theirs}
    assert numbers_listed(agent, number=feb) == [feb]
    assert numbers_listed(agent, number="inv-2") == [feb]  # typed loosely
    assert set(numbers_listed(agent, account=first.account.display_number)) == {jan, feb, mar}
    assert set(numbers_listed(agent, period_from="2026-02-05")) == {feb, mar}
    assert set(numbers_listed(agent, period_to="2026-01-31")) == {jan, theirs}
    assert numbers_listed(agent, period_from="2026-02-01", period_to="2026-02-28") == [feb]
    assert set(numbers_listed(agent, status="open")) == {jan, feb, mar, theirs}
    assert numbers_listed(agent, status="void") == []
    assert numbers_listed(agent, account="999999999999") == []


def test_a_bad_filter_is_shown_and_the_others_still_apply(agent):
    billed = billed_account(months=2)
    html = agent.get(
        reverse("backoffice:invoices"),
        {"period_from": "not a date", "number": billed.invoices[0].number},
    ).content.decode()
    assert 'id="id_period_from_error"' in html
    assert f">{billed.invoices[0].number}</a>" in html
    assert f">{billed.invoices[1].number}</a>" not in html


def test_the_search_never_counts_the_invoices(agent):
    billed_account(months=2)
    with CaptureQueriesContext(connection) as queries:
        response = agent.get(reverse("backoffice:invoices"), {"status": "open"})
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_no_match_says_so(agent):
    billed_account(months=1)
    html = agent.get(reverse("backoffice:invoices"), {"number": "INV-00000099"}).content
    assert b"No invoice matches these filters." in html


def test_the_invoice_shows_its_header_lines_and_postings_in_words(agent):
    billed = billed_account(months=2)
    invoice = billed.invoices[1]
    html = agent.get(reverse("backoffice:invoice", args=[invoice.number])).content.decode()
    text = visible_text(html)
    assert f"Invoice {invoice.number}" in text
    assert billed.account.display_number in text
    assert "Feb. 5, 2026 to March 4, 2026" in text
    assert "Unpaid" in text
    assert "$46.13" in text  # new charges
    assert "$92.26" in text  # amount due, with January carried
    assert "Regulatory recovery fee (2.5%)" in text
    # The ledger: receivable debited, revenue and the fee's payable credited, in words.
    assert "Ledger postings" in text
    assert "Accounts receivable" in text
    assert "Revenue" in text
    assert "Taxes and fees payable" in text
    assert "receivable" not in html.replace("Accounts receivable", "")
    assert reverse("backoffice:customer", args=[billed.account.number]) in html
    assert reverse("backoffice:statement", args=[billed.account.number]) in html


def test_a_voided_invoice_and_its_replacement_link_each_other(client):
    billed = billed_account(months=1)
    wrong = billed.invoices[0]
    with clock.frozen(at(D(2026, 1, 6))):
        replacement = void_invoice(invoice=wrong, reason="Wrong plan")
    assert replacement is not None
    client.force_login(make_staff(username="linker", role=roles.BILLING))
    old = client.get(reverse("backoffice:invoice", args=[wrong.number])).content.decode()
    assert "Void" in visible_text(old)
    assert f'href="{reverse("backoffice:invoice", args=[replacement.number])}"' in old
    assert "Void and re-issue" not in old  # nothing left to void
    assert "Credit note" in visible_text(old)  # the reversal, posted under its number
    new = client.get(reverse("backoffice:invoice", args=[replacement.number])).content.decode()
    assert "Replaces" in visible_text(new)
    assert f'href="{reverse("backoffice:invoice", args=[wrong.number])}"' in new


def test_an_unknown_invoice_is_404_and_a_loose_number_goes_to_the_right_one(agent):
    billed = billed_account(months=1)
    assert agent.get(reverse("backoffice:invoice", args=["INV-00000077"])).status_code == 404
    response = agent.get(reverse("backoffice:invoice", args=["inv-1"]))
    assert response.status_code == 302
    assert response.url == reverse("backoffice:invoice", args=[billed.invoices[0].number])


def test_invoice_numbers_are_normalized():
    assert normalize_invoice_number(" inv-00000042 ") == "INV-00000042"
    assert normalize_invoice_number("42") == "INV-00000042"
    assert normalize_invoice_number("INV42") == "INV-00000042"
    assert normalize_invoice_number("nonsense") == "NONSENSE"


def test_the_statement_runs_the_balance_newest_first(agent):
    billed = billed_account(months=3)
    html = agent.get(reverse("backoffice:statement", args=[billed.account.number])).content
    text = visible_text(html.decode())
    assert "$138.39" in text  # the balance after three unpaid bills
    positions = [text.index(invoice.number) for invoice in billed.invoices]
    assert positions == sorted(positions, reverse=True)
    for invoice in billed.invoices:
        assert reverse("backoffice:invoice", args=[invoice.number]).encode() in html


def test_a_statement_of_an_account_with_nothing_posted_says_so(agent, make_customer):
    customer = make_customer(username="fresh")
    html = agent.get(reverse("backoffice:statement", args=[customer.account.number])).content
    assert b"Nothing has been posted to this account yet." in html
    assert agent.get(reverse("backoffice:statement", args=["123"])).status_code == 404
