"""Bill cycles: anchored on a day of the month, clamped in short months, never drifting."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dropline.customers.cycles import (
    Cycle,
    anchor_days_starting_on,
    cycle_containing,
    cycle_starting_on,
)

D = dt.date


@pytest.mark.parametrize(
    ("anchor", "day", "start", "end"),
    [
        (15, D(2026, 3, 20), D(2026, 3, 15), D(2026, 4, 14)),
        (15, D(2026, 3, 14), D(2026, 2, 15), D(2026, 3, 14)),
        (1, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        (31, D(2027, 2, 28), D(2027, 2, 28), D(2027, 3, 30)),  # clamped to Feb 28
        (31, D(2027, 2, 27), D(2027, 1, 31), D(2027, 2, 27)),
        (31, D(2028, 2, 29), D(2028, 2, 29), D(2028, 3, 30)),  # leap year: Feb 29
        (30, D(2028, 3, 1), D(2028, 2, 29), D(2028, 3, 29)),
        (29, D(2027, 3, 28), D(2027, 2, 28), D(2027, 3, 28)),
        (31, D(2026, 12, 31), D(2026, 12, 31), D(2027, 1, 30)),
    ],
)
def test_the_cycle_a_day_falls_in(anchor, day, start, end):
    assert cycle_containing(anchor, day) == Cycle(start=start, end=end)


def test_a_cycle_knows_its_length_neighbours_and_days():
    cycle = cycle_containing(31, D(2027, 3, 1))
    assert cycle == Cycle(D(2027, 2, 28), D(2027, 3, 30))
    assert cycle.days == 31
    assert cycle.next() == Cycle(D(2027, 3, 31), D(2027, 4, 29))
    assert cycle.previous() == Cycle(D(2027, 1, 31), D(2027, 2, 27))
    assert cycle.contains(D(2027, 3, 30))
    assert not cycle.contains(D(2027, 3, 31))
    assert not cycle.contains(D(2027, 2, 27))


def test_only_a_cycle_start_day_starts_a_cycle():
    assert cycle_starting_on(15, D(2026, 3, 15)) == Cycle(D(2026, 3, 15), D(2026, 4, 14))
    assert cycle_starting_on(15, D(2026, 3, 16)) is None
    assert cycle_starting_on(31, D(2026, 4, 30)) == Cycle(D(2026, 4, 30), D(2026, 5, 30))


@pytest.mark.parametrize(
    ("day", "anchors"),
    [
        (D(2027, 2, 28), [28, 29, 30, 31]),
        (D(2028, 2, 28), [28]),
        (D(2028, 2, 29), [29, 30, 31]),
        (D(2026, 4, 30), [30, 31]),
        (D(2026, 5, 30), [30]),
        (D(2026, 5, 31), [31]),
        (D(2026, 3, 1), [1]),
    ],
)
def test_which_anchors_start_a_cycle_on_a_day(day, anchors):
    assert anchor_days_starting_on(day) == anchors


def test_a_cycle_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        Cycle(D(2026, 3, 5), D(2026, 3, 4))


@given(anchor=st.sampled_from([28, 29, 30, 31]), year=st.integers(2023, 2033))
def test_cycles_tile_the_calendar_twelve_a_year(anchor, year):
    cycle = cycle_containing(anchor, D(year, 1, 1))
    starts = []
    while cycle.start.year <= year:
        following = cycle.next()
        assert following.start == cycle.end + dt.timedelta(days=1)
        assert following.previous() == cycle
        assert 28 <= cycle.days <= 31
        if cycle.start.year == year:
            starts.append(cycle.start)
        cycle = following
    assert len(starts) == 12
    assert [start.month for start in starts] == list(range(1, 13))
    february = starts[1]
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    assert february.day == min(anchor, 29 if leap else 28)


def test_anchor_31_in_february_2028_starts_on_the_29th():
    assert cycle_containing(31, D(2028, 3, 1)).start == D(2028, 2, 29)
    assert cycle_starting_on(31, D(2028, 2, 29)) is not None
    assert 31 in anchor_days_starting_on(D(2028, 2, 29))


@given(
    anchor=st.integers(1, 31),
    day=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
)
def test_every_day_is_in_exactly_one_cycle_that_starts_on_an_anchor(anchor, day):
    cycle = cycle_containing(anchor, day)
    assert cycle.contains(day)
    assert not cycle.next().contains(day)
    assert not cycle.previous().contains(day)
    assert anchor in anchor_days_starting_on(cycle.start)
    assert cycle_starting_on(anchor, cycle.start) == cycle
