import datetime as dt

import pytest

from dropline.core.dates import add_months


@pytest.mark.parametrize(
    ("start", "months", "anchor", "expected"),
    [
        (dt.date(2026, 1, 31), 1, None, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, None, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 2, 28), 1, 31, dt.date(2026, 3, 31)),  # anchor restores the 31st
        (dt.date(2026, 3, 30), 11, None, dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 29), 1, None, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, None, dt.date(2025, 2, 28)),
        (dt.date(2026, 12, 15), 1, None, dt.date(2027, 1, 15)),
        (dt.date(2026, 1, 15), -1, None, dt.date(2025, 12, 15)),
        (dt.date(2026, 3, 31), -1, None, dt.date(2026, 2, 28)),
        (dt.date(2026, 4, 30), 1, 30, dt.date(2026, 5, 30)),
    ],
)
def test_month_arithmetic_clamps_to_the_month_length(start, months, anchor, expected):
    assert add_months(start, months, anchor_day=anchor) == expected


def test_a_cycle_anchored_on_the_31st_never_drifts():
    day = dt.date(2026, 1, 31)
    seen = []
    for _ in range(12):
        day = add_months(day, 1, anchor_day=31)
        seen.append(day.day)
    assert seen == [28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31]


def test_anchor_outside_1_to_31_is_refused():
    with pytest.raises(ValueError, match="anchor_day"):
        add_months(dt.date(2026, 1, 1), 1, anchor_day=32)
