"""Staff reach the back-office through their own sign-in; customers cannot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import (
    DEMO_CARE,
    DEMO_CUSTOMER,
    STAFF_LOGIN_PATH,
    DemoSite,
    sign_in,
    sign_in_staff,
)

pytestmark = pytest.mark.browser


def test_anonymous_visitor_is_sent_to_the_staff_sign_in(page: Page, demo_site: DemoSite) -> None:
    page.goto(demo_site.at("/backoffice/"))
    expect(page).to_have_url(demo_site.at(f"{STAFF_LOGIN_PATH}?next=/backoffice/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Back-office sign-in")
    expect(page).to_have_title(re.compile(r"^Staff sign-in"))
    # No link to the customers' password reset here.
    expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(0)


def test_customer_signing_in_to_the_backoffice_is_forbidden(
    page: Page, demo_site: DemoSite
) -> None:
    sign_in(page, demo_site.at("/backoffice/"), *DEMO_CUSTOMER)
    expect(page.get_by_role("alert")).to_contain_text("This sign-in is for staff")
    expect(page.get_by_role("searchbox")).to_have_count(0)

    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    again = page.goto(demo_site.at("/backoffice/"))
    assert again is not None
    assert again.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can't open this page")
    customer = page.goto(demo_site.at(f"/backoffice/customers/{demo_site.account_number}/"))
    assert customer is not None
    assert customer.status == 403


def test_care_finds_the_demo_account_by_number_and_opens_it(
    page: Page, demo_site: DemoSite
) -> None:
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_CARE)
    expect(page).to_have_url(demo_site.at("/backoffice/"))
    search = page.get_by_role("searchbox")
    expect(search).to_be_focused()  # autofocus: staff can type at once

    search.fill(demo_site.display_number)
    search.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 account found")
    results = page.get_by_role("table", name="Matching customer accounts")
    expect(results).to_contain_text("Maria Rivera")
    expect(results).to_contain_text("418 Willow Bend Road")

    results.get_by_role("link", name=demo_site.display_number).click()
    expect(page).to_have_url(demo_site.at(f"/backoffice/customers/{demo_site.account_number}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria Rivera")
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo_site.display_number)

    services = page.locator("table").filter(
        has=page.get_by_role("columnheader", name="Plan", exact=True)
    )
    for plan in ("Internet Ultra 500", "TV Silver", "Mobile Unlimited", "Mobile By the Gig"):
        expect(services.get_by_role("cell", name=plan)).to_be_visible()
    expect(page.get_by_role("cell", name="DRG54A7710392")).to_be_visible()
    # Customer care has no audit permission, so no staff activity.
    expect(page.get_by_role("heading", name="Recent staff activity")).to_have_count(0)
