"""A technician's own visits in the back-office: only staff with the permission open the
page; a technician sees their own visits of the day and marks their steps; another
technician's visit answers 404 and stays as it was; the forms need their CSRF token; a
sign-in linked to no technician is told so; the page reads a fixed number of statements
whatever the number of visits; dispatch links a technician to a staff sign-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts import roles
from dropline.accounts.models import User
from dropline.core import clock
from dropline.field import dispatch
from dropline.field.models import Appointment, AppointmentStatus, Technician
from dropline.field.tracking import tracking
from tests.support.dispatch import book_visit, staff_of, weekly_windows, window_on
from tests.support.equipment import words
from tests.support.factories import Customer, make_customer
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # a Tuesday, 9 a.m. in Iowa
THURSDAY = dt.date(2026, 3, 12)
PAGE = "/backoffice/my-visits/"
ON_THURSDAY = f"{PAGE}?day={THURSDAY.isoformat()}"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def area_customers() -> list[Customer]:
    first = make_customer(username="ann", name="Ann Household", phone="+13195550142")
    area = first.account.service_address.service_area
    weekly_windows(area, capacity=5, today=clock.today())
    return [first]


def _customer(username: str, name: str, like: Customer) -> Customer:
    customer = make_customer(username=username, name=name)
    address = customer.account.service_address
    address.service_area = like.account.service_address.service_area
    address.save(update_fields=["service_area"])
    return customer


def _technician(name: str, user: User | None, like: Customer) -> Technician:
    person = Technician.objects.create(name=name, workdays="0123456", user=user)
    person.areas.add(like.account.service_address.service_area)
    return person


def _visit(customer: Customer, hour: int, technician: Technician | None) -> Appointment:
    area = customer.account.service_address.service_area
    visit = book_visit(customer, window_on(area, THURSDAY, hour))
    if technician is not None:
        dispatch.assign(
            appointment_id=visit.pk,
            technician_id=technician.pk,
            by=User.objects.get(username=customer.user.username),
        )
    return visit


@pytest.fixture
def rosa_user(client: Client) -> User:
    user = make_staff(username="rosa", role=roles.TECHNICIAN, first_name="Rosa")
    client.force_login(user)
    return user


@pytest.fixture
def rosa(rosa_user: User, area_customers: list[Customer]) -> Technician:
    return _technician("Rosa Alvarez", rosa_user, area_customers[0])


@pytest.fixture
def marcus(area_customers: list[Customer]) -> Technician:
    user = make_staff(username="marcus", role=roles.TECHNICIAN)
    return _technician("Marcus Lee", user, area_customers[0])


def test_staff_without_the_permission_are_refused(client, area_customers) -> None:
    staff_of(client, roles.CUSTOMER_CARE)
    visit = _visit(area_customers[0], 10, None)
    assert client.get(PAGE).status_code == 403
    response = client.post(f"{PAGE}{visit.pk}/step/", {"step": "arrived"})
    assert response.status_code == 403


def test_a_technician_sees_only_their_own_visits_and_nothing_else(
    client, rosa, marcus, area_customers
) -> None:
    ann = area_customers[0]
    _visit(ann, 10, rosa)
    ben = _customer("ben", "Ben Elsewhere", ann)
    _visit(ben, 12, marcus)
    text = words(client.get(ON_THURSDAY))
    assert "Ann Household" in text
    assert "(319) 555-0142" in text
    assert "Repair" in text
    assert "Scheduled" in text
    assert "On my way" in text
    assert "I have arrived" in text
    assert "Ben Elsewhere" not in text
    assert "Customer not there" not in text  # the window has not started
    # Nothing else of the back-office: no customer search, no account pages, no board.
    for other in (
        "/backoffice/",
        f"/backoffice/customers/{ann.account.number}/",
        "/backoffice/dispatch/",
        "/backoffice/dispatch/technicians/",
    ):
        response = client.get(other)
        assert response.status_code in {302, 403}, other
        if response.status_code == 302:
            assert response["Location"] == PAGE


def test_a_technician_lands_on_their_visits_and_the_nav_has_only_them(client, rosa) -> None:
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    nav = html[html.index('<nav class="staff-nav"') : html.index("</nav>")]
    assert ">My visits<" in nav
    assert nav.count("<a ") == 1


def test_on_my_way_marks_the_visit_and_the_customer_sees_it(client, rosa, area_customers) -> None:
    visit = _visit(area_customers[0], 10, rosa)
    with clock.frozen(dt.datetime(2026, 3, 12, 15, 40, tzinfo=dt.UTC)):
        response = client.post(
            f"{PAGE}{visit.pk}/step/",
            {"step": "on_the_way", "eta_minutes": "20", "day": THURSDAY.isoformat()},
        )
        assert response.status_code == 302
        assert response["Location"] == ON_THURSDAY
        page = words(client.get(response["Location"]))
    assert "You are on your way; the customer is told when to expect you." in page
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.ON_THE_WAY
    assert visit.eta == dt.datetime(2026, 3, 12, 16, 0, tzinfo=dt.UTC)
    shown = tracking(visit, language="en")
    assert shown["status_label"] == "Rosa is on the way."
    assert shown["eta"] is not None
    assert "On the way" in page
    assert "I have arrived" in page
    assert "Send a new arrival time" in page


def test_a_refused_step_shows_the_domains_words(client, rosa, area_customers) -> None:
    visit = _visit(area_customers[0], 10, rosa)
    response = client.post(
        f"{PAGE}{visit.pk}/step/", {"step": "on_the_way", "eta_minutes": "500"}, follow=True
    )
    assert "Give the minutes to arrival, from 5 to 240." in words(response)
    response = client.post(f"{PAGE}{visit.pk}/step/", {"step": "completed"}, follow=True)
    assert "A visit that is scheduled cannot be marked completed." in words(response)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED


def test_another_technicians_visit_answers_404_and_stays(
    client, rosa, marcus, area_customers
) -> None:
    ann = area_customers[0]
    theirs = _visit(ann, 10, marcus)
    before = Appointment.objects.filter(pk=theirs.pk).values().get()
    for step in ("on_the_way", "arrived", "missed"):
        response = client.post(f"{PAGE}{theirs.pk}/step/", {"step": step, "eta_minutes": "20"})
        assert response.status_code == 404
        assert "Ann Household" not in response.content.decode()
    assert client.post(f"{PAGE}987654/step/", {"step": "arrived"}).status_code == 404
    assert Appointment.objects.filter(pk=theirs.pk).values().get() == before


def test_the_steps_need_the_csrf_token(rosa_user, rosa, area_customers) -> None:
    visit = _visit(area_customers[0], 10, rosa)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(rosa_user)
    response = strict.post(f"{PAGE}{visit.pk}/step/", {"step": "arrived"})
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED
    page = strict.get(ON_THURSDAY).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 3  # language, sign out, the steps


def test_a_sign_in_with_no_technician_is_told_why(client, rosa_user) -> None:
    text = words(client.get(PAGE))
    assert "Your sign-in is not linked to a technician. Ask dispatch to link it." in text
    assert "Day after" not in text


def test_the_days_go_a_week_either_way(client, rosa) -> None:
    text = words(client.get(PAGE))
    assert "Today" in text
    assert "Day before" in text
    assert "Day after" in text
    assert "No visits for you this day." in text
    last = (clock.today() + dt.timedelta(days=7)).isoformat()
    assert "Day after" not in words(client.get(f"{PAGE}?day={last}"))
    response = client.get(f"{PAGE}?day={(clock.today() + dt.timedelta(days=8)).isoformat()}")
    assert response.status_code == 400
    assert "Choose a day within a week of today." in words(response)


def test_the_page_reads_a_fixed_number_of_statements(client, rosa, area_customers) -> None:
    ann = area_customers[0]
    client.get(ON_THURSDAY)  # the first request of a session reads a little more
    counts = []
    for index, hour in enumerate((8, 10, 12, 14)):
        _visit(_customer(f"c{index}", f"Customer {index}", ann), hour, rosa)
        with CaptureQueriesContext(connection) as statements:
            assert client.get(ON_THURSDAY).status_code == 200
        counts.append(len(statements))
    assert len(set(counts)) == 1, counts


def test_dispatch_links_a_technician_to_a_staff_sign_in(client, area_customers) -> None:
    ann = area_customers[0]
    area = ann.account.service_address.service_area
    rosa = make_staff(username="rosa", role=roles.TECHNICIAN, first_name="Rosa", last_name="A")
    make_staff(username="carl", role=roles.CUSTOMER_CARE)
    marcus = make_staff(username="marcus", role=roles.TECHNICIAN)
    _technician("Marcus Lee", marcus, ann)
    staff_of(client, roles.FIELD_DISPATCH)
    form = client.get("/backoffice/dispatch/technicians/new/").content.decode()
    assert "Rosa A (rosa)" in form
    assert "carl" not in form  # not a technician
    assert ">marcus<" not in form  # already linked
    values = {"name": "Rosa Alvarez", "areas": [area.pk], "workdays": ["3"], "is_active": "on"}
    refused = client.post(
        "/backoffice/dispatch/technicians/new/", {**values, "user": str(marcus.pk)}
    )
    assert refused.status_code == 400
    assert not Technician.objects.filter(name="Rosa Alvarez").exists()
    response = client.post("/backoffice/dispatch/technicians/new/", {**values, "user": rosa.pk})
    assert response.status_code == 302
    linked = Technician.objects.get(name="Rosa Alvarez")
    assert linked.user == rosa
    listing = words(client.get("/backoffice/dispatch/technicians/"))
    assert "Yes Rosa A (rosa)" in listing
    assert "Yes marcus" in listing
    page = client.get(f"/backoffice/dispatch/technicians/{linked.pk}/").content.decode()
    assert f'<option value="{rosa.pk}" selected>' in page
    response = client.post(f"/backoffice/dispatch/technicians/{linked.pk}/", {**values, "user": ""})
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.user is None


def test_the_minutes_to_arrival_are_said_in_the_pages_language(client, rosa, area_customers):
    _visit(area_customers[0], 10, rosa)
    client.post(reverse("set_language"), {"language": "es", "next": PAGE})
    html = client.get(ON_THURSDAY).content.decode()
    assert '<option value="20" selected>20 minutos</option>' in html
    assert "minutes<" not in html
