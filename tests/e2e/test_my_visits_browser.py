"""A technician's own visits on a phone: the demo technician signs in at 390px, lands on
"My visits", opens the day of the household's upcoming visit and taps "On my way" with
20 minutes; the customer's visit page, open meanwhile, says the technician is on the way
with the expected arrival without a reload. The page fits the phone, every tap target is
44 by 44, and axe finds nothing, in English and in Spanish."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.checks import MIN_TARGET, SMALL_TARGETS, page_problems
from tests.e2e.support import (
    MOBILE,
    STAFF_LOGIN_PATH,
    TIMEOUT_MS,
    DemoSite,
    axe_violations,
    sign_in_staff,
)

if TYPE_CHECKING:
    from dropline.field.models import Appointment

pytestmark = pytest.mark.browser

DEMO_TECHNICIAN = ("technician", "dropline-technician-demo")
# The customer's page asks every 10 seconds; allow for a busy machine.
POLLED_MS = 30_000


def _upcoming() -> Appointment:
    from dropline.field.models import Appointment
    from dropline.seeding.demo.appointments import UPCOMING_DETAILS

    return Appointment.objects.select_related("window").get(details=UPCOMING_DETAILS)


def _technician_page(browser: Browser, demo_site: DemoSite) -> Page:
    """A phone where the demo technician has signed in: they land on their visits."""
    context = browser.new_context(viewport=MOBILE, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_TECHNICIAN)
    expect(page).to_have_url(demo_site.at("/backoffice/my-visits/"))
    expect(page.get_by_role("heading", level=1, name="My visits")).to_be_visible()
    return page


def _fits_the_phone(page: Page, *, spanish: bool = False) -> None:
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"
    problems = page_problems(page, urlsplit(page.url).path, spanish=spanish)
    assert not problems, f"{page.url}: {problems}"
    small = page.evaluate(SMALL_TARGETS, MIN_TARGET)
    assert not small, f"{page.url}: {small}"


def test_on_my_way_from_the_phone_shows_on_the_customers_page(
    browser: Browser, customer_page: Page, demo_site: DemoSite
) -> None:
    visit = _upcoming()
    customer_page.goto(demo_site.at(f"/appointments/{visit.pk}/"))
    expect(customer_page.locator("[data-tracking-status]")).to_have_text("Your visit is booked.")
    customer_page.evaluate("document.body.dataset.notReloaded = 'yes'")

    page = _technician_page(browser, demo_site)
    _fits_the_phone(page)
    page.get_by_role("link", name="Day after").click()
    day = visit.window.date.isoformat()
    page.goto(demo_site.at(f"/backoffice/my-visits/?day={day}"))
    card = page.locator(".visit-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Scheduled")
    _fits_the_phone(page)
    card.get_by_label("Minutes to arrival").select_option("20")
    card.get_by_role("button", name="On my way").click()
    expect(page.get_by_text("You are on your way; the customer is told")).to_be_visible()
    expect(card).to_contain_text("On the way")
    expect(card.get_by_role("button", name="I have arrived")).to_be_visible()
    _fits_the_phone(page)

    expect(customer_page.locator("[data-tracking-status]")).to_have_text(
        "Rosa is on the way.", timeout=POLLED_MS
    )
    expect(customer_page.locator("[data-tracking-eta]")).not_to_be_empty()
    assert customer_page.evaluate("document.body.dataset.notReloaded") == "yes"
    page.context.close()


def test_my_visits_in_spanish_on_a_phone(browser: Browser, demo_site: DemoSite) -> None:
    visit = _upcoming()
    page = _technician_page(browser, demo_site)
    with page.expect_navigation():
        page.locator("button[name=language][value=es]").click()
    assert page.locator("html").get_attribute("lang") == "es"
    for path in ("/backoffice/my-visits/", f"/backoffice/my-visits/?day={visit.window.date}"):
        page.goto(demo_site.at(path))
        expect(page.get_by_role("heading", level=1, name="Mis visitas")).to_be_visible()
        _fits_the_phone(page, spanish=True)
    expect(page.get_by_role("button", name="Voy en camino")).to_be_visible()
    page.context.close()
