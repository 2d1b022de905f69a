"""Opening windows: made from the templates on the provider's clocks (across daylight
saving changes too), lowered or closed by exceptions without losing a booking, written
in bulk, and not written again when nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from dropline.core import clock
from dropline.field.models import CapacityException, CapacityTemplate, VisitWindow
from dropline.field.windows import local_moment, open_windows
from tests.support.notifications import area
from tests.support.visits import add_templates, local

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True)
def chicago() -> Iterator[None]:
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


def _exception(code: str, date: dt.date, capacity: int, starts_at: dt.time | None = None) -> None:
    CapacityException.objects.create(
        area=area(code),
        date=date,
        starts_at=starts_at,
        capacity=capacity,
        reason="Storm",
        created_at=clock.now(),
    )


def test_every_area_gets_its_weekday_windows_up_to_the_horizon() -> None:
    add_templates(area("north"), capacity=3)
    add_templates(area("south"), capacity=1, weekdays=(5,), windows=[(8, 10)])
    # Monday March 2 to Monday March 16, 2026: eleven weekdays and two Saturdays.
    assert open_windows(today=dt.date(2026, 3, 2), days=14) == 11 * 5 + 2
    north = VisitWindow.objects.filter(area=area("north"))
    assert north.count() == 55
    assert set(north.values_list("capacity", flat=True)) == {3}
    first = north.order_by("starts_at").first()
    assert first is not None
    assert first.starts_at == local(2026, 3, 2, 8)
    assert first.ends_at == local(2026, 3, 2, 10)
    assert not VisitWindow.objects.filter(date__gt=dt.date(2026, 3, 16)).exists()
    assert VisitWindow.objects.filter(area=area("south")).count() == 2


def test_opening_again_changes_nothing_and_writes_in_one_statement() -> None:
    add_templates(area("north"))
    open_windows(today=dt.date(2026, 3, 2), days=14)
    with CaptureQueriesContext(connection) as queries:
        assert open_windows(today=dt.date(2026, 3, 2), days=14) == 0
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    _exception("north", dt.date(2026, 3, 4), 0)
    with CaptureQueriesContext(connection) as queries:
        assert open_windows(today=dt.date(2026, 3, 2), days=14) == 5
    writes = [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1


def test_exceptions_lower_or_close_windows_and_keep_bookings() -> None:
    add_templates(area("north"), capacity=3)
    open_windows(today=dt.date(2026, 3, 2), days=14)
    VisitWindow.objects.filter(starts_at=local(2026, 3, 5, 10)).update(booked=2)
    _exception("north", dt.date(2026, 3, 4), 0)  # a holiday: the whole day
    _exception("north", dt.date(2026, 3, 5), 1, dt.time(10))  # a storm: one window
    open_windows(today=dt.date(2026, 3, 2), days=14)
    holiday = VisitWindow.objects.filter(date=dt.date(2026, 3, 4))
    assert set(holiday.values_list("capacity", flat=True)) == {0}
    storm = VisitWindow.objects.get(starts_at=local(2026, 3, 5, 10))
    assert storm.capacity == 1
    assert storm.booked == 2
    assert storm.open_places == 0
    assert VisitWindow.objects.get(starts_at=local(2026, 3, 5, 12)).capacity == 3


def test_a_removed_template_closes_its_windows() -> None:
    add_templates(area("north"))
    open_windows(today=dt.date(2026, 3, 2), days=7)
    CapacityTemplate.objects.filter(weekday=2, starts_at=dt.time(16)).delete()
    assert open_windows(today=dt.date(2026, 3, 2), days=7) == 1
    assert VisitWindow.objects.get(starts_at=local(2026, 3, 4, 16)).capacity == 0


def test_past_windows_are_left_alone() -> None:
    add_templates(area("north"))
    open_windows(today=dt.date(2026, 3, 2), days=7)
    _exception("north", dt.date(2026, 3, 3), 0)
    open_windows(today=dt.date(2026, 3, 4), days=7)
    assert set(
        VisitWindow.objects.filter(date=dt.date(2026, 3, 3)).values_list("capacity", flat=True)
    ) == {2}


def test_windows_keep_their_wall_clock_hours_across_the_spring_change() -> None:
    add_templates(area("north"), weekdays=tuple(range(7)), windows=[(8, 10)])
    open_windows(today=dt.date(2026, 3, 7), days=2)  # clocks go forward on Sunday March 8
    starts = list(VisitWindow.objects.order_by("starts_at").values_list("starts_at", "ends_at"))
    assert [s.astimezone(CHICAGO).hour for s, _ in starts] == [8, 8, 8]
    assert [(e - s) for s, e in starts] == [dt.timedelta(hours=2)] * 3
    assert [s.astimezone(dt.UTC).hour for s, _ in starts] == [14, 13, 13]


@given(
    day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    start=st.integers(min_value=0, max_value=22),
    length=st.integers(min_value=1, max_value=4),
)
def test_local_moments_read_back_as_the_wall_clock(day: dt.date, start: int, length: int) -> None:
    """Any window on any day reads back on the provider's clocks as the template's hours
    (but for a start skipped by the change to summer time, which lands just after), and
    ends after it starts."""
    end = min(start + length, 23)
    with override_settings(TIME_ZONE="America/Chicago"):
        begins = local_moment(day, dt.time(start))
        ends = local_moment(day, dt.time(end))
    assert begins.tzinfo == dt.UTC
    back = begins.astimezone(CHICAGO)
    assert back.date() == day
    assert back.hour in (start, start + 1)
    if back.hour == start + 1:  # only in the spring gap, 2 a.m. on the change's Sunday
        assert start == 2
        assert day.month == 3
    assert ends > begins
