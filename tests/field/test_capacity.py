"""Staff shape capacity: weekly windows, exceptions (a holiday closes a day, a storm
lowers a window) and technicians. Each change shows in the bookable windows at once, is
audited, never drops a visit already booked, and bad input is refused naming the field
with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.models import ServiceArea
from dropline.field import capacity
from dropline.field.errors import AppointmentError
from dropline.field.models import (
    Appointment,
    AppointmentStatus,
    CapacityException,
    CapacityTemplate,
    Technician,
    VisitWindow,
)
from dropline.field.windows import open_windows
from tests.support.dispatch import book_visit, weekly_windows, window_on
from tests.support.examples import examples
from tests.support.factories import make_customer, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # a Tuesday
THURSDAY = dt.date(2026, 3, 12)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def dispatcher():
    return make_user(username="dispatcher", is_staff=True)


def _area(code: str = "north") -> ServiceArea:
    return ServiceArea.objects.get_or_create(code=code, defaults={"name": code.title()})[0]


def test_a_new_weekly_window_can_be_booked_at_once(dispatcher) -> None:
    area = _area()
    template = capacity.add_template(
        area_id=area.pk,
        weekday=THURSDAY.weekday(),
        starts_at=dt.time(8),
        ends_at=dt.time(10),
        capacity=3,
        by=dispatcher,
    )
    window = VisitWindow.objects.get(area=area, date=THURSDAY)
    assert (window.capacity, window.booked) == (3, 0)
    event = AuditEvent.objects.get(action="field.template_added")
    assert event.actor == dispatcher
    assert event.target_id == str(template.pk)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": dt.time(8)}, "ends_at"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 500}, "capacity"),
        ({"weekday": 7}, "weekday"),
        ({"area_id": 987654}, "area"),
        ({"starts_at": dt.time(9), "ends_at": dt.time(11)}, "starts_at"),  # overlaps 8-10
    ],
)
def test_bad_windows_are_refused_naming_the_field_and_nothing_is_written(
    dispatcher, change, field
) -> None:
    area = _area()
    capacity.add_template(
        area_id=area.pk,
        weekday=3,
        starts_at=dt.time(8),
        ends_at=dt.time(10),
        capacity=2,
        by=dispatcher,
    )
    before = (CapacityTemplate.objects.count(), AuditEvent.objects.count())
    values: dict[str, Any] = {
        "area_id": area.pk,
        "weekday": 3,
        "starts_at": dt.time(12),
        "ends_at": dt.time(14),
        "capacity": 2,
        **change,
    }
    with pytest.raises(AppointmentError) as refused:
        capacity.add_template(by=dispatcher, **values)
    assert refused.value.field == field
    assert refused.value.message
    assert (CapacityTemplate.objects.count(), AuditEvent.objects.count()) == before


def test_changing_a_template_reopens_the_windows_and_keeps_booked_visits(dispatcher) -> None:
    ann = make_customer(username="ann")
    bob = make_customer(username="bob")
    area = ann.account.service_address.service_area
    weekly_windows(area, capacity=2, today=clock.today())
    window = window_on(area, THURSDAY, 8)
    book_visit(ann, window)
    book_visit(bob, window)
    template = CapacityTemplate.objects.get(area=area, weekday=3, starts_at=dt.time(8))

    capacity.change_template(
        template_id=template.pk, ends_at=dt.time(10), capacity=5, by=dispatcher
    )
    window.refresh_from_db()
    assert (window.capacity, window.booked, window.open_places) == (5, 2, 3)

    capacity.change_template(
        template_id=template.pk, ends_at=dt.time(10), capacity=1, by=dispatcher
    )
    window.refresh_from_db()
    assert (window.capacity, window.booked, window.open_places) == (1, 2, 0)
    assert (
        Appointment.objects.filter(window=window, status=AppointmentStatus.SCHEDULED).count() == 2
    )
    assert AuditEvent.objects.filter(action="field.template_changed").count() == 2


def test_a_storm_lowers_one_window_without_dropping_its_booked_visits(dispatcher) -> None:
    ann = make_customer(username="ann")
    bob = make_customer(username="bob")
    area = ann.account.service_address.service_area
    weekly_windows(area, capacity=3, today=clock.today())
    window = window_on(area, THURSDAY, 10)
    book_visit(ann, window)
    book_visit(bob, window)

    capacity.add_exception(
        area_id=area.pk,
        date=THURSDAY,
        starts_at=dt.time(10),
        capacity=1,
        reason="Storm cleanup",
        by=dispatcher,
    )

    window.refresh_from_db()
    assert (window.capacity, window.booked) == (1, 2)
    assert window_on(area, THURSDAY, 12).capacity == 3  # the other windows as they were
    assert Appointment.objects.filter(window=window).exclude(status="canceled").count() == 2
    assert AuditEvent.objects.filter(action="field.exception_added").exists()


def test_a_holiday_closes_the_day_and_removing_it_opens_it_again(dispatcher) -> None:
    area = _area()
    weekly_windows(area, capacity=2, today=clock.today())

    holiday = capacity.add_exception(
        area_id=area.pk,
        date=THURSDAY,
        starts_at=None,
        capacity=0,
        reason="Holiday",
        by=dispatcher,
    )
    assert set(
        VisitWindow.objects.filter(area=area, date=THURSDAY).values_list("capacity", flat=True)
    ) <= {0}

    capacity.remove_exception(exception_id=holiday.pk, by=dispatcher)
    assert set(
        VisitWindow.objects.filter(area=area, date=THURSDAY).values_list("capacity", flat=True)
    ) == {2}
    assert AuditEvent.objects.filter(action="field.exception_removed").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"date": dt.date(2026, 3, 9)}, "date"),  # yesterday
        ({"starts_at": dt.time(9)}, "starts_at"),  # no window starts at 9
        ({"capacity": -2}, "capacity"),
    ],
)
def test_bad_exceptions_are_refused_naming_the_field(dispatcher, change, field) -> None:
    area = _area()
    weekly_windows(area, today=clock.today())
    values: dict[str, Any] = {
        "area_id": area.pk,
        "date": THURSDAY,
        "starts_at": dt.time(8),
        "capacity": 0,
        "reason": "Storm",
        **change,
    }
    with pytest.raises(AppointmentError) as refused:
        capacity.add_exception(by=dispatcher, **values)
    assert refused.value.field == field
    assert not CapacityException.objects.exists()


def test_a_second_exception_for_the_same_window_is_refused(dispatcher) -> None:
    area = _area()
    weekly_windows(area, today=clock.today())
    kwargs: dict[str, Any] = {
        "area_id": area.pk,
        "date": THURSDAY,
        "starts_at": None,
        "capacity": 0,
    }
    capacity.add_exception(reason="Holiday", by=dispatcher, **kwargs)
    with pytest.raises(AppointmentError) as refused:
        capacity.add_exception(reason="Again", by=dispatcher, **kwargs)
    assert refused.value.field == "date"
    assert CapacityException.objects.count() == 1


@settings(max_examples=examples(25), deadline=None)
@given(first=st.integers(0, 10), second=st.integers(0, 10), booked=st.integers(0, 4))
def test_whatever_the_capacities_booked_never_changes(first: int, second: int, booked: int) -> None:
    CapacityTemplate.objects.all().delete()
    CapacityException.objects.all().delete()
    VisitWindow.objects.all().delete()
    with clock.frozen(NOW):
        area = _area("prop")
        user = User.objects.get_or_create(username="prop-dispatcher")[0]
        template = CapacityTemplate.objects.create(
            area=area, weekday=3, starts_at=dt.time(8), ends_at=dt.time(10), capacity=4
        )
        open_windows(today=clock.today())
        VisitWindow.objects.filter(area=area, date=THURSDAY).update(booked=booked)
        for value in (first, second):
            capacity.change_template(
                template_id=template.pk, ends_at=dt.time(10), capacity=value, by=user
            )
            window = VisitWindow.objects.get(area=area, date=THURSDAY)
            assert window.capacity == value
            assert window.booked == booked
            assert window.open_places == max(value - booked, 0)


def test_a_technician_is_added_and_changed_with_areas_and_days(dispatcher) -> None:
    north, south = _area("north"), _area("south")
    added = capacity.save_technician(
        technician_id=None,
        name=" Rosa Díaz ",
        phone="(319) 555-0142",
        area_ids=[north.pk],
        workdays=[0, 1, 2],
        is_active=True,
        by=dispatcher,
    )
    assert (added.name, added.phone, added.workdays) == ("Rosa Díaz", "+13195550142", "012")
    changed = capacity.save_technician(
        technician_id=added.pk,
        name="Rosa Díaz",
        phone="",
        area_ids=[north.pk, south.pk],
        workdays=[5, 6],
        is_active=False,
        by=dispatcher,
    )
    assert set(changed.areas.values_list("code", flat=True)) == {"north", "south"}
    assert (changed.workdays, changed.is_active) == ("56", False)
    assert AuditEvent.objects.filter(action__startswith="field.technician_").count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"phone": "12"}, "phone"),
        ({"area_ids": []}, "areas"),
        ({"area_ids": [987654]}, "areas"),
        ({"workdays": []}, "workdays"),
        ({"workdays": [9]}, "workdays"),
    ],
)
def test_bad_technicians_are_refused_naming_the_field(dispatcher, change, field) -> None:
    values: dict[str, Any] = {
        "technician_id": None,
        "name": "Sam",
        "phone": "",
        "area_ids": [_area().pk],
        "workdays": [0],
        "is_active": True,
        **change,
    }
    with pytest.raises(AppointmentError) as refused:
        capacity.save_technician(by=dispatcher, **values)
    assert refused.value.field == field
    assert not Technician.objects.exists()
