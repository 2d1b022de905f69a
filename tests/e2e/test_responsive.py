"""On a phone-sized screen nothing makes the page scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import LOGIN_PATH, MOBILE, DemoSite

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_overview_fits_a_390px_screen(customer_page: Page) -> None:
    page = customer_page
    page.set_viewport_size(MOBILE)
    page.reload()
    expect(page.get_by_role("heading", name="Your services")).to_be_visible()
    assert page.evaluate("window.innerWidth") == MOBILE["width"]
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"page is wider than the screen: {widths}"
    # The header's language and sign-out buttons stay on screen.
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("button", name="Sign out")).to_be_in_viewport()
    expect(banner.get_by_role("button", name="Español")).to_be_in_viewport()


def test_sign_in_fits_a_390px_screen(page: Page, demo_site: DemoSite) -> None:
    page.set_viewport_size(MOBILE)
    page.goto(demo_site.at(LOGIN_PATH))
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_in_viewport()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
