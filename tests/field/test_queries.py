"""Reads of visits stay within one account; the windows offered open themselves when the
nightly task has not run, start after the cut-off and have places; staff bookings are
audited and may go past the customer's cut-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import override_settings

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.field import booking, queries
from dropline.field.errors import AppointmentError
from dropline.field.models import VisitWindow
from tests.support.factories import make_user
from tests.support.notifications import make_person
from tests.support.visits import household, local, window_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chicago() -> Iterator[None]:
    with override_settings(TIME_ZONE="America/Chicago", DROPLINE_VISIT_CHANGE_CUTOFF_HOURS=2):
        yield


def test_windows_open_themselves_and_start_after_the_cut_off() -> None:
    person = household()
    assert not VisitWindow.objects.exists()
    with clock.frozen(local(2026, 3, 2, 9, 30)):
        offers = queries.bookable_windows(account=person.account, reason="repair")
    assert offers[0].starts_at == local(2026, 3, 2, 12)
    assert offers[-1].starts_at == local(2026, 3, 16, 16)
    assert all(o.open_places == 2 for o in offers)
    VisitWindow.objects.filter(pk=offers[0].id).update(booked=2)
    with clock.frozen(local(2026, 3, 2, 9, 30)):
        again = queries.bookable_windows(account=person.account, reason="repair")
    assert again[0].starts_at == local(2026, 3, 2, 14)
    with pytest.raises(AppointmentError) as bad:
        queries.bookable_windows(account=person.account, reason="")
    assert bad.value.field == "reason"


def test_reads_stay_within_the_account() -> None:
    ana = household("ana")
    ben = make_person(username="ben", area_code="north")
    with clock.frozen(local(2026, 3, 2, 9)):
        visit = booking.book(
            account=ana.account,
            person=ana.user,
            window_id=window_at(ana, local(2026, 3, 3, 10)).pk,
            reason="repair",
        )
        assert queries.upcoming_appointment(account=ana.account) == visit
        assert queries.upcoming_appointment(account=ben.account) is None
        assert queries.appointment_for(account=ben.account, appointment_id=visit.pk) is None
        assert list(queries.appointments_for(account=ben.account)) == []
        assert queries.can_change(visit)
    with clock.frozen(local(2026, 3, 3, 8, 0, 1)):
        assert not queries.can_change(visit)


def test_staff_may_book_past_the_cut_off_and_are_audited() -> None:
    ana = household("ana")
    care = make_user(username="casey", is_staff=True)
    with clock.frozen(local(2026, 3, 2, 9, 30)):
        soon = window_at(ana, local(2026, 3, 2, 10))
        with pytest.raises(AppointmentError):
            booking.book(account=ana.account, person=ana.user, window_id=soon.pk, reason="repair")
        visit = booking.book(
            account=ana.account,
            person=ana.user,
            window_id=soon.pk,
            reason="repair",
            by_staff=care,
        )
    assert visit.booked_by == care
    [event] = AuditEvent.objects.filter(action="appointment.booked")
    assert event.actor == care
    assert event.account_number == ana.account.number
    with (
        clock.frozen(local(2026, 3, 2, 10) + dt.timedelta(seconds=1)),
        pytest.raises(AppointmentError),
    ):
        booking.cancel(account=ana.account, person=ana.user, appointment_id=visit.pk, by_staff=care)
