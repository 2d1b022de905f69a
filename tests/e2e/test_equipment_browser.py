"""Restarting the gateway in a browser, as the demo customer: the device page, the
confirmation saying what will happen, then the progress page that asks the server by
itself and shows the gateway back without a reload of the customer's own; the equipment
pages fit a phone, in English and Spanish, and axe finds nothing serious on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.core import clock
from dropline.network.models import DeviceAction, Equipment
from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import (
    DEMO_CUSTOMER,
    MOBILE,
    TIMEOUT_MS,
    DemoSite,
    confirm_password_if_asked,
    sign_in,
)

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


def test_restart_the_gateway_and_see_it_come_back(phone: Page, demo_site: DemoSite) -> None:
    page = phone
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    page.get_by_role("navigation").get_by_role("link", name="Equipment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equipment")
    gateway = _gateway()
    page.get_by_role("link", name=str(gateway.model)).click()
    expect(page.get_by_text("Online").first).to_be_visible()
    # By keyboard: focus the link and press Enter, then the button the same way.
    restart_link = page.get_by_role("link", name="Restart this device")
    restart_link.focus()
    restart_link.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Restart your {gateway.model}?")
    expect(page.get_by_text("Your internet will be off for about 2 minutes.")).to_be_visible()
    restart_now = page.get_by_role("button", name="Restart now")
    restart_now.focus()
    restart_now.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Restarting")
    expect(page.get_by_role("status")).to_contain_text("back in about 2 minutes")
    assert page_problems(page, "/equipment/", spanish=False) == {}
    assert axe_problems(page) == []
    action = DeviceAction.objects.get(equipment=gateway, status="running")
    # A minute and a bit later (the live server answers from this process), the page's
    # script finds the gateway back and shows the result at its next look, within a
    # polling interval (5 s) and the answer's time on a busy machine.
    with clock.frozen(action.requested_at + dt.timedelta(seconds=75)):
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Back online", timeout=3 * TIMEOUT_MS
        )
        expect(page.get_by_role("status")).to_have_text("The device restarted and is back online.")
        page.get_by_role("link", name="Back to the device").click()
        expect(page.get_by_text("Online").first).to_be_visible()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_equipment_pages_fit_a_phone_and_pass_axe(
    phone: Page, demo_site: DemoSite, language: str
) -> None:
    page = phone
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    if language == "es":
        with page.expect_navigation():
            page.locator("button[name=language][value=es]").click()
    gateway = _gateway()
    receiver = Equipment.objects.filter(account=gateway.account, model__kind="receiver").first()
    assert receiver is not None
    paths = [
        "/equipment/",
        f"/equipment/{gateway.pk}/",
        f"/equipment/{gateway.pk}/restart/",
        f"/equipment/{gateway.pk}/wifi/",
        f"/equipment/{receiver.pk}/",
        f"/equipment/{receiver.pk}/restart/",
    ]
    action = DeviceAction.objects.filter(equipment=gateway).first()
    if action is not None:
        paths.append(f"/equipment/{gateway.pk}/restart/{action.pk}/")
    problems = {}
    for path in paths:
        page.goto(demo_site.at(path))
        confirm_password_if_asked(page, DEMO_CUSTOMER[1])
        assert page.url == demo_site.at(path), f"{path} went to {page.url}"
        found = page_problems(page, path, spanish=language == "es")
        axe = axe_problems(page)
        if found or axe:
            problems[path] = {**found, **({"axe": axe} if axe else {})}
    assert problems == {}
