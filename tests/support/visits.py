"""Technician visits for tests: capacity in an area, its windows, a household to book."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import CustomerAccount, ServiceArea
from dropline.field import booking
from dropline.field.models import Appointment, CapacityTemplate, Technician, VisitWindow
from dropline.field.windows import open_windows
from tests.support.notifications import Person, area, make_person

# The standard weekday windows, as (start hour, end hour).
WINDOWS = [(8, 10), (10, 12), (12, 14), (14, 16), (16, 18)]


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """A moment on the provider's clocks."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=ZoneInfo(settings.TIME_ZONE))


def add_templates(
    area_obj: ServiceArea,
    *,
    capacity: int = 2,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    windows: list[tuple[int, int]] | None = None,
) -> None:
    CapacityTemplate.objects.bulk_create(
        CapacityTemplate(
            area=area_obj,
            weekday=weekday,
            starts_at=dt.time(start),
            ends_at=dt.time(end),
            capacity=capacity,
        )
        for weekday in weekdays
        for start, end in windows or WINDOWS
    )


def household(
    username: str = "visitor",
    *,
    area_code: str = "north",
    capacity: int = 2,
    phone: str | None = "+15155550100",
    language: str = "",
) -> Person:
    """A household in an area with weekday templates (capacity each window)."""
    person = make_person(username=username, area_code=area_code, phone=phone, language=language)
    the_area = area(area_code)
    if not CapacityTemplate.objects.filter(area=the_area).exists():
        add_templates(the_area, capacity=capacity)
    return person


def windows_of(person: Person) -> list[VisitWindow]:
    open_windows()
    return list(
        VisitWindow.objects.filter(area_id=person.account.service_address.service_area_id).order_by(
            "starts_at"
        )
    )


def window_at(person: Person, starts_at: dt.datetime) -> VisitWindow:
    open_windows()
    return VisitWindow.objects.get(
        area_id=person.account.service_address.service_area_id, starts_at=starts_at
    )


def technician(name: str = "Rosa Alvarez", *, area_code: str = "north") -> Technician:
    tech = Technician.objects.create(name=name, workdays="012345")
    tech.areas.add(area(area_code))
    return tech


NEDS_VISIT_DETAILS = "Private visit note: the dog is called Biscuit"


def sweep_appointment(account: CustomerAccount, user: User) -> Appointment:
    """A visit booked now for the cross-account sweep, in the account's own area (every
    day has windows there), with details nobody else may see."""
    the_area = account.service_address.service_area
    if not CapacityTemplate.objects.filter(area=the_area).exists():
        add_templates(the_area, weekdays=tuple(range(7)))
    open_windows(area_ids=[the_area.pk])
    window = (
        VisitWindow.objects.filter(area=the_area, starts_at__gt=clock.now() + dt.timedelta(days=1))
        .order_by("starts_at")
        .first()
    )
    assert window is not None
    return booking.book(
        account=account,
        person=user,
        window_id=window.pk,
        reason="repair",
        details=NEDS_VISIT_DETAILS,
    )


def sweep_rows(account: CustomerAccount) -> dict[str, list[dict[str, object]]]:
    """Everything of an account's visits a request could change (and their windows'
    places)."""
    visits = Appointment.objects.filter(account=account).order_by("pk")
    return {
        "appointments": [dict(row) for row in visits.values()],
        "visit_windows": [
            dict(row)
            for row in VisitWindow.objects.filter(appointments__account=account)
            .order_by("pk")
            .values("pk", "capacity", "booked")
        ],
    }
