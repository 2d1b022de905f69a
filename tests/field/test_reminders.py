"""Reminder timing across a simulated day: the clock moves hour by hour (the beat runs
every five minutes; hourly steps are enough to cross each due moment) and the messages
are counted. The evening before at 18:00, the morning of at 7:00, each once; none for a
visit booked after the moment it was due, nor for a canceled one; a rescheduled visit
gets its own."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dropline.core import clock
from dropline.field import booking, notices
from dropline.field.models import Appointment, AppointmentEvent, AppointmentEventKind
from dropline.field.reminders import EVENING, due_at, send_due_reminders
from dropline.notifications.models import Message
from tests.support.notifications import Person, make_person
from tests.support.services import need
from tests.support.visits import WINDOWS, household, local, window_at

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


def _households(prefix: str, count: int, day: dt.date, language: str = "") -> list[Appointment]:
    """``count`` households, each with a visit on ``day`` (booked the week before),
    spread over the day's windows."""
    visits = []
    for i in range(count):
        person = household(f"{prefix}{i}", capacity=20, language=language)
        start, _ = WINDOWS[i % len(WINDOWS)]
        starts_at = local(day.year, day.month, day.day, start)
        visits.append(_book(person, starts_at - dt.timedelta(days=7), starts_at))
    return visits


def _evening_run(day: dt.date) -> tuple[int, int]:
    """The evening run before ``day``: (messages sent, statements it took)."""
    moment = due_at(EVENING, day)
    with clock.frozen(moment), CaptureQueriesContext(connection) as queries:
        sent = send_due_reminders()
    return sent, len(queries)


def test_the_statements_do_not_grow_with_the_visits() -> None:
    _households("few", 2, dt.date(2026, 3, 4))
    _households("many", 20, dt.date(2026, 3, 11))
    few, few_statements = _evening_run(dt.date(2026, 3, 4))
    many, many_statements = _evening_run(dt.date(2026, 3, 11))
    assert (few, many) == (2 * 3, 20 * 3)  # e-mail, SMS and in the portal each
    assert many_statements == few_statements
    reminded = AppointmentEvent.objects.filter(kind=AppointmentEventKind.REMINDED)
    assert reminded.count() == 22
    assert {event.detail["messages"] for event in reminded} == {3}


def test_a_second_run_sends_nothing_and_asks_once_for_every_visit() -> None:
    _households("again", 20, dt.date(2026, 3, 4))
    assert _evening_run(dt.date(2026, 3, 4))[0] == 60
    # Five minutes later, and at 22:00: the visits due and what was recorded for them.
    for later in (dt.timedelta(minutes=5), dt.timedelta(hours=4)):
        moment = due_at(EVENING, dt.date(2026, 3, 4)) + later
        with clock.frozen(moment), CaptureQueriesContext(connection) as queries:
            assert send_due_reminders() == 0
        assert len(queries) == 2
    assert Message.objects.filter(event=notices.REMINDER).count() == 60
    assert AppointmentEvent.objects.filter(kind=AppointmentEventKind.REMINDED).count() == 20


def _as_told(visit: Appointment) -> set[tuple[Any, ...]]:
    """What a reminder of ``visit`` says, as the one-visit ``notices.tell`` words it: its
    messages' keys, addresses, languages and every word of them, then forgotten."""
    told = notices.tell(visit, event=notices.REMINDER, extra_key=_key(visit), kind=EVENING)
    Message.objects.filter(pk__in=[message.pk for message in told]).delete()
    return {_said(message) for message in told}


def _said(message: Message) -> tuple[Any, ...]:
    return (
        message.idempotency_key,
        message.channel,
        message.to_address,
        message.language,
        message.subject,
        message.body_text,
        message.body_html,
        message.link,
    )


def test_a_reminder_says_what_a_visit_reminded_alone_is_told_in_english_and_spanish() -> None:
    english = _households("english", 1, dt.date(2026, 3, 4))[0]
    spanish = _households("spanish", 1, dt.date(2026, 3, 4), language="es")[0]
    moment = due_at(EVENING, dt.date(2026, 3, 4))
    with clock.frozen(moment):
        expected = _as_told(english) | _as_told(spanish)
        assert send_due_reminders() == 6
    sent = Message.objects.filter(event=notices.REMINDER)
    assert {_said(message) for message in sent} == expected

    sms = {m.language: m.body_text for m in sent.filter(channel="sms")}
    assert "Wednesday, March 4, between" in sms["en"]
    assert "el miércoles 4 de marzo, entre las 08:00 y las 10:00" in sms["es"]
    emails = {m.language: m for m in sent.filter(channel="email")}
    assert "Repair" in emails["en"].body_text
    assert "Reparación" in emails["es"].body_text
    assert "Reparación" in emails["es"].body_html
    assert emails["es"].subject.startswith("Recordatorio")
    assert "Wednesday" not in emails["es"].body_text
    assert "miércoles" not in emails["en"].body_text
    assert emails["es"].link == f"/appointments/{spanish.pk}/"


def test_a_reminder_sent_the_old_way_is_not_sent_again() -> None:
    """Messages recorded by ``notices.tell`` under the same keys are left as they are;
    only the visit's event is written."""
    visit = _households("before", 1, dt.date(2026, 3, 4))[0]
    with clock.frozen(due_at(EVENING, dt.date(2026, 3, 4))):
        notices.tell(visit, event=notices.REMINDER, extra_key=_key(visit), kind=EVENING)
        send_due_reminders()
    assert Message.objects.filter(event=notices.REMINDER).count() == 3


def _at_once(moment: dt.datetime, runs: int) -> tuple[list[int], list[BaseException]]:
    barrier = threading.Barrier(runs)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(send_due_reminders(now=moment))
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # Celery's eager mode keeps a process-wide flag that threads can leave set.
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_remind_each_visit_once() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    visits = _households("racing", 12, dt.date(2026, 3, 4))

    results, errors = _at_once(due_at(EVENING, dt.date(2026, 3, 4)), runs=2)

    assert errors == []
    assert len(results) == 2
    assert sum(results) == 12 * 3
    sent = Message.objects.filter(event=notices.REMINDER)
    assert sent.count() == 12 * 3
    assert Counter(m.subject_key for m in sent) == {
        notices.subject_key(visit.pk, notices.REMINDER, _key(visit)): 3 for visit in visits
    }
    reminded = AppointmentEvent.objects.filter(kind=AppointmentEventKind.REMINDED)
    assert sorted(reminded.values_list("appointment_id", flat=True)) == sorted(
        visit.pk for visit in visits
    )


def _key(visit: Appointment) -> str:
    return f"evening:{visit.window.starts_at.astimezone(dt.UTC):%Y%m%dT%H%MZ}"
