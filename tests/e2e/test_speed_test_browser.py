"""A customer runs a real speed test in Chromium against the live server: chooses how the
device is connected with the keyboard, watches the progress, and sees the result against
the plan with the advice, and the new row in the history. Without JavaScript the page
says the test needs it. The page fits a phone and axe finds nothing, in both languages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.network.models import SpeedTest
from dropline.network.speed_tests import budget as budgets
from dropline.seeding.demo.household import loaded_account
from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import DEMO_CUSTOMER, DESKTOP, MOBILE, TIMEOUT_MS, DemoSite, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PATH = "/speed-test/"


@pytest.fixture(autouse=True)
def short_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two seconds each way: the live server answers from this process."""
    monkeypatch.setattr(budgets, "PHASE_SECONDS", 2)


def test_a_customer_runs_a_speed_test_and_sees_the_result_and_history(
    customer_page: Page, demo_site: DemoSite
) -> None:
    page = customer_page
    account = loaded_account()
    before = SpeedTest.objects.filter(account=account).count()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Speed test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Speed test")
    expect(page.get_by_text("needs JavaScript")).to_be_hidden()

    page.get_by_role("radio", name="Not sure").focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Wired")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Start the speed test")).to_be_focused()
    page.keyboard.press("Enter")

    status = page.locator("#speed-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(re.compile("Measuring"), timeout=TIMEOUT_MS)
    expect(page.locator('[data-figure="latency"]')).to_have_text(
        re.compile(r"^\d+ ms$"), timeout=TIMEOUT_MS
    )

    saved = page.get_by_role("status").filter(has_text="Your speed test is saved.")
    expect(saved).to_be_visible(timeout=30_000)
    tests = list(SpeedTest.objects.filter(account=account).order_by("-id"))
    assert len(tests) == before + 1
    latest = tests[0]
    assert latest.connection == "wired"
    assert latest.streams == budgets.STREAMS
    assert latest.download_kbps > 0
    assert latest.upload_kbps > 0
    assert (latest.plan_download_mbps, latest.plan_upload_mbps) == (500, 50)

    result = page.get_by_role("region", name="Your latest result")
    expect(result).to_contain_text("Wired")
    expect(result).to_contain_text("of your plan's 500 Mbps")
    expect(result.get_by_role("listitem").last).to_contain_text("portal's server")
    history = page.get_by_role("table", name="Your last speed tests, newest first")
    expect(history.locator("tbody tr")).to_have_count(before + 1)
    expect(history.locator("tbody tr").first).to_contain_text("Wired")
    image = page.get_by_role("region", name="Past tests").get_by_role("img")
    assert image.evaluate("img => img.naturalWidth") > 0


def test_without_javascript_the_page_says_it_is_needed(
    browser: Browser, demo_site: DemoSite
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, demo_site.at(PATH), *DEMO_CUSTOMER)
        # Chromium with scripts turned off by Playwright still parses <noscript> as if
        # they ran, so the message is checked in the page's source.
        assert "needs JavaScript" in page.content()
        expect(page.get_by_role("button", name="Start the speed test")).to_be_hidden()
        expect(
            page.get_by_role("table", name="Your last speed tests, newest first")
        ).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_fits_a_phone_and_axe_finds_nothing(
    browser: Browser, demo_site: DemoSite, language: str
) -> None:
    context = browser.new_context(viewport=MOBILE, locale=language, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, demo_site.at(PATH), *DEMO_CUSTOMER)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Speed test" if language == "en" else "Prueba de velocidad"
        )
        assert page_problems(page, PATH, spanish=language == "es") == {}
        assert axe_problems(page) == []
    finally:
        context.close()
