"""The customer hub's billing section: the balance, the latest invoices and the charges
and credits waiting for the next bill, with links to the invoices, the statement and
entering a charge or credit; shown only when the account has something there, and only
to staff who may read invoices."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts import roles
from dropline.billing.adjustments import enter_adjustment
from tests.support.staff import make_staff
from tests.support.staff_billing import billed_account, visible_text

pytestmark = pytest.mark.django_db


def section(html: str) -> str:
    found = re.search(r'<section class="hub-billing".*?</section>', html, re.S)
    return found.group(0) if found else ""


def hub(client, account) -> str:
    return client.get(reverse("backoffice:customer", args=[account.number])).content.decode()


def test_an_account_with_bills_shows_its_balance_invoices_and_links(client):
    billed = billed_account(months=4)
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    html = section(hub(client, billed.account))
    text = visible_text(html)
    assert "Bills and balance" in text
    # Three unpaid bills of $46.13 and April's $71.75, once the spring offer ended.
    assert "$210.14" in text
    newest_three = [invoice.number for invoice in reversed(billed.invoices[1:])]
    assert re.findall(r"INV-\d{8}", text) == newest_three
    assert billed.invoices[0].number not in text
    assert reverse("backoffice:statement", args=[billed.account.number]) in html
    assert f"{reverse('backoffice:invoices')}?account={billed.account.number}" in html


def test_charges_and_credits_waiting_for_the_next_bill_are_listed(client, make_customer):
    account = make_customer(username="waiting").account
    enter_adjustment(
        account=account,
        kind="credit",
        amount_cents=500,
        description="Goodwill credit",
        reason="Long wait on the phone",
    )
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    text = visible_text(section(hub(client, account)))
    assert "Waiting for the next bill" in text
    assert "Goodwill credit" in text
    assert "-$5.00" in text
    assert "Long wait on the phone" in text
    assert "$0.00" in text  # nothing posted yet


def test_an_account_with_nothing_billed_has_no_billing_section(client, make_customer):
    account = make_customer(username="new").account
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    html = hub(client, account)
    assert section(html) == ""
    assert "Bills and balance" not in html
    # Billing can still enter the first charge from the hub's links.
    assert reverse("backoffice:adjustment_new", args=[account.number]) in html


def test_staff_who_cannot_read_invoices_see_no_billing_section(client):
    billed = billed_account(months=1)
    client.force_login(make_staff(username="dispatch", role=roles.FIELD_DISPATCH))
    html = hub(client, billed.account)
    assert section(html) == ""
    assert billed.invoices[0].number not in html
    assert reverse("backoffice:adjustment_new", args=[billed.account.number]) not in html


def test_customer_care_sees_the_section_without_the_link_to_enter_a_charge(client):
    billed = billed_account(months=1)
    client.force_login(make_staff(username="carer", role=roles.CUSTOMER_CARE))
    html = hub(client, billed.account)
    assert billed.invoices[0].number in section(html)
    assert reverse("backoffice:adjustment_new", args=[billed.account.number]) not in html


def test_the_section_costs_the_same_queries_for_many_bills_as_for_one(client):
    one = billed_account(months=1)
    many = billed_account(months=6, catalog=one.catalog)
    client.force_login(make_staff(username="counter", role=roles.BILLING))
    # Warm the session, the permissions cache and each account's read models.
    hub(client, one.account)
    hub(client, many.account)

    def queries(account) -> int:
        with CaptureQueriesContext(connection) as captured:
            hub(client, account)
        return len(captured)

    assert queries(one.account) == queries(many.account)
    # And with nothing kept: the read models are built at the same cost for both.
    cache.clear()
    cold_one = queries(one.account)
    cache.clear()
    assert cold_one == queries(many.account)
