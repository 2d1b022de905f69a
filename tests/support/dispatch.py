"""Technician visits for the dispatch and appointment page tests: an area's weekly
windows, a visit booked through the real booking, staff of a role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.test import Client

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import ServiceArea
from dropline.field import booking, queries
from dropline.field.models import (
    Appointment,
    CapacityException,
    CapacityTemplate,
    Technician,
    VisitWindow,
)
from dropline.field.windows import open_windows
from tests.support.factories import Customer, make_user

# The demo's arrival windows: 8-10, 10-12, 12-2, 2-4, 4-6.
HOURS = ((8, 10), (10, 12), (12, 14), (14, 16), (16, 18))


def weekly_windows(area: ServiceArea, *, capacity: int = 2, today: dt.date) -> None:
    """Every weekday, every window, ``capacity`` visits; then open them from ``today``."""
    CapacityTemplate.objects.bulk_create(
        CapacityTemplate(
            area=area,
            weekday=weekday,
            starts_at=dt.time(start),
            ends_at=dt.time(end),
            capacity=capacity,
        )
        for weekday in range(7)
        for start, end in HOURS
    )
    open_windows(today=today)


def window_on(area: ServiceArea, day: dt.date, hour: int) -> VisitWindow:
    return VisitWindow.objects.get(area=area, date=day, starts_at__hour=hour)


def book_visit(customer: Customer, window: VisitWindow, *, reason: str = "repair") -> Appointment:
    return booking.book(
        account=customer.account, person=customer.user, window_id=window.pk, reason=reason
    )


def staff_of(client: Client, role: str, *, username: str = "") -> User:
    user = make_user(username=username or role.lower().replace(" ", ""), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


@dataclass(frozen=True)
class DispatchSamples:
    """One of each thing a dispatch page names, for the sweeps."""

    appointment_id: int
    technician_id: int
    template_id: int
    exception_id: int


def dispatch_samples(customer: Customer) -> DispatchSamples:
    """Weekly windows in the customer's area, a visit booked in the first open one, a
    technician of the area and an exception next week."""
    area = customer.account.service_address.service_area
    today = clock.today()
    weekly_windows(area, today=today)
    offer = queries.bookable_windows(account=customer.account, reason="repair")[0]
    visit = booking.book(
        account=customer.account, person=customer.user, window_id=offer.id, reason="repair"
    )
    technician = Technician.objects.create(name="Sample Technician", workdays="0123456")
    technician.areas.add(area)
    exception = CapacityException.objects.create(
        area=area,
        date=today + dt.timedelta(days=7),
        capacity=0,
        reason="Sample holiday",
        created_at=clock.now(),
    )
    return DispatchSamples(
        appointment_id=visit.pk,
        technician_id=technician.pk,
        template_id=CapacityTemplate.objects.filter(area=area).order_by("pk")[0].pk,
        exception_id=exception.pk,
    )
