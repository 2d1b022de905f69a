"""The visit's calendar invitation, parsed back with icalendar: the same UID for the
visit's whole life, a higher SEQUENCE at each change, times in the provider's zone, and
the cancellation in iCalendar's own form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from icalendar import Calendar, Component

from dropline.core import clock
from dropline.field import booking
from dropline.field.calendar import ics_for
from tests.support.visits import household, local, window_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chicago")]


@pytest.fixture
def chicago() -> object:
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


def parsed(data: bytes) -> tuple[Calendar, Component]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_invitation_then_reschedule_then_cancel() -> None:
    person = household()
    with clock.frozen(local(2026, 3, 2, 9)):
        visit = booking.book(
            account=person.account,
            person=person.user,
            window_id=window_at(person, local(2026, 3, 3, 10)).pk,
            reason="repair",
            details="No internet since Sunday",
        )
        calendar, event = parsed(ics_for(visit))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    assert "Dropline" in str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    start = event.decoded("DTSTART")
    assert start == local(2026, 3, 3, 10)
    assert str(start.tzinfo) == "America/Chicago"
    assert event.decoded("DTEND") == local(2026, 3, 3, 12)
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=-6)
    assert str(event["UID"]) == visit.ics_uid
    assert event.decoded("SEQUENCE") == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Test" not in str(event["LOCATION"])
    assert "Notify Street" in str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    assert "Repair" in description
    assert "No internet since Sunday" in description
    assert f"/appointments/{visit.pk}/" in description

    # After the change to summer time, the window is still 8-10 on the clocks, at -5.
    with clock.frozen(local(2026, 3, 2, 10)):
        later = window_at(person, local(2026, 3, 9, 8))
        moved = booking.reschedule(
            account=person.account, person=person.user, appointment_id=visit.pk, window_id=later.pk
        )
        _, event = parsed(ics_for(moved))
    assert str(event["UID"]) == visit.ics_uid
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == local(2026, 3, 9, 8)
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=-5)

    with clock.frozen(local(2026, 3, 2, 11)):
        canceled = booking.cancel(
            account=person.account, person=person.user, appointment_id=visit.pk
        )
        calendar, event = parsed(ics_for(canceled))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == visit.ics_uid
    assert event.decoded("SEQUENCE") == 2


def test_invitation_in_spanish() -> None:
    person = household(language="es")
    person.account.preferred_language = "es"
    person.account.save()
    with clock.frozen(local(2026, 3, 2, 9)):
        visit = booking.book(
            account=person.account,
            person=person.user,
            window_id=window_at(person, local(2026, 3, 3, 10)).pk,
            reason="installation",
        )
        _, event = parsed(ics_for(visit, language="es"))
    assert "Instalación" in str(event["SUMMARY"])
