"""Dispatch's steps: only sensible transitions, each audited; "on the way" tells the
household with the expected arrival by text and email; tracking follows each step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import override_settings

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.field import booking, dispatch
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, AppointmentStatus
from dropline.field.tracking import tracking
from dropline.notifications.models import Message
from tests.support.factories import make_user
from tests.support.visits import household, local, technician, window_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chicago() -> Iterator[None]:
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


@pytest.fixture
def staff() -> User:
    return make_user(username="drew", is_staff=True)


@pytest.fixture
def visit() -> Appointment:
    person = household("ana")
    with clock.frozen(local(2026, 3, 2, 9)):
        return booking.book(
            account=person.account,
            person=person.user,
            window_id=window_at(person, local(2026, 3, 4, 10)).pk,
            reason="repair",
        )


def _steps(visit: Appointment) -> list[bool]:
    visit.refresh_from_db()
    return [step["done"] for step in tracking(visit, language="en")["steps"]]


def test_a_visit_through_the_day(visit: Appointment, staff: User) -> None:
    rosa = technician("Rosa Alvarez")
    with clock.frozen(local(2026, 3, 4, 9, 20)):
        dispatch.assign(appointment_id=visit.pk, technician_id=rosa.pk, by=staff)
        dispatch.mark_on_the_way(appointment_id=visit.pk, eta=local(2026, 3, 4, 10, 15), by=staff)
    visit.refresh_from_db()
    shown = tracking(visit, language="en")
    assert shown["status"] == "on_the_way"
    assert shown["technician"] == "Rosa"
    assert shown["status_label"] == "Rosa is on the way."
    assert dt.datetime.fromisoformat(shown["eta"]) == local(2026, 3, 4, 10, 15)
    assert "10:15" in shown["eta_label"]
    assert _steps(visit) == [True, True, False, False]
    told = Message.objects.filter(event="appointment.on_the_way")
    assert set(told.values_list("channel", flat=True)) == {"email", "sms", "in_app"}
    sms = told.get(channel="sms")
    assert "10:15" in sms.body_text
    assert f"/appointments/{visit.pk}/" in sms.body_text
    spanish = tracking(visit, language="es")
    assert spanish["status_label"] != shown["status_label"]

    with clock.frozen(local(2026, 3, 4, 10, 12)):
        dispatch.mark_arrived(appointment_id=visit.pk, by=staff)
    assert _steps(visit) == [True, True, True, False]
    with clock.frozen(local(2026, 3, 4, 11, 5)):
        done = dispatch.mark_completed(appointment_id=visit.pk, by=staff)
    assert done.completed_at == local(2026, 3, 4, 11, 5)
    assert _steps(visit) == [True, True, True, True]
    assert list(
        AuditEvent.objects.filter(target_id=str(visit.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "appointment.assigned",
        "appointment.on_the_way",
        "appointment.arrived",
        "appointment.completed",
    ]
    assert set(AuditEvent.objects.values_list("actor__username", flat=True)) == {"drew"}


def test_transitions_that_make_no_sense_are_refused(visit: Appointment, staff: User) -> None:
    with clock.frozen(local(2026, 3, 4, 9)):
        with pytest.raises(AppointmentError) as refused:
            dispatch.mark_completed(appointment_id=visit.pk, by=staff)
        assert (refused.value.code, refused.value.field) == ("invalid", "status")
        with pytest.raises(AppointmentError) as early:
            dispatch.mark_missed(appointment_id=visit.pk, by=staff)
        assert early.value.field == "status"
        with pytest.raises(AppointmentError) as nobody:
            dispatch.mark_on_the_way(appointment_id=visit.pk, eta=local(2026, 3, 4, 10), by=staff)
        assert nobody.value.field == "technician_id"
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED
    assert not AuditEvent.objects.exists()
    assert not Message.objects.filter(event="appointment.on_the_way").exists()


def test_missed_after_the_window_started_and_then_nothing_more(
    visit: Appointment, staff: User
) -> None:
    with clock.frozen(local(2026, 3, 4, 12, 30)):
        dispatch.mark_missed(appointment_id=visit.pk, by=staff)
        with pytest.raises(AppointmentError):
            dispatch.mark_arrived(appointment_id=visit.pk, by=staff)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.MISSED
    assert _steps(visit) == [False, False, False, False]


def test_a_technician_must_cover_the_visits_area(visit: Appointment, staff: User) -> None:
    elsewhere = technician("Sam Okafor", area_code="south")
    with pytest.raises(AppointmentError) as refused:
        dispatch.assign(appointment_id=visit.pk, technician_id=elsewhere.pk, by=staff)
    assert refused.value.field == "technician_id"


def test_an_eta_in_the_past_is_refused(visit: Appointment, staff: User) -> None:
    dispatch.assign(appointment_id=visit.pk, technician_id=technician().pk, by=staff)
    with clock.frozen(local(2026, 3, 4, 10)), pytest.raises(AppointmentError) as refused:
        dispatch.mark_on_the_way(
            appointment_id=visit.pk, eta=local(2026, 3, 4, 9) - dt.timedelta(minutes=1), by=staff
        )
    assert refused.value.field == "eta"
