"""The dispatch board's reads: the day's windows with their visits (canceled ones
aside), one area or all, in a fixed number of queries; the technicians who may take a
visit; an area's week as a grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from dropline.core import clock
from dropline.customers.models import ServiceArea
from dropline.field import board, booking
from dropline.field.models import Technician
from tests.support.dispatch import book_visit, weekly_windows, window_on
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # a Tuesday
DAY = dt.date(2026, 3, 12)  # Thursday


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def _area(code: str) -> ServiceArea:
    return ServiceArea.objects.get_or_create(code=code, defaults={"name": code.title()})[0]


def test_the_board_shows_each_window_with_its_visits_but_not_canceled_ones() -> None:
    ann = make_customer(username="ann")
    bob = make_customer(username="bob")
    area = ann.account.service_address.service_area
    weekly_windows(area, today=clock.today())
    morning = window_on(area, DAY, 8)
    kept = book_visit(ann, morning)
    gone = book_visit(bob, morning)
    booking.cancel(account=bob.account, person=bob.user, appointment_id=gone.pk)

    shown = board.day_board(day=DAY, area_id=area.pk)

    assert [row.window.starts_at.hour for row in shown.windows] == [8, 10, 12, 14, 16]
    assert [visit.pk for visit in shown.windows[0].visits] == [kept.pk]
    assert shown.visit_count == 1
    assert shown.unassigned_count == 1
    assert all(not row.visits for row in shown.windows[1:])


def test_one_area_shows_only_its_windows() -> None:
    ann = make_customer(username="ann")
    home = ann.account.service_address.service_area
    other = _area("elsewhere")
    weekly_windows(home, today=clock.today())
    weekly_windows(other, today=clock.today())

    assert {row.window.area_id for row in board.day_board(day=DAY, area_id=other.pk).windows} == {
        other.pk
    }
    everywhere = board.day_board(day=DAY)
    assert {row.window.area_id for row in everywhere.windows} == {home.pk, other.pk}
    assert everywhere.area is None


def test_the_board_takes_the_same_few_queries_however_many_visits(
    django_assert_max_num_queries,
):
    customers = [make_customer(username=f"c{n}") for n in range(6)]
    area = customers[0].account.service_address.service_area
    weekly_windows(area, capacity=3, today=clock.today())
    for n, customer in enumerate(customers):
        book_visit(customer, window_on(area, DAY, 8 + 2 * (n % 3)))

    with django_assert_max_num_queries(3):
        shown = board.day_board(day=DAY, area_id=area.pk)
        names = [
            (visit.account.name, str(visit.address), visit.technician, visit.window.starts_at)
            for row in shown.windows
            for visit in row.visits
        ]
    assert len(names) == 6


def test_only_technicians_of_the_area_working_that_day_may_take_a_visit() -> None:
    ann = make_customer(username="ann")
    area = ann.account.service_address.service_area
    weekly_windows(area, today=clock.today())
    visit = book_visit(ann, window_on(area, DAY, 8))  # a Thursday: weekday 3
    works = Technician.objects.create(name="Works Thursday", workdays="0123")
    works.areas.add(area)
    off = Technician.objects.create(name="Off Thursday", workdays="0124")
    off.areas.add(area)
    away = Technician.objects.create(name="Elsewhere", workdays="0123456")
    away.areas.add(_area("elsewhere"))
    gone = Technician.objects.create(name="Left", workdays="0123456", is_active=False)
    gone.areas.add(area)

    assert [t.name for t in board.technicians_for(visit)] == ["Works Thursday"]
    assert board.working_days(works) == ["Monday", "Tuesday", "Wednesday", "Thursday"]


def test_the_week_grid_has_a_row_per_window_and_a_column_per_weekday() -> None:
    area = _area("grid")
    weekly_windows(area, capacity=4, today=clock.today())

    grid = board.template_grid(area_id=area.pk)

    assert [row.starts_at.hour for row in grid] == [8, 10, 12, 14, 16]
    assert all(len(row.days) == 7 for row in grid)
    assert {day.capacity for row in grid for day in row.days if day is not None} == {4}
