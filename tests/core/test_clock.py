import datetime as dt

import pytest

from dropline.core import clock


def test_frozen_clock_moves_now_and_today_then_restores():
    moment = dt.datetime(2028, 2, 29, 12, 0, tzinfo=dt.UTC)
    with clock.frozen(moment):
        assert clock.now() == moment
        assert clock.today() == dt.date(2028, 2, 29)
    assert clock.now() != moment
    assert clock.now().tzinfo is not None


def test_frozen_clock_refuses_naive_datetimes():
    naive = dt.datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"), clock.frozen(naive):
        pass
