"""Dispatch pages: the day board, a visit's page (assign, on the way with an ETA, arrived,
completed, missed), technicians, weekly windows and exceptions. Field dispatch may change
capacity; customer care may look at visits but not change capacity; a change to the
windows shows in what customers can book at once, without dropping booked visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from dropline.accounts.roles import CUSTOMER_CARE, FIELD_DISPATCH
from dropline.backoffice.words import AUDIT_ACTIONS
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.field import queries
from dropline.field.models import (
    AppointmentStatus,
    CapacityException,
    CapacityTemplate,
    Technician,
)
from tests.support.dispatch import book_visit, staff_of, weekly_windows, window_on
from tests.support.equipment import words
from tests.support.factories import Customer, make_customer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # a Tuesday
THURSDAY = dt.date(2026, 3, 12)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def ann() -> Customer:
    customer = make_customer(username="ann", name="Ann Household")
    weekly_windows(customer.account.service_address.service_area, capacity=2, today=clock.today())
    return customer


@pytest.fixture
def dispatch_client(client: Client) -> Client:
    staff_of(client, FIELD_DISPATCH)
    return client


def _technician(ann: Customer, name: str = "Rosa", workdays: str = "0123456") -> Technician:
    person = Technician.objects.create(name=name, workdays=workdays)
    person.areas.add(ann.account.service_address.service_area)
    return person


def test_the_board_shows_the_days_windows_with_each_visit(dispatch_client, ann) -> None:
    area = ann.account.service_address.service_area
    visit = book_visit(ann, window_on(area, THURSDAY, 10))
    response = dispatch_client.get(f"/backoffice/dispatch/?day=2026-03-12&area={area.pk}")
    assert response.status_code == 200
    text = words(response)
    assert "1 of 2" in text
    assert "Ann Household" in text
    assert str(ann.account.service_address.lines()[0]) in text
    assert "Repair" in text
    assert "No technician yet" in text
    assert f"/backoffice/dispatch/visits/{visit.pk}/" in response.content.decode()


def test_a_bad_day_is_a_form_error(dispatch_client, ann) -> None:
    response = dispatch_client.get("/backoffice/dispatch/?day=someday")
    assert response.status_code == 400
    assert "Enter a valid date." in words(response)


def test_dispatch_assigns_and_marks_the_visit_and_the_customer_sees_it(
    dispatch_client, ann
) -> None:
    area = ann.account.service_address.service_area
    visit = book_visit(ann, window_on(area, THURSDAY, 10))
    rosa = _technician(ann)
    _technician(ann, name="Offday", workdays="0")  # never on a Thursday
    page = dispatch_client.get(f"/backoffice/dispatch/visits/{visit.pk}/")
    assert "Rosa" in words(page)
    assert "Offday" not in words(page)

    response = dispatch_client.post(
        f"/backoffice/dispatch/visits/{visit.pk}/assign/", {"technician": rosa.pk}
    )
    assert response.status_code == 302
    assert "Rosa now has this visit." in words(dispatch_client.get(response["Location"]))

    response = dispatch_client.post(
        f"/backoffice/dispatch/visits/{visit.pk}/status/",
        {"status": "on_the_way", "eta": "2026-03-12T10:40"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.ON_THE_WAY
    assert visit.technician == rosa
    page = dispatch_client.get(response["Location"])
    assert "Marked on the way" in words(page)
    assert "On the way" in words(page)


def test_on_the_way_without_an_eta_is_a_form_error(dispatch_client, ann) -> None:
    visit = book_visit(ann, window_on(ann.account.service_address.service_area, THURSDAY, 10))
    response = dispatch_client.post(
        f"/backoffice/dispatch/visits/{visit.pk}/status/", {"status": "on_the_way", "eta": ""}
    )
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED


def test_a_technician_who_does_not_cover_the_visit_is_refused(dispatch_client, ann) -> None:
    visit = book_visit(ann, window_on(ann.account.service_address.service_area, THURSDAY, 10))
    other = Technician.objects.create(name="Far Away", workdays="0123456")
    response = dispatch_client.post(
        f"/backoffice/dispatch/visits/{visit.pk}/assign/", {"technician": other.pk}
    )
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.technician is None


def test_a_template_change_reopens_the_windows_customers_can_book(dispatch_client, ann) -> None:
    area = ann.account.service_address.service_area
    template = CapacityTemplate.objects.get(area=area, weekday=3, starts_at=dt.time(8))
    window = window_on(area, THURSDAY, 8)
    book_visit(ann, window)
    book_visit(make_customer(username="bob"), window)
    offered = {o.id for o in queries.bookable_windows(account=ann.account, reason="repair")}
    assert window.pk not in offered  # full

    response = dispatch_client.post(
        f"/backoffice/dispatch/capacity/{template.pk}/", {"ends_at": "10:00", "capacity": "4"}
    )
    assert response.status_code == 302
    assert "the bookable windows show it now" in words(dispatch_client.get(response["Location"]))
    window.refresh_from_db()
    assert (window.capacity, window.booked) == (4, 2)
    offered = {o.id for o in queries.bookable_windows(account=ann.account, reason="repair")}
    assert window.pk in offered
    event = AuditEvent.objects.get(action="field.template_changed")
    assert str(AUDIT_ACTIONS[event.action]) == "Changed a weekly visit window"


def test_a_storm_lowers_capacity_without_dropping_booked_visits(dispatch_client, ann) -> None:
    area = ann.account.service_address.service_area
    window = window_on(area, THURSDAY, 12)
    visits = [book_visit(ann, window), book_visit(make_customer(username="bob"), window)]
    response = dispatch_client.post(
        "/backoffice/dispatch/exceptions/add/",
        {
            "area": area.pk,
            "date": "2026-03-12",
            "starts_at": "12:00",
            "capacity": "0",
            "reason": "Ice storm",
        },
    )
    assert response.status_code == 302
    page = dispatch_client.get(response["Location"])
    assert "Ice storm" in words(page)
    window.refresh_from_db()
    assert (window.capacity, window.booked) == (0, 2)
    for visit in visits:
        visit.refresh_from_db()
        assert visit.status == AppointmentStatus.SCHEDULED
    board = words(dispatch_client.get(f"/backoffice/dispatch/?day=2026-03-12&area={area.pk}"))
    assert "2 of 0" in board


def test_a_refused_exception_shows_a_form_error_and_writes_nothing(dispatch_client, ann) -> None:
    area = ann.account.service_address.service_area
    response = dispatch_client.post(
        "/backoffice/dispatch/exceptions/add/",
        {
            "area": area.pk,
            "date": "2026-03-12",
            "starts_at": "09:00",
            "capacity": "0",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "no window starting then" in words(response)
    assert not CapacityException.objects.exists()


def test_a_new_window_and_a_technician_are_added(dispatch_client, ann) -> None:
    area = ann.account.service_address.service_area
    response = dispatch_client.post(
        "/backoffice/dispatch/capacity/add/",
        {
            "area": area.pk,
            "weekday": "3",
            "starts_at": "18:00",
            "ends_at": "20:00",
            "capacity": "1",
        },
    )
    assert response.status_code == 302
    assert "18:00" in words(dispatch_client.get(response["Location"])) or "6 p.m." in words(
        dispatch_client.get(response["Location"])
    )
    response = dispatch_client.post(
        "/backoffice/dispatch/technicians/new/",
        {
            "name": "Luis",
            "phone": "319 555 0142",
            "areas": [area.pk],
            "workdays": ["0", "3"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    listing = words(dispatch_client.get("/backoffice/dispatch/technicians/"))
    assert "Technician added." in listing
    assert "Luis" in listing
    assert "Monday, Thursday" in listing


def test_customer_care_sees_visits_but_cannot_change_capacity(client, ann) -> None:
    staff_of(client, CUSTOMER_CARE)
    area = ann.account.service_address.service_area
    template = CapacityTemplate.objects.get(area=area, weekday=3, starts_at=dt.time(8))
    assert client.get("/backoffice/dispatch/").status_code == 200
    assert client.get(f"/backoffice/dispatch/capacity/{template.pk}/").status_code == 403
    response = client.post(
        f"/backoffice/dispatch/capacity/{template.pk}/", {"ends_at": "10:00", "capacity": "9"}
    )
    assert response.status_code == 403
    assert (
        client.post(
            "/backoffice/dispatch/exceptions/add/",
            {"area": area.pk, "date": "2026-03-12", "capacity": "0", "reason": "no"},
        ).status_code
        == 403
    )
    template.refresh_from_db()
    assert template.capacity == 2
    assert not CapacityException.objects.exists()
    visit = book_visit(ann, window_on(area, THURSDAY, 8))
    assert (
        client.post(
            f"/backoffice/dispatch/visits/{visit.pk}/status/", {"status": "missed"}
        ).status_code
        == 403
    )


def test_the_section_is_in_the_navigation_for_dispatch(dispatch_client, ann) -> None:
    html = dispatch_client.get("/backoffice/dispatch/technicians/").content.decode()
    assert 'href="/backoffice/dispatch/"' in html
    assert "Technician visits" in html
