"""Keyboard users can skip the header straight to the page's content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(customer_page: Page) -> None:
    page = customer_page
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # it shows itself once focused

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert page.url.endswith("#main")
    expect(skip).not_to_be_in_viewport()
