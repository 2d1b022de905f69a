"""Demo technician visits: capacity in every demo area, a holiday closed, windows open for
the next two weeks, the household's past repair visit completed through every dispatch
step, and its upcoming visit with the confirmation delivered and read."""

from __future__ import annotations

import pytest

from dropline.accounts.models import User
from dropline.core import clock
from dropline.field import own_visits, queries
from dropline.field.models import (
    Appointment,
    AppointmentStatus,
    CapacityException,
    Technician,
    VisitWindow,
)
from dropline.notifications.models import Message
from dropline.seeding.demo import appointments, staff

pytestmark = pytest.mark.django_db


def test_demo_visits(demo: None) -> None:
    assert Technician.objects.count() == len(appointments.TECHNICIANS)
    holiday, _ = appointments.next_holiday(clock.today())
    assert CapacityException.objects.filter(date=holiday, capacity=0).count() == 4
    assert not VisitWindow.objects.filter(date=holiday, capacity__gt=0).exists()
    visits = Appointment.objects.filter(account__members__user__username="demo").distinct()
    past = visits.get(details=appointments.PAST_DETAILS)
    assert past.status == AppointmentStatus.COMPLETED
    assert past.technician is not None
    assert list(past.events.values_list("kind", flat=True)) == [
        "booked",
        "reminded",
        "reminded",
        "assigned",
        "on_the_way",
        "arrived",
        "completed",
    ]
    upcoming = visits.get(details=appointments.UPCOMING_DETAILS)
    account = upcoming.account
    assert queries.upcoming_appointment(account=account) == upcoming
    assert queries.can_change(upcoming)
    assert queries.bookable_windows(account=account, reason="repair")
    told = Message.objects.filter(subject_key__startswith=f"appointment:{upcoming.pk}:")
    assert set(told.values_list("event", flat=True)) == {"appointment.booked"}
    assert told.filter(channel="email", user__username="demo").get().attachments
    assert not told.exclude(status="sent").exists()
    assert not told.filter(channel="in_app", read_at__isnull=True).exists()
    assert not Message.objects.filter(
        event__startswith="appointment.", read_at__isnull=True, channel="in_app"
    ).exists()
    assert (
        not Message.objects.filter(event__startswith="appointment.").exclude(status="sent").exists()
    )


def test_the_demo_technician_signs_in_and_sees_the_upcoming_visit(demo: None) -> None:
    user = User.objects.get(username=staff.TECHNICIAN_USERNAME)
    assert user.has_perm("field.work_own_visits")
    assert not user.has_perm("customers.search_customeraccount")
    technician = own_visits.technician_for(user)
    assert technician is not None
    assert technician.name == appointments.TECHNICIANS[0][0]
    upcoming = Appointment.objects.get(details=appointments.UPCOMING_DETAILS)
    assert upcoming.technician == technician
    assert abs((upcoming.window.date - clock.today()).days) <= 7
    shown = own_visits.visits_on(technician=technician, day=upcoming.window.date)
    assert [item.appointment for item in shown] == [upcoming]
    assert {"booked", "assigned"} <= set(upcoming.events.values_list("kind", flat=True))


def test_loading_again_adds_nothing(demo: None) -> None:
    before = (
        Appointment.objects.count(),
        VisitWindow.objects.count(),
        Message.objects.count(),
        Technician.objects.count(),
    )
    assert appointments.load() == 0
    after = (
        Appointment.objects.count(),
        VisitWindow.objects.count(),
        Message.objects.count(),
        Technician.objects.count(),
    )
    assert after == before
