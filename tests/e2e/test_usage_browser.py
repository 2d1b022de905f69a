"""A customer reads their data usage in the browser: the meter, the warning in words, the
charts drawn and their tables; the page fits a phone and axe finds nothing, in English
and in Spanish."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.core import clock
from dropline.customers.cycles import cycle_containing
from tests.e2e.support import DESKTOP, LOGIN_PATH, MOBILE, TIMEOUT_MS, axe_violations, sign_in
from tests.support.factories import PASSWORD
from tests.support.usage_meter import add_line, gb, metered_customer, record_days, spread

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def household(transactional_db: None) -> None:
    customer, internet = metered_customer("heavy", label="Home internet")
    cycle = cycle_containing(customer.account.bill_cycle_day, clock.today())
    # Already past the 1.2 TB allowance: a warning in words, whatever day it is.
    record_days(internet, spread(gb(1300), first=cycle.start, last=clock.today()))
    line = add_line(customer, phone="+13195550142")
    record_days(line, {clock.today(): gb(2)})


def _check(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # type: ignore[index]
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_usage_page_reads_well_on_a_phone_and_a_desktop(
    browser: Browser, live_server: LiveServer, household: None, language: str
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale=language)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server.url + LOGIN_PATH, "heavy", PASSWORD)
        nav = page.get_by_role("navigation", name=re.compile("Main|Principal"))
        nav.get_by_role("link", name="Data usage" if language == "en" else "Uso de datos").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Data usage" if language == "en" else "Uso de datos"
        )
        page.wait_for_load_state("load")
        home = page.get_by_role("region", name="Home internet", exact=True)
        expect(home.locator("meter")).to_be_visible()
        over = "more than your allowance" if language == "en" else "más de los datos incluidos"
        expect(home.locator(".usage-warning")).to_contain_text(over)
        for image in home.get_by_role("img").all():
            expect(image).to_be_visible()
            assert image.evaluate("img => img.naturalWidth") > 0  # the SVG was drawn
        days = clock.today() - cycle_containing(15, clock.today()).start
        home.locator("summary").click()
        daily = home.locator("table.usage-daily tbody tr")
        expect(daily).to_have_count(days.days + 1)
        expect(page.get_by_role("region", name="(319) 555-0142", exact=True)).to_be_visible()
        _check(page)
        page.set_viewport_size(MOBILE)
        page.reload()
        _check(page)
    finally:
        context.close()
