"""Two dispatchers changing one area at the same moment, on PostgreSQL with real threads:
the same exception added twice is kept once, two overlapping windows added at once leave
one, and neither touches the places already booked."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.core import clock
from dropline.customers.models import ServiceArea
from dropline.field import capacity
from dropline.field.errors import AppointmentError
from dropline.field.models import CapacityException, CapacityTemplate, VisitWindow
from tests.support.dispatch import weekly_windows
from tests.support.factories import make_user
from tests.support.services import need

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # a Tuesday
THURSDAY = dt.date(2026, 3, 12)
RACERS = 4


def _at_once(works: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(works))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            with clock.frozen(NOW):
                results.append(work())
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_storm_added_by_several_dispatchers_at_once_is_kept_once() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    area = ServiceArea.objects.create(code="north", name="North")
    with clock.frozen(NOW):
        weekly_windows(area, capacity=3, today=clock.today())
    VisitWindow.objects.filter(area=area, date=THURSDAY).update(booked=2)
    people = [make_user(username=f"dispatcher{n}", is_staff=True) for n in range(RACERS)]

    def storm(by: Any) -> Callable[[], Any]:
        return lambda: capacity.add_exception(
            area_id=area.pk,
            date=THURSDAY,
            starts_at=dt.time(10),
            capacity=1,
            reason="Storm",
            by=by,
        )

    results, errors = _at_once([storm(person) for person in people])

    assert len(results) == 1
    assert len(errors) == RACERS - 1
    assert all(isinstance(e, AppointmentError) and e.field == "date" for e in errors)
    assert CapacityException.objects.count() == 1
    window = VisitWindow.objects.get(area=area, date=THURSDAY, starts_at__hour=10)
    assert (window.capacity, window.booked) == (1, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_windows_added_at_once_leave_one() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    area = ServiceArea.objects.create(code="south", name="South")
    people = [make_user(username=f"planner{n}", is_staff=True) for n in range(RACERS)]

    def window(by: Any, start: int) -> Callable[[], Any]:
        return lambda: capacity.add_template(
            area_id=area.pk,
            weekday=3,
            starts_at=dt.time(start),
            ends_at=dt.time(start + 2),
            capacity=2,
            by=by,
        )

    results, errors = _at_once([window(person, 8 + n % 2) for n, person in enumerate(people)])

    assert len(results) == 1
    assert all(isinstance(e, AppointmentError) for e in errors)
    assert CapacityTemplate.objects.filter(area=area).count() == 1
