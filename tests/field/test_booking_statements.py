"""A booking costs a fixed number of SQL statements, and so does a refusal with its
alternatives, whatever the number of windows in the area and of visits booked in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dropline.core import clock
from dropline.field import booking
from dropline.field.errors import AppointmentError
from dropline.field.models import VisitWindow
from dropline.field.windows import open_windows
from tests.support.notifications import Person, make_person
from tests.support.visits import household, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 2, 9)  # a Monday morning
# Statements of one booking: the account's lock, its address, the open-visit check, the
# window's lock, ``booked`` moved, the number, the visit, its event, and the household's
# three messages (e-mail with the invitation, SMS, in-app) with the person's settings,
# each write in its savepoint.
BOOK_STATEMENTS = 30
# A refusal: the locks and checks, rolled back, then the area's last week and its open
# windows for the alternatives.
REFUSED_STATEMENTS = 8


def statements(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def refused(call: Callable[[], object]) -> Callable[[], object]:
    def refusal() -> None:
        with pytest.raises(AppointmentError) as refusal:
            call()
        assert refusal.value.code == "full"
        assert len(refusal.value.alternatives) == 3

    return refusal


def book(person: Person, window: VisitWindow) -> Callable[[], object]:
    return lambda: booking.book(
        account=person.account, person=person.user, window_id=window.pk, reason="repair"
    )


def windows() -> list[VisitWindow]:
    return list(VisitWindow.objects.filter(starts_at__gt=NOW + dt.timedelta(days=1)))


def test_a_booking_and_a_refusal_cost_the_same_with_more_windows_and_visits() -> None:
    people = [household("first", capacity=1, phone="+15155550100")] + [
        make_person(username=f"other{i}", phone=f"+1515555011{i}") for i in range(8)
    ]
    with clock.frozen(NOW):
        open_windows()
        few = windows()
        booking.book(  # the visits' number sequence exists from now on
            account=people[0].account, person=people[0].user, window_id=few[0].pk, reason="repair"
        )
        counted = [
            (statements(book(people[1], few[1])), statements(refused(book(people[2], few[0]))))
        ]

        with override_settings(DROPLINE_BOOKING_DAYS=40):
            open_windows()
            many = windows()
            for person, window in zip(people[3:7], many[2:], strict=False):
                book(person, window)()
            counted.append(
                (
                    statements(book(people[7], many[10])),
                    statements(refused(book(people[8], many[0]))),
                )
            )

    assert len(many) > 2 * len(few)
    assert counted == [(BOOK_STATEMENTS, REFUSED_STATEMENTS)] * 2
