"""Reminder timing across a simulated day: the clock moves hour by hour (the beat runs
every five minutes; hourly steps are enough to cross each due moment) and the messages
are counted. The evening before at 18:00, the morning of at 7:00, each once; none for a
visit booked after the moment it was due, nor for a canceled one; a rescheduled visit
gets its own."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from django.test import override_settings

from dropline.core import clock
from dropline.field import booking
from dropline.field.models import Appointment
from dropline.field.reminders import send_due_reminders
from dropline.notifications.models import Message
from tests.support.notifications import Person, make_person
from tests.support.visits import household, local, window_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chicago() -> Iterator[None]:
    with override_settings(
        TIME_ZONE="America/Chicago",
        DROPLINE_VISIT_EVENING_REMINDER_HOUR=18,
        DROPLINE_VISIT_MORNING_REMINDER_HOUR=7,
    ):
        yield


def _book(person: Person, at: dt.datetime, starts_at: dt.datetime) -> Appointment:
    with clock.frozen(at):
        return booking.book(
            account=person.account,
            person=person.user,
            window_id=window_at(person, starts_at).pk,
            reason="repair",
        )


def _run_hourly(start: dt.datetime, hours: int) -> dict[dt.datetime, int]:
    """Every hour from ``start`` (and its half hour): what each run sent."""
    sent = {}
    for step in range(hours * 2):
        moment = start + dt.timedelta(minutes=30 * step)
        with clock.frozen(moment):
            count = send_due_reminders()
        if count:
            sent[moment] = count
    return sent


def _reminders(person: Person) -> Counter[str]:
    """Reminder messages by their kind, on the email channel."""
    keys = Message.objects.filter(
        event="appointment.reminder", channel="email", user=person.user
    ).values_list("subject_key", flat=True)
    return Counter(key.split(":")[3] for key in keys)


def test_evening_before_and_morning_of_once_each() -> None:
    early = household("early")
    _book(early, local(2026, 3, 2, 9), local(2026, 3, 4, 10))
    sent = _run_hourly(local(2026, 3, 3, 0), 36)  # Tuesday 00:00 to Wednesday 12:00
    # email, SMS and in the portal at each moment
    assert sent == {local(2026, 3, 3, 18): 3, local(2026, 3, 4, 7): 3}
    assert _reminders(early) == {"evening": 1, "morning": 1}
    email = (
        Message.objects.filter(event="appointment.reminder", channel="email")
        .order_by("created_at")
        .first()
    )
    assert email is not None
    assert "tomorrow" in email.subject
    assert "/appointments/" in email.body_text
    # Running again changes nothing.
    assert _run_hourly(local(2026, 3, 3, 0), 36) == {}


def test_booked_after_the_evening_reminder_was_due_gets_only_the_morning_one() -> None:
    late = household("late")
    _book(late, local(2026, 3, 3, 20), local(2026, 3, 4, 10))
    _run_hourly(local(2026, 3, 3, 0), 36)
    assert _reminders(late) == {"morning": 1}


def test_booked_after_the_morning_reminder_was_due_gets_none() -> None:
    same_day = household("sameday")
    _book(same_day, local(2026, 3, 4, 7, 30), local(2026, 3, 4, 12))
    _run_hourly(local(2026, 3, 3, 0), 36)
    assert _reminders(same_day) == {}


def test_canceled_visits_are_not_reminded() -> None:
    person = household("canceler")
    visit = _book(person, local(2026, 3, 2, 9), local(2026, 3, 4, 10))
    with clock.frozen(local(2026, 3, 3, 12)):
        booking.cancel(account=person.account, person=person.user, appointment_id=visit.pk)
    _run_hourly(local(2026, 3, 3, 0), 36)
    assert _reminders(person) == {}


def test_a_rescheduled_visit_gets_its_own_reminders() -> None:
    person = household("mover")
    visit = _book(person, local(2026, 3, 2, 9), local(2026, 3, 4, 10))
    _run_hourly(local(2026, 3, 3, 0), 20)  # the evening reminder for Wednesday went out
    with clock.frozen(local(2026, 3, 3, 20)):
        booking.reschedule(
            account=person.account,
            person=person.user,
            appointment_id=visit.pk,
            window_id=window_at(person, local(2026, 3, 6, 8)).pk,
        )
    _run_hourly(local(2026, 3, 3, 20), 60)  # to Friday 8:00
    assert _reminders(person) == {"evening": 2, "morning": 1}
    # Nothing more was said for Wednesday morning, when no visit was due.
    wednesday = Message.objects.filter(
        event="appointment.reminder",
        channel="email",
        created_at__date=dt.date(2026, 3, 4),
    )
    assert not wednesday.exists()


def test_the_morning_reminder_is_not_sent_once_the_window_started() -> None:
    person = household("busy")
    _book(person, local(2026, 3, 2, 9), local(2026, 3, 3, 8))
    # The workers were down from Monday evening until Tuesday 9:00.
    with clock.frozen(local(2026, 3, 3, 9)):
        assert send_due_reminders() == 0


def test_only_the_visits_people_are_told() -> None:
    person = household("told")
    bystander = make_person(username="bystander", area_code="north")
    _book(person, local(2026, 3, 2, 9), local(2026, 3, 4, 10))
    _run_hourly(local(2026, 3, 3, 0), 36)
    assert (
        not Message.objects.filter(user=bystander.user)
        .exclude(event__startswith="security.")
        .exists()
    )
