"""Outages in a browser: the public status page signed out in both languages, and the
customer's "Is there an outage?" page, where "Tell me when it's fixed" works from the
keyboard; both fit a 390px phone and axe finds nothing on them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import MOBILE, DemoSite, axe_violations

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
STATUS_PAGES = ["/status/", "/status/cedar-falls/", "/status/riverbend-north/"]


def _checked(page: Page) -> None:
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_status_page_signed_out(browser: Browser, demo_site: DemoSite, language: str) -> None:
    context = browser.new_context(viewport=MOBILE, locale=language)
    try:
        page = context.new_page()
        for path in STATUS_PAGES:
            page.goto(demo_site.at(path))
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            _checked(page)
        page.goto(demo_site.at("/status/"))
        name = "Cedar Falls"
        page.get_by_role("link", name=name).click()
        cause = (
            "A power cut at the Cedar Falls hub."
            if language == "en"
            else "Un corte de luz en la central de Cedar Falls."
        )
        expect(page.get_by_text(cause)).to_be_visible()
    finally:
        context.close()


def test_tell_me_when_it_is_fixed_from_the_keyboard(customer_page: Page) -> None:
    page = customer_page
    page.set_viewport_size(MOBILE)
    page.get_by_role("link", name="Outages").first.click()
    expect(page.get_by_role("heading", level=1, name="Is there an outage?")).to_be_visible()
    expect(page.get_by_role("heading", name="No outage at your address")).to_be_visible()
    expect(page.get_by_role("heading", name="Planned maintenance")).to_be_visible()
    expect(page.get_by_role("heading", name="Fixed in the last 7 days")).to_have_count(0)
    _checked(page)
    page.get_by_role("button", name="Tell me when it's fixed").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("We will tell you when it is fixed.")).to_be_visible()
    expect(page.get_by_role("button", name="Stop telling me")).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Stop telling me").click()
    expect(page.get_by_role("button", name="Tell me when it's fixed")).to_be_visible()
