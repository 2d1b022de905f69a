"""The help centre in a browser: signed out, in both languages, on a 390px phone, the
hub, a search, a topic and an article fit the screen and axe finds nothing; "Was this
helpful?" works from the keyboard without any script; the signed-in customer reaches
the hub from the navigation and sees their requests and visits."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import MOBILE, DemoSite, axe_violations

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
SEARCHES = {
    "en": ("restart modem", "Yes", "Thank you for telling us."),
    "es": ("reiniciar módem", "Sí", "Gracias por decírnoslo."),
}


def _checked(page: Page) -> None:
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("language", ["en", "es"])
def test_help_pages_signed_out(browser: Browser, demo_site: DemoSite, language: str) -> None:
    context = browser.new_context(viewport=MOBILE, locale=language, java_script_enabled=False)
    query, yes, thanks = SEARCHES[language]
    try:
        page = context.new_page()
        page.goto(demo_site.at("/support/"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        _checked_without_script(browser, demo_site, "/support/", language)
        box = page.get_by_role("searchbox")
        box.fill(query)
        box.press("Enter")
        expect(page.get_by_role("searchbox")).to_have_value(query)
        expect(page.locator("mark").first).to_be_visible()
        _checked_without_script(browser, demo_site, page.url, language)
        page.locator(".help-results a").first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _checked_without_script(browser, demo_site, page.url, language)
        page.get_by_role("button", name=yes, exact=True).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(thanks)).to_be_visible()
        _checked_without_script(browser, demo_site, "/support/topics/equipment/", language)
    finally:
        context.close()


def _checked_without_script(browser: Browser, demo_site: DemoSite, url: str, language: str) -> None:
    """axe needs script: the same page in a context that runs it."""
    context = browser.new_context(viewport=MOBILE, locale=language, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(url if url.startswith("http") else demo_site.at(url))
        _checked(page)
    finally:
        context.close()


def test_the_customer_reaches_support_from_the_navigation(customer_page: Page) -> None:
    page = customer_page
    page.set_viewport_size(MOBILE)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    expect(page.get_by_role("heading", level=1, name="Support")).to_be_visible()
    ways = page.get_by_role("list", name="Ways to get help")
    expect(ways.get_by_role("link", name="Your requests")).to_be_visible()
    expect(ways.get_by_role("link", name="Technician visits")).to_be_visible()
    _checked(page)
