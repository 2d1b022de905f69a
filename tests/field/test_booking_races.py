"""Many households pressing "book" on the last place of a window at the same moment, on
PostgreSQL with real threads: exactly one gets it, every other is told the window is
full and offered the nearest open ones, and the window counts exactly its capacity. One
household booking two windows at once from two tabs gets one visit."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.core import clock
from dropline.field import booking
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment, VisitWindow
from dropline.field.windows import open_windows
from tests.support.notifications import Person, make_person
from tests.support.services import need
from tests.support.visits import household

NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
RACERS = 6


def _at_once(works: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(works))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    with clock.frozen(NOW):
        threads = [threading.Thread(target=run, args=(work,)) for work in works]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    # Celery's eager mode keeps a process-wide flag that threads can leave set.
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


def _booker(person: Person, window_id: int) -> Callable[[], int]:
    def work() -> int:
        return booking.book(
            account=person.account, person=person.user, window_id=window_id, reason="repair"
        ).pk

    return work


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_exactly_one_of_many() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    people = [household("racer0", capacity=1)] + [
        make_person(username=f"racer{i}", area_code="north") for i in range(1, RACERS)
    ]
    with clock.frozen(NOW):
        open_windows()
    window = VisitWindow.objects.filter(starts_at__gt=NOW + dt.timedelta(days=1)).first()
    assert window is not None

    results, errors = _at_once([_booker(person, window.pk) for person in people])

    assert len(results) == 1
    assert len(errors) == RACERS - 1
    assert all(isinstance(error, AppointmentError) for error in errors)
    assert {error.code for error in errors if isinstance(error, AppointmentError)} == {"full"}
    for error in errors:
        assert isinstance(error, AppointmentError)
        assert len(error.alternatives) == 3
        assert window.pk not in {offer.id for offer in error.alternatives}
    window.refresh_from_db()
    assert window.booked == window.capacity == 1
    assert Appointment.objects.filter(window=window).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_household_booking_from_two_tabs_gets_one_visit() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    person = household("tabs", capacity=2)
    with clock.frozen(NOW):
        open_windows()
    first, second = VisitWindow.objects.filter(starts_at__gt=NOW + dt.timedelta(days=1))[:2]

    results, errors = _at_once([_booker(person, first.pk), _booker(person, second.pk)])

    assert len(results) == 1
    assert [e.code for e in errors if isinstance(e, AppointmentError)] == ["already_booked"]
    assert Appointment.objects.filter(account=person.account).count() == 1
    assert sum(VisitWindow.objects.values_list("booked", flat=True)) == 1
