"""The guided troubleshooter in a browser, as the demo customer on a phone: from the
equipment page, "My internet is down", the checks found, a real restart of the gateway
whose progress the page follows by itself, "No, still not working", and the booking
link with the visit's reason, what was tried and the run filled in. Every page fits a
390px phone and axe finds nothing, in English and in Spanish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from dropline.core import clock
from dropline.helpdesk.models import TroubleshootingRun
from dropline.network.models import DeviceAction, Equipment
from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import DEMO_CUSTOMER, MOBILE, TIMEOUT_MS, DemoSite, sign_in

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


def _gateway() -> Equipment:
    return Equipment.objects.get(account__members__user__username="demo", model__kind="gateway")


def _checked(page: Page, path: str, *, spanish: bool = False) -> None:
    assert page_problems(page, path, spanish=spanish) == {}
    assert axe_problems(page) == []


def test_internet_down_restart_still_down_ends_at_the_booking_link(
    phone: Page, demo_site: DemoSite
) -> None:
    page = phone
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    page.goto(demo_site.at("/equipment/"))
    page.get_by_role("link", name="Something not working? Fix it step by step").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fix a problem")
    _checked(page, "/support/troubleshoot/")

    # By keyboard: the problem, then the restart.
    down = page.get_by_role("button", name="My internet is down")
    down.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My internet is down")
    step = page.get_by_role("region", name="Restart your gateway")
    expect(step).to_contain_text("Your gateway is online.")
    expect(step).to_contain_text("Your internet will be off for about 2 minutes.")
    _checked(page, "/support/troubleshoot/")
    restart = page.get_by_role("button", name="Restart it now")
    restart.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Your gateway is restarting")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("back in about 2 minutes")
    tried = page.get_by_role("region", name="What we have tried")
    expect(tried).to_contain_text("Restarted your gateway from here.")
    _checked(page, "/support/troubleshoot/")
    action = DeviceAction.objects.get(equipment=_gateway(), status="running")

    # A minute and a bit later the page's script finds the gateway back and asks.
    with clock.frozen(action.requested_at + dt.timedelta(seconds=75)):
        expect(page.get_by_role("heading", level=2)).to_have_text(
            ["What we have tried", "Is it working now?"], timeout=3 * TIMEOUT_MS
        )
        expect(page.get_by_text("Your gateway restarted and is back online.")).to_be_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="No, still not working").click()
        region = page.get_by_role("region", name="Book a technician visit")
        expect(region).to_contain_text("A restart did not fix it.")
        _checked(page, "/support/troubleshoot/")
        link = region.get_by_role("link", name="Choose a time for the visit")
        href = link.get_attribute("href")

    run = TroubleshootingRun.objects.get(account__members__user__username="demo")
    assert href is not None
    address = urlsplit(href)
    assert address.path == "/appointments/book/"
    query = parse_qs(address.query)
    assert query["reason"] == ["repair"]
    assert query["run"] == [str(run.pk)]
    assert query["details"] == [
        "My internet is down. Restarted your gateway from here. After the restart: still not "
        "working. A restart did not fix it."
    ]
    assert [(s["step"], s["answer"]) for s in run.steps] == [
        ("restart", "restart"),
        ("restart", "no"),
        ("book_visit", ""),
    ]


def test_the_troubleshooter_in_spanish_fits_a_phone(phone: Page, demo_site: DemoSite) -> None:
    page = phone
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    with page.expect_navigation():
        page.locator("button[name=language][value=es]").click()
    page.goto(demo_site.at("/support/troubleshoot/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Resolver un problema")
    _checked(page, "/support/troubleshoot/", spanish=True)
    for problem in ("Mi internet va lento", "Mi TV no tiene imagen"):
        page.goto(demo_site.at("/support/troubleshoot/"))
        with page.expect_navigation():
            page.get_by_role("button", name=problem).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(problem)
        _checked(page, "/support/troubleshoot/", spanish=True)
