"""The bill-run page in a browser: while a run goes on, its script reads the run's
figures every 2 seconds and moves the progress bar and the live figures without
reloading the page, and says when the run has finished; the page fits a phone and axe
finds nothing serious on it; without scripts it still shows the figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.billing.models import BillRun, BillRunStatus
from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import (
    DEMO_ADMIN,
    MOBILE,
    STAFF_LOGIN_PATH,
    TIMEOUT_MS,
    DemoSite,
    sign_in_staff,
)
from tests.support.staff_billing import bill_run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def _phone(browser: Browser, *, scripts: bool = True) -> Iterator[Page]:
    context = browser.new_context(
        viewport=MOBILE, locale="en-US", bypass_csp=True, java_script_enabled=scripts
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _phone(browser)


def _running_run() -> BillRun:
    return bill_run(
        run_on=dt.date(2020, 1, 5),
        status=BillRunStatus.RUNNING,
        billed=1000,
        chunks=(1, 4),
        minutes=None,
    )


def test_the_progress_moves_while_the_run_goes_on_without_a_reload(
    phone: Page, demo_site: DemoSite
) -> None:
    page = phone
    run = _running_run()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.goto(demo_site.at(f"/backoffice/billing/runs/{run.pk}/"))
    bar = page.locator("#run-bar")
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_attribute("max", "4")
    assert page_problems(page, "/backoffice/billing/runs/", spanish=False) == {}
    assert axe_problems(page) == []
    page.evaluate("window.notReloaded = true")

    BillRun.objects.filter(pk=run.pk).update(chunks_done=3, billed=2500, skipped=7)
    expect(bar).to_have_attribute("value", "3")
    live = page.locator("#run-live")
    expect(live).to_contain_text("2,500")
    expect(live).to_contain_text("7")
    expect(page.locator("#run-chunks")).to_have_text("3 of 4 chunks")

    BillRun.objects.filter(pk=run.pk).update(
        chunks_done=4, billed=3400, status=BillRunStatus.COMPLETED
    )
    expect(page.locator("#run-status")).to_have_text("Completed")
    expect(page.locator("#run-finished-note")).to_be_visible()
    expect(page.locator("#run-refresh-note")).to_be_hidden()
    expect(live).to_contain_text("3,400")
    assert page.evaluate("window.notReloaded") is True


def test_without_scripts_the_page_shows_the_figures(browser: Browser, demo_site: DemoSite) -> None:
    run = _running_run()
    # Signing in needs no script; the page is read with scripts off.
    for page in _phone(browser, scripts=False):
        sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
        page.goto(demo_site.at(f"/backoffice/billing/runs/{run.pk}/"))
        expect(page.locator("#run-live")).to_contain_text("1,000")
        expect(page.locator("#run-chunks")).to_have_text("1 of 4 chunks")
        assert page.locator('noscript meta[http-equiv="refresh"]').count() == 1


def test_the_run_page_reads_in_spanish(phone: Page, demo_site: DemoSite) -> None:
    page = phone
    run = _running_run()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.goto(demo_site.at(f"/backoffice/billing/runs/{run.pk}/"))
    with page.expect_navigation():
        page.locator("button[name=language][value=es]").click()
    expect(page.locator("#run-chunks")).to_have_text("1 de 4 lotes")
    assert page_problems(page, "/backoffice/billing/runs/", spanish=True) == {}
    BillRun.objects.filter(pk=run.pk).update(chunks_done=2, billed=1500)
    expect(page.locator("#run-chunks")).to_have_text("2 de 4 lotes")
    expect(page.locator("#run-live")).to_contain_text("1\xa0500")  # as the server says it
