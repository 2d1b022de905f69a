"""axe-core finds no WCAG violations on the pages people use most."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import (
    DEMO_ADMIN,
    DEMO_CUSTOMER,
    DESKTOP,
    LOGIN_PATH,
    MOBILE,
    STAFF_LOGIN_PATH,
    DemoSite,
    axe_violations,
    sign_in_staff,
)

pytestmark = pytest.mark.browser


def assert_accessible(page: Page) -> None:
    """No axe violations on the page as it is now."""
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"


def test_sign_in_page_blank_and_with_an_error(page: Page, demo_site: DemoSite) -> None:
    page.goto(demo_site.at(LOGIN_PATH))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Username or email").fill(DEMO_CUSTOMER[0])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_overview_desktop_then_mobile(customer_page: Page) -> None:
    assert_accessible(customer_page)

    customer_page.set_viewport_size(MOBILE)
    customer_page.reload()
    assert_accessible(customer_page)


def test_backoffice_search_results(page: Page, demo_site: DemoSite) -> None:
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    expect(page).to_have_url(demo_site.at("/backoffice/"))
    page.get_by_role("searchbox").fill("Rivera")
    page.get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("table", name="Matching customer accounts")).to_contain_text(
        "Maria Rivera"
    )
    assert_accessible(page)


def test_backoffice_customer_page_desktop_then_mobile(page: Page, demo_site: DemoSite) -> None:
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.goto(demo_site.at(f"/backoffice/customers/{demo_site.account_number}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria Rivera")
    assert_accessible(page)

    page.set_viewport_size(MOBILE)
    page.reload()
    assert_accessible(page)


# Getting in and keeping the account safe: every page of it, signed out and signed in.
SIGNED_OUT_PAGES = [
    "/accounts/password/reset/",
    "/accounts/recover/email/code/",
    "/accounts/recover/text/",
    "/accounts/recover/text/code/",
    "/accounts/recover/username/",
    "/account/claim/",
    "/account/invitation/",
]
SIGNED_IN_PAGES = [
    "/security/",
    "/security/sessions/",
    "/security/activity/",
    "/accounts/2fa/",
    "/notifications/contacts/",
    "/account/people/",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_getting_in_pages_signed_out(browser: Browser, demo_site: DemoSite, language: str) -> None:
    context = browser.new_context(viewport=DESKTOP, locale=language)
    try:
        page = context.new_page()
        for path in SIGNED_OUT_PAGES:
            page.goto(demo_site.at(path))
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(page)
    finally:
        context.close()


def test_sign_in_security_pages(customer_page: Page, demo_site: DemoSite) -> None:
    for path in SIGNED_IN_PAGES:
        customer_page.goto(demo_site.at(path))
        expect(customer_page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(customer_page)
