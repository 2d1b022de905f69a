"""The ingest status page in a browser: its script reads the figures every few seconds
and shows new records, kept-aside usernames and rejections without reloading the page;
the page fits a phone and axe finds nothing serious on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.core import clock
from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import (
    DEMO_ADMIN,
    MOBILE,
    STAFF_LOGIN_PATH,
    TIMEOUT_MS,
    DemoSite,
    sign_in_staff,
)
from tests.support.usage_ops import records, rejection

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=MOBILE, locale="en-US", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_figures_move_without_a_reload(phone: Page, demo_site: DemoSite) -> None:
    page = phone
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.goto(demo_site.at("/backoffice/usage/status/"))
    assert page_problems(page, "/backoffice/usage/status/", spanish=False) == {}
    assert axe_problems(page) == []
    kept = page.locator('[data-figure="kept_usernames"]')
    before = int(kept.inner_text().replace(",", ""))
    page.evaluate("window.notReloaded = true")

    now = clock.now()
    records(username="stranger-1", occurred_at=now, received_at=now, count=3)
    records(username="stranger-2", occurred_at=now, received_at=now)
    rejection(reason="No Acct-Status-Type", received_at=now)
    # The page polls every few seconds: wait past expect's own 5 s.
    expect(kept).to_have_text(str(before + 2), timeout=TIMEOUT_MS)
    expect(page.locator('[data-figure="rejections_hour"]')).not_to_have_text(
        "0", timeout=TIMEOUT_MS
    )
    # The four records arrived in one minute, whichever it is by now.
    expect(page.locator("[data-minute]", has_text=re.compile(r"^4$"))).to_have_count(
        1, timeout=TIMEOUT_MS
    )
    assert page.evaluate("window.notReloaded") is True
