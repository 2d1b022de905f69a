"""Technician visits in a browser: the demo customer books a visit, moves it to another
time (the page shows the new window) and cancels it (the page says canceled); on another
visit's page the status changes to "on the way" without a reload when dispatch marks it.
Every page fits a 390px phone and axe finds nothing on it, as do dispatch's pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import (
    DEMO_ADMIN,
    MOBILE,
    STAFF_LOGIN_PATH,
    DemoSite,
    axe_violations,
    sign_in_staff,
)

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The page asks every 10 seconds; allow for a busy machine.
POLLED_MS = 30_000


def _checked(page: Page) -> None:
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways"


def _open_windows_for_demo() -> None:
    """The demo household's area takes visits (the demo's own windows, or these)."""
    from dropline.core import clock
    from dropline.customers.models import CustomerAccount
    from dropline.field.models import (
        OPEN_APPOINTMENT_STATUSES,
        Appointment,
        AppointmentStatus,
        CapacityTemplate,
    )
    from dropline.field.windows import open_windows
    from dropline.seeding.demo.household import loaded_account
    from tests.support.dispatch import weekly_windows

    account = loaded_account()
    assert isinstance(account, CustomerAccount)
    # One open visit at a time: the demo's own, if it has one, is canceled first.
    Appointment.objects.filter(account=account, status__in=OPEN_APPOINTMENT_STATUSES).update(
        status=AppointmentStatus.CANCELED
    )
    area = account.service_address.service_area
    if CapacityTemplate.objects.filter(area=area).exists():
        open_windows(today=clock.today())
    else:
        weekly_windows(area, capacity=3, today=clock.today())


def _choose_first_window(page: Page) -> None:
    page.locator("input[name=window_id]").first.check()


def test_book_reschedule_and_cancel_a_visit(customer_page: Page, demo_site: DemoSite) -> None:
    _open_windows_for_demo()
    page = customer_page
    page.set_viewport_size(MOBILE)
    page.goto(demo_site.at("/appointments/"))
    expect(page.get_by_role("heading", level=1, name="Technician visits")).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Book a visit").first.click()
    expect(page.get_by_role("heading", level=1, name="Book a technician visit")).to_be_visible()
    _checked(page)
    page.get_by_label("Repair").check()
    _choose_first_window(page)
    page.get_by_label("Anything the technician should know (optional)").fill(
        "The gate code is 4711"
    )
    page.get_by_role("button", name="Book the visit").click()
    expect(page.get_by_text("We booked your visit")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Technician visit")).to_be_visible()
    expect(page.get_by_text("The gate code is 4711")).to_be_visible()
    expect(page.locator("[data-tracking-status]")).to_have_text("Your visit is booked.")
    _checked(page)

    page.get_by_role("link", name="Choose another time").click()
    expect(page.get_by_role("heading", level=1, name="Choose another time")).to_be_visible()
    _checked(page)
    radios = page.locator("input[name=window_id]")
    radios.nth(1).check()
    new_value = radios.nth(1).get_attribute("value")
    assert new_value is not None
    page.get_by_role("button", name="Move the visit").click()
    expect(page.get_by_text("We moved your visit")).to_be_visible()

    from dropline.field.describe import window_label
    from dropline.field.models import VisitWindow

    window = VisitWindow.objects.get(pk=int(new_value))
    expect(page.get_by_text(window_label(window), exact=True)).to_be_visible()

    page.get_by_role("link", name="Cancel the visit").click()
    expect(page.get_by_role("heading", level=1, name="Cancel the visit?")).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Cancel the visit").click()
    expect(page.get_by_text("We canceled your visit.")).to_be_visible()
    expect(page.locator("[data-tracking-status]")).to_have_text("This visit is canceled.")
    expect(page.get_by_role("link", name="Choose another time")).to_have_count(0)


def test_the_status_follows_dispatch_without_a_reload(
    customer_page: Page, demo_site: DemoSite
) -> None:
    from dropline.accounts.models import User
    from dropline.core import clock
    from dropline.field import dispatch
    from dropline.field.models import Appointment, Technician

    _open_windows_for_demo()
    page = customer_page
    page.goto(demo_site.at("/appointments/book/"))
    _choose_first_window(page)
    page.get_by_role("button", name="Book the visit").click()
    expect(page.get_by_text("We booked your visit")).to_be_visible()
    pk = int(re.search(r"/appointments/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    expect(page.locator("[data-tracking-status]")).to_have_text("Your visit is booked.")
    # Something only a reload would remove: the flash message.
    page.evaluate("document.body.dataset.notReloaded = 'yes'")

    visit = Appointment.objects.get(pk=pk)
    dispatcher = User.objects.get(username=DEMO_ADMIN[0])
    rosa = Technician.objects.create(name="Rosa Díaz", workdays="0123456")
    rosa.areas.add(visit.window.area)
    dispatch.assign(appointment_id=visit.pk, technician_id=rosa.pk, by=dispatcher)
    dispatch.mark_on_the_way(
        appointment_id=visit.pk, eta=clock.now() + dt.timedelta(minutes=30), by=dispatcher
    )

    expect(page.locator("[data-tracking-status]")).to_have_text(
        "Rosa is on the way.", timeout=POLLED_MS
    )
    expect(page.locator("[data-tracking-eta]")).not_to_be_empty()
    assert page.evaluate("document.body.dataset.notReloaded") == "yes"


def test_dispatch_pages_fit_a_phone_and_pass_axe(page: Page, demo_site: DemoSite) -> None:
    _open_windows_for_demo()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.set_viewport_size(MOBILE)
    for path, heading in (
        ("/backoffice/dispatch/", "Technician visits"),
        ("/backoffice/dispatch/technicians/", "Technicians"),
        ("/backoffice/dispatch/capacity/", "Weekly windows"),
        ("/backoffice/dispatch/exceptions/", "Exceptions"),
        ("/backoffice/dispatch/technicians/new/", "Add a technician"),
        # An administrator has the permission but is no technician: the page says so.
        ("/backoffice/my-visits/", "My visits"),
    ):
        page.goto(demo_site.at(path))
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        _checked(page)


def _in_spanish(page: Page) -> None:
    if page.locator("html").get_attribute("lang") != "es":
        with page.expect_navigation():
            page.locator("button[name=language][value=es]").click()
    assert page.locator("html").get_attribute("lang") == "es"


def _no_problems_in_spanish(page: Page, demo_site: DemoSite, paths: list[str]) -> None:
    from urllib.parse import urlsplit

    from tests.e2e.checks import page_problems

    found = {}
    for path in paths:
        response = page.goto(demo_site.at(path))
        assert response is not None, path
        assert response.ok, f"{path}: HTTP {response.status}"
        problems = page_problems(page, urlsplit(page.url).path, spanish=True)
        if problems:
            found[path] = problems
    assert not found, found


def test_the_visit_pages_in_spanish(customer_page: Page, demo_site: DemoSite) -> None:
    from dropline.field.models import OPEN_APPOINTMENT_STATUSES, Appointment

    _open_windows_for_demo()
    page = customer_page
    page.set_viewport_size(MOBILE)
    page.goto(demo_site.at("/appointments/book/"))
    _choose_first_window(page)
    page.get_by_role("button", name="Book the visit").click()
    visit = Appointment.objects.get(status__in=OPEN_APPOINTMENT_STATUSES)
    _in_spanish(page)
    _no_problems_in_spanish(
        page,
        demo_site,
        [
            "/",
            "/appointments/",
            "/appointments/book/",
            f"/appointments/{visit.pk}/",
            f"/appointments/{visit.pk}/reschedule/",
            f"/appointments/{visit.pk}/cancel/",
        ],
    )


def test_the_dispatch_pages_in_spanish(page: Page, demo_site: DemoSite) -> None:
    from dropline.field.models import Appointment, CapacityTemplate, Technician

    _open_windows_for_demo()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.set_viewport_size(MOBILE)
    _in_spanish(page)
    paths = [
        "/backoffice/dispatch/",
        "/backoffice/dispatch/technicians/",
        "/backoffice/dispatch/technicians/new/",
        "/backoffice/dispatch/capacity/",
        "/backoffice/dispatch/exceptions/",
        f"/backoffice/dispatch/capacity/{CapacityTemplate.objects.order_by('pk')[0].pk}/",
        "/backoffice/my-visits/",
    ]
    visit = Appointment.objects.order_by("-pk").first()
    if visit is not None:
        paths.append(f"/backoffice/dispatch/visits/{visit.pk}/")
        paths.append(f"/backoffice/dispatch/?day={visit.window.date.isoformat()}")
    technician = Technician.objects.order_by("pk").first()
    if technician is not None:
        paths.append(f"/backoffice/dispatch/technicians/{technician.pk}/")
    _no_problems_in_spanish(page, demo_site, paths)
