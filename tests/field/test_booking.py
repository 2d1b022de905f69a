"""Booking, rescheduling and canceling a visit: places counted, one open visit per
household, the cut-off exactly at its boundary, and the household told each time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from dropline.core import clock
from dropline.field import booking, queries
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, AppointmentEvent, AppointmentStatus, VisitWindow
from dropline.notifications.models import Message
from tests.support.notifications import Person, make_person
from tests.support.visits import household, local, window_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chicago")]


@pytest.fixture
def chicago() -> object:
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


# A Monday morning.
def monday(hour: int = 9, minute: int = 0) -> dt.datetime:
    return local(2026, 3, 2, hour, minute)


def book_at(person: Person, starts_at: dt.datetime, *, reason: str = "repair") -> Appointment:
    window = window_at(person, starts_at)
    return booking.book(
        account=person.account, person=person.user, window_id=window.pk, reason=reason
    )


def test_booking_takes_a_place_and_tells_the_household() -> None:
    person = household()
    with clock.frozen(monday()):
        visit = book_at(person, local(2026, 3, 3, 10))
    assert visit.number.startswith("V-")
    assert visit.status == AppointmentStatus.SCHEDULED
    assert visit.ics_sequence == 0
    assert visit.ics_uid.endswith("@127.0.0.1")
    assert VisitWindow.objects.get(pk=visit.window_id).booked == 1
    channels = set(
        Message.objects.filter(event="appointment.booked").values_list("channel", flat=True)
    )
    assert channels == {"email", "sms", "in_app"}
    email = Message.objects.get(event="appointment.booked", channel="email")
    assert email.attachments[0]["content_type"] == "text/calendar; method=REQUEST"
    assert f"/appointments/{visit.pk}/" in email.body_text
    assert "between 10" in email.body_text
    assert not Message.objects.get(event="appointment.booked", channel="sms").attachments
    assert list(AppointmentEvent.objects.values_list("kind", flat=True)) == ["booked"]


def test_one_open_visit_per_household() -> None:
    person = household()
    with clock.frozen(monday()):
        book_at(person, local(2026, 3, 3, 10))
        with pytest.raises(AppointmentError) as refused:
            book_at(person, local(2026, 3, 4, 10))
    assert refused.value.code == "already_booked"
    assert VisitWindow.objects.filter(booked__gt=0).count() == 1


def test_a_bad_reason_names_the_field_and_writes_nothing() -> None:
    person = household()
    with clock.frozen(monday()), pytest.raises(AppointmentError) as refused:
        book_at(person, local(2026, 3, 3, 10), reason="haircut")
    assert (refused.value.code, refused.value.field) == ("invalid", "reason")
    assert not VisitWindow.objects.filter(booked__gt=0).exists()


def test_a_window_in_another_area_is_not_found() -> None:
    person = household()
    other = household("other", area_code="south")
    with clock.frozen(monday()):
        theirs = window_at(other, local(2026, 3, 3, 10))
        with pytest.raises(AppointmentError) as refused:
            booking.book(
                account=person.account, person=person.user, window_id=theirs.pk, reason="repair"
            )
    assert (refused.value.code, refused.value.field) == ("not_found", "window_id")


def test_a_full_window_offers_the_nearest_open_ones() -> None:
    first = household("first", capacity=1)
    second = make_person(username="second", area_code="north")
    with clock.frozen(monday()):
        book_at(first, local(2026, 3, 3, 12))
        with pytest.raises(AppointmentError) as refused:
            book_at(second, local(2026, 3, 3, 12))
    assert refused.value.code == "full"
    starts = [offer.starts_at for offer in refused.value.alternatives]
    assert starts == [local(2026, 3, 3, 8), local(2026, 3, 3, 10), local(2026, 3, 3, 14)] or (
        starts == [local(2026, 3, 3, 10), local(2026, 3, 3, 14), local(2026, 3, 3, 16)]
    )
    assert all(offer.open_places > 0 for offer in refused.value.alternatives)
    assert VisitWindow.objects.get(starts_at=local(2026, 3, 3, 12)).booked == 1


@override_settings(DROPLINE_VISIT_CHANGE_CUTOFF_HOURS=2)
def test_booking_cut_off_exactly_at_the_boundary() -> None:
    person = household()
    starts = local(2026, 3, 2, 14)
    late = starts - dt.timedelta(hours=2, seconds=-1)
    with clock.frozen(late), pytest.raises(AppointmentError) as refused:
        book_at(person, starts)
    assert refused.value.code == "past_cutoff"
    with clock.frozen(starts - dt.timedelta(hours=2)):
        assert book_at(person, starts).window.starts_at == starts


@override_settings(DROPLINE_VISIT_CHANGE_CUTOFF_HOURS=2)
def test_reschedule_keeps_the_uid_frees_the_old_place_and_respects_the_cut_off() -> None:
    person = household()
    with clock.frozen(monday(8)):
        visit = book_at(person, local(2026, 3, 2, 14))
        later = window_at(person, local(2026, 3, 4, 8))
    with clock.frozen(local(2026, 3, 2, 12, 0, 1)), pytest.raises(AppointmentError) as refused:
        booking.reschedule(
            account=person.account, person=person.user, appointment_id=visit.pk, window_id=later.pk
        )
    assert refused.value.code == "past_cutoff"
    with clock.frozen(local(2026, 3, 2, 12)):
        moved = booking.reschedule(
            account=person.account, person=person.user, appointment_id=visit.pk, window_id=later.pk
        )
    assert moved.ics_uid == visit.ics_uid
    assert moved.ics_sequence == 1
    assert VisitWindow.objects.get(pk=visit.window_id).booked == 0
    assert VisitWindow.objects.get(pk=later.pk).booked == 1
    email = Message.objects.get(event="appointment.rescheduled", channel="email")
    assert "Wednesday, March 4" in email.body_text


@override_settings(DROPLINE_VISIT_CHANGE_CUTOFF_HOURS=2)
def test_cancel_frees_the_place_up_to_the_cut_off_only() -> None:
    person = household()
    with clock.frozen(monday(8)):
        visit = book_at(person, local(2026, 3, 2, 16))
    with clock.frozen(local(2026, 3, 2, 14, 0, 1)), pytest.raises(AppointmentError) as refused:
        booking.cancel(account=person.account, person=person.user, appointment_id=visit.pk)
    assert refused.value.code == "past_cutoff"
    with clock.frozen(local(2026, 3, 2, 14)):
        canceled = booking.cancel(
            account=person.account, person=person.user, appointment_id=visit.pk
        )
        assert not queries.can_change(canceled)
    assert canceled.status == AppointmentStatus.CANCELED
    assert canceled.ics_sequence == 1
    assert VisitWindow.objects.get(pk=visit.window_id).booked == 0
    email = Message.objects.get(event="appointment.canceled", channel="email")
    assert email.attachments[0]["content_type"] == "text/calendar; method=CANCEL"
    with clock.frozen(local(2026, 3, 2, 14)), pytest.raises(AppointmentError) as again:
        booking.cancel(account=person.account, person=person.user, appointment_id=visit.pk)
    assert again.value.code == "invalid"


def test_another_households_visit_cannot_be_changed() -> None:
    person = household()
    other = make_person(username="other", area_code="north")
    with clock.frozen(monday()):
        visit = book_at(person, local(2026, 3, 3, 10))
        with pytest.raises(AppointmentError) as refused:
            booking.cancel(account=other.account, person=other.user, appointment_id=visit.pk)
    assert refused.value.code == "not_found"
    assert VisitWindow.objects.get(pk=visit.window_id).booked == 1
