"""A technician's own visits: the day's list holds only theirs, in a fixed number of
queries; a step on another technician's visit is refused as a missing one and changes
nothing; an unlinked or inactive technician has no visits to mark; the minutes to arrival
are bounded; the steps follow dispatch's transitions, and the customer's tracking shows
them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.field import booking, dispatch, own_visits
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, AppointmentStatus, Technician
from dropline.field.tracking import tracking
from dropline.notifications.models import Message
from tests.support.factories import make_user
from tests.support.visits import household, local, technician, window_at

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def chicago() -> Iterator[None]:
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


@pytest.fixture
def dispatcher() -> User:
    return make_user(username="drew", is_staff=True)


def _linked(name: str, username: str) -> tuple[Technician, User]:
    user = make_user(username=username, is_staff=True)
    person = technician(name)
    person.user = user
    person.save(update_fields=["user"])
    return person, user


@pytest.fixture
def rosa() -> tuple[Technician, User]:
    return _linked("Rosa Alvarez", "rosa")


@pytest.fixture
def marcus() -> tuple[Technician, User]:
    return _linked("Marcus Lee", "marcus")


def _book(username: str, hour: int, *, day: int = 4) -> Appointment:
    person = household(username)
    with clock.frozen(local(2026, 3, 2, 9)):
        return booking.book(
            account=person.account,
            person=person.user,
            window_id=window_at(person, local(2026, 3, day, hour)).pk,
            reason="repair",
            details=f"{username}'s modem",
        )


def _assigned(visit: Appointment, who: Technician, by: User) -> Appointment:
    with clock.frozen(local(2026, 3, 2, 10)):
        dispatch.assign(appointment_id=visit.pk, technician_id=who.pk, by=by)
    visit.refresh_from_db()
    return visit


def test_the_technician_linked_to_a_sign_in(rosa, dispatcher) -> None:
    person, user = rosa
    assert own_visits.technician_for(user) == person
    assert own_visits.technician_for(dispatcher) is None
    assert own_visits.technician_for(None) is None
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert own_visits.technician_for(user) is None


def test_the_day_holds_only_ones_own_visits_in_window_order(rosa, marcus, dispatcher) -> None:
    (rosa_t, _), (marcus_t, _) = rosa, marcus
    late = _assigned(_book("ana", 14), rosa_t, dispatcher)
    early = _assigned(_book("ben", 8), rosa_t, dispatcher)
    _assigned(_book("cal", 10), marcus_t, dispatcher)
    _assigned(_book("dee", 10, day=5), rosa_t, dispatcher)  # another day
    canceled = _assigned(_book("eve", 12), rosa_t, dispatcher)
    with clock.frozen(local(2026, 3, 2, 11)):
        booking.cancel(
            account=canceled.account,
            person=User.objects.get(username="eve"),
            appointment_id=canceled.pk,
        )
    with clock.frozen(local(2026, 3, 4, 7)):
        shown = own_visits.visits_on(technician=rosa_t, day=WEDNESDAY)
    assert [item.appointment.pk for item in shown] == [early.pk, late.pk]
    first = shown[0].appointment
    assert first.account.name
    assert str(first.address)
    assert first.details == "ben's modem"
    # Before the window starts: on the way or arrived, not missed yet.
    assert shown[0].steps == ("on_the_way", "arrived")


def test_the_day_reads_in_one_query_whatever_the_number_of_visits(rosa, dispatcher) -> None:
    person, _ = rosa
    counts = []
    for username, hour in (("ana", 8), ("ben", 10), ("cal", 12), ("dee", 14)):
        _assigned(_book(username, hour), person, dispatcher)
        with CaptureQueriesContext(connection) as queries:
            shown = own_visits.visits_on(technician=person, day=WEDNESDAY)
            for item in shown:
                str(item.appointment.address), item.appointment.account.name
                str(item.appointment.window.starts_at)
        counts.append(len(queries))
    assert counts == [1, 1, 1, 1]


def test_a_visit_through_the_technicians_day(rosa, dispatcher) -> None:
    person, user = rosa
    visit = _assigned(_book("ana", 10), person, dispatcher)
    with clock.frozen(local(2026, 3, 4, 9, 20)):
        own_visits.step(appointment_id=visit.pk, step="on_the_way", by=user, eta_minutes=25)
    visit.refresh_from_db()
    shown = tracking(visit, language="en")
    assert shown["status"] == "on_the_way"
    assert shown["status_label"] == "Rosa is on the way."
    assert dt.datetime.fromisoformat(shown["eta"]) == local(2026, 3, 4, 9, 45)
    assert "9:45" in shown["eta_label"]
    told = Message.objects.filter(event="appointment.on_the_way")
    assert "9:45" in told.get(channel="sms").body_text
    assert AuditEvent.objects.filter(action="appointment.on_the_way", actor=user).exists()
    with clock.frozen(local(2026, 3, 4, 9, 50)):
        own_visits.step(appointment_id=visit.pk, step="arrived", by=user)
    with clock.frozen(local(2026, 3, 4, 10, 40)):
        own_visits.step(appointment_id=visit.pk, step="completed", by=user)
    visit.refresh_from_db()
    assert tracking(visit, language="en")["status"] == "completed"
    assert list(visit.events.values_list("kind", "actor__username")) == [
        ("booked", "ana"),
        ("assigned", "drew"),
        ("on_the_way", "rosa"),
        ("arrived", "rosa"),
        ("completed", "rosa"),
    ]


@pytest.mark.parametrize("step", ["on_the_way", "arrived", "completed", "missed"])
def test_another_technicians_visit_is_not_found_and_nothing_changes(
    rosa, marcus, dispatcher, step
) -> None:
    (_, rosa_user), (marcus_t, _) = rosa, marcus
    theirs = _assigned(_book("ana", 10), marcus_t, dispatcher)
    unassigned = _book("ben", 12)
    before = list(Appointment.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    for visit_id in (theirs.pk, unassigned.pk, 987_654):
        with clock.frozen(local(2026, 3, 4, 12, 30)), pytest.raises(AppointmentError) as refused:
            own_visits.step(appointment_id=visit_id, step=step, by=rosa_user, eta_minutes=20)
        assert refused.value.code == "not_found"
        assert refused.value.message == "That visit was not found."
    assert list(Appointment.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events
    assert not Message.objects.filter(event="appointment.on_the_way").exists()


def test_an_unlinked_or_inactive_technician_marks_nothing(rosa, dispatcher) -> None:
    person, user = rosa
    visit = _assigned(_book("ana", 10), person, dispatcher)
    for who in (dispatcher, user):
        with clock.frozen(local(2026, 3, 4, 9)), pytest.raises(AppointmentError) as refused:
            own_visits.step(appointment_id=visit.pk, step="arrived", by=who)
        assert refused.value.code == "not_linked"
        person.is_active = False
        person.save(update_fields=["is_active"])
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED


@pytest.mark.parametrize("minutes", [None, 4, 0, -10, 241, 10_000])
def test_the_minutes_to_arrival_are_bounded_naming_the_field(rosa, dispatcher, minutes) -> None:
    person, user = rosa
    visit = _assigned(_book("ana", 10), person, dispatcher)
    with clock.frozen(local(2026, 3, 4, 9)), pytest.raises(AppointmentError) as refused:
        own_visits.step(appointment_id=visit.pk, step="on_the_way", by=user, eta_minutes=minutes)
    assert (refused.value.code, refused.value.field) == ("invalid", "eta_minutes")
    visit.refresh_from_db()
    assert (visit.status, visit.eta) == (AppointmentStatus.SCHEDULED, None)


@pytest.mark.parametrize("minutes", [5, 240])
def test_the_bounds_themselves_are_allowed(rosa, dispatcher, minutes) -> None:
    person, user = rosa
    visit = _assigned(_book("ana", 10), person, dispatcher)
    with clock.frozen(local(2026, 3, 4, 6)):
        done = own_visits.step(
            appointment_id=visit.pk, step="on_the_way", by=user, eta_minutes=minutes
        )
    assert done.eta == local(2026, 3, 4, 6) + dt.timedelta(minutes=minutes)


def test_steps_follow_dispatchs_transitions(rosa, dispatcher) -> None:
    person, user = rosa
    visit = _assigned(_book("ana", 10), person, dispatcher)
    with clock.frozen(local(2026, 3, 4, 9)):
        for step, field in (("completed", "status"), ("missed", "status"), ("lunch", "step")):
            with pytest.raises(AppointmentError) as refused:
                own_visits.step(appointment_id=visit.pk, step=step, by=user)
            assert (refused.value.code, refused.value.field) == ("invalid", field)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED
    # Missed once the window has started.
    with clock.frozen(local(2026, 3, 4, 10, 30)):
        assert own_visits.steps_for(visit, now=clock.now()) == ("on_the_way", "arrived", "missed")
        own_visits.step(appointment_id=visit.pk, step="missed", by=user)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.MISSED
    assert own_visits.steps_for(visit, now=local(2026, 3, 4, 11)) == ()
    with clock.frozen(local(2026, 3, 4, 11)), pytest.raises(AppointmentError) as refused:
        own_visits.step(appointment_id=visit.pk, step="arrived", by=user)
    assert refused.value.code == "invalid"
