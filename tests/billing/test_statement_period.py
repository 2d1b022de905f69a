"""The days a statement covers: the last 12 months up to today unless asked otherwise,
never more than 12 months, never past today; a period that cannot be shown names the
date at fault."""

import datetime as dt

import pytest

from dropline.billing.errors import StatementPeriodError
from dropline.billing.queries import statement_period

TODAY = dt.date(2026, 6, 30)


def test_the_last_12_months_up_to_today_by_default():
    assert statement_period(today=TODAY) == (dt.date(2025, 7, 1), TODAY)


def test_twelve_months_back_from_the_end_asked_for():
    assert statement_period(end=dt.date(2026, 2, 28), today=TODAY) == (
        dt.date(2025, 3, 1),
        dt.date(2026, 2, 28),
    )
    # Clamped to the month's length: a year back from Feb 29 ends on Feb 28.
    assert statement_period(end=dt.date(2024, 2, 29), today=TODAY)[0] == dt.date(2023, 3, 1)


def test_any_start_within_12_months():
    assert statement_period(start=dt.date(2026, 6, 30), today=TODAY) == (TODAY, TODAY)
    assert statement_period(start=dt.date(2025, 7, 1), today=TODAY)[0] == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("start", "end", "field", "reason"),
    [
        (None, dt.date(2026, 7, 1), "end", "Choose an end date no later than today."),
        (
            dt.date(2026, 6, 2),
            dt.date(2026, 6, 1),
            "start",
            "Choose a start date on or before the end date.",
        ),
        (
            dt.date(2025, 6, 30),
            None,
            "start",
            "A statement covers at most 12 months: choose a start date from July 1, 2025 on.",
        ),
    ],
)
def test_a_period_that_cannot_be_shown(start, end, field, reason):
    with pytest.raises(StatementPeriodError) as refused:
        statement_period(start=start, end=end, today=TODAY)
    assert (refused.value.field, refused.value.reason) == (field, reason)


def test_the_first_days_of_the_calendar():
    first = dt.date(1, 1, 1)
    assert statement_period(start=first, end=dt.date(1, 6, 1), today=TODAY) == (
        first,
        dt.date(1, 6, 1),
    )
    assert statement_period(end=first, today=TODAY) == (first, first)
