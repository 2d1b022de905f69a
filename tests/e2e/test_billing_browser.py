"""A customer opens an invoice in the browser, reads why the bill changed, and the
amounts shown add up to the difference from the bill before."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LOGIN_PATH, MOBILE, TIMEOUT_MS, sign_in
from tests.support.bills import Household, golden_household
from tests.support.e2e import money_in
from tests.support.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def household(transactional_db: None) -> Household:
    return golden_household(username="rivera")


def test_a_customer_reads_why_the_bill_changed(
    page: Page, live_server: LiveServer, household: Household
) -> None:
    sign_in(page, live_server.url + LOGIN_PATH, "rivera", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")
    page.get_by_role("link", name="Invoices", exact=True).click()
    april = household.bill(4)
    page.get_by_role("link", name=april.number).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Invoice {april.number}")
    why = page.get_by_role("region", name="Why did my bill change?")
    changes = why.get_by_role("listitem")
    expect(changes).to_have_count(3)
    texts = changes.all_inner_texts()
    assert texts[1] == "Your promotional price for Internet 500 ended on April 4, 2026: +$25.00"
    amounts = [money_in(text) for text in texts]
    difference = money_in(why.locator(".difference").inner_text())
    said = why.get_by_text(re.compile(r"^New charges on your last bill")).inner_text()
    before, after = (money_in(part) for part in said.split(". New charges on this bill"))
    assert sum(amounts) == difference == Decimal("23.25")
    assert (before, after) == (Decimal("53.63"), Decimal("76.88"))
    assert after - before == difference
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"New charges\s*\$76\.88"))

    why.get_by_role("link", name="Read the changes on their own page").click()
    expect(page).to_have_url(re.compile(rf"/billing/invoices/{april.number}/changes/$"))
    expect(page.get_by_role("listitem").filter(has_text="promotional price")).to_have_count(1)
    expect(page.locator(".difference")).to_have_text(
        "Together, the difference from your last bill: +$23.25"
    )


def test_the_bill_history_fits_a_phone(
    browser: Browser, live_server: LiveServer, household: Household
) -> None:
    context = browser.new_context(viewport=MOBILE, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        phone = context.new_page()
        sign_in(phone, live_server.url + LOGIN_PATH, "rivera", PASSWORD)
        phone.goto(live_server.url + "/billing/")
        chart = phone.get_by_role("img", name=re.compile(r"^New charges of your last 6 bills"))
        expect(chart).to_be_visible()
        assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG was drawn
        table = phone.get_by_role("table", name="New charges of your last bills")
        expect(table.get_by_role("row")).to_have_count(7)
        wide = phone.evaluate("document.documentElement.scrollWidth")
        assert wide <= MOBILE["width"]
    finally:
        context.close()
