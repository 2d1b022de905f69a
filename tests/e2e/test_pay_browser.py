"""Pay now in the browser: the demo customer adds a card on the simulator's page, pays
the amount due, reads the receipt with its confirmation number, and a double click on
"Pay" pays once (on PostgreSQL: the test server on SQLite's in-memory database shares one
connection among its request threads, so two requests at once are not two transactions
there as they are behind ``dropline serve``). The new pages have nothing axe-core rates
as a violation, in English and in Spanish, on a desktop and on a 390px phone, and none
scrolls sideways."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.e2e.checks import page_problems
from tests.e2e.support import (
    DEMO_CUSTOMER,
    MOBILE,
    DemoSite,
    axe_violations,
    confirm_password_if_asked,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PAGES = ["/billing/", "/billing/pay/", "/billing/payments/", "/billing/methods/"]


def assert_fine(page: Page, *, spanish: bool = False) -> None:
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"
    path = page.url.split("//", 1)[1].split("/", 1)[1]
    problems = page_problems(page, "/" + path, spanish=spanish)
    assert not problems, f"{page.url}: {problems}"


def test_add_a_card_and_pay_the_amount_due(customer_page: Page, demo_site: DemoSite) -> None:
    from dropline.payments.models import Payment

    page = customer_page
    before = Payment.objects.count()
    page.goto(demo_site.at("/billing/methods/"))
    page.get_by_role("link", name="Add a card or bank account").click()
    confirm_password_if_asked(page, DEMO_CUSTOMER[1])
    expect(page.get_by_role("heading", name="Test payments")).to_be_visible()
    assert_fine(page)
    page.get_by_label("Name on the card or account").fill("Maria Rivera")
    page.get_by_label("Card number").fill("5555 5555 5555 4444")
    page.get_by_label("Expiry month").fill("8")
    page.get_by_label("Expiry year").fill("2031")
    page.get_by_label("Security code").fill("123")
    page.get_by_role("button", name="Save this method").click()
    expect(page.get_by_text("Mastercard •••• 4444 is saved")).to_be_visible()
    assert "5555555555554444" not in page.content()

    page.goto(demo_site.at("/billing/"))
    page.get_by_role("link", name="Pay now").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay your bill")
    due = page.get_by_label(re.compile(r"^Amount due: "))
    expect(due).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Visa •••• 4242"))).to_be_checked()
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your payment is made")
    number = page.locator("#confirmation-number").inner_text()
    assert re.fullmatch(r"P\d{9}", number)
    expect(page.get_by_role("main")).to_contain_text("Balance after this payment")
    assert Payment.objects.count() == before + 1
    assert_fine(page)

    page.goto(demo_site.at("/billing/payments/"))
    expect(page.get_by_role("link", name=number)).to_be_visible()


@pytest.mark.postgres
def test_a_double_click_on_pay_pays_once(customer_page: Page, demo_site: DemoSite) -> None:
    from dropline.payments.models import Payment

    page = customer_page
    before = Payment.objects.count()
    page.goto(demo_site.at("/billing/pay/"))
    expect(page.get_by_label(re.compile(r"^Amount due: "))).to_be_checked()
    page.get_by_role("button", name="Pay", exact=True).dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your payment is made")
    assert Payment.objects.count() == before + 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_payment_pages_on_a_phone(browser: Browser, demo_site: DemoSite, language: str) -> None:
    from tests.e2e.support import sign_in

    context = browser.new_context(viewport=MOBILE, locale=language)
    try:
        page = context.new_page()
        sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
        if page.locator("html").get_attribute("lang") != language:
            with page.expect_navigation():
                page.locator(f"button[name=language][value={language}]").click()
        for path in PAGES:
            page.goto(demo_site.at(path))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_fine(page, spanish=language == "es")
    finally:
        context.close()
