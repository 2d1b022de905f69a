"""DOCSIS signal levels judged against their typical ranges."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dropline.network.devices.base import Signal
from dropline.network.equipment_status import SIGNAL_RANGES, signal_levels, signal_problems

LEVELS = st.decimals(min_value=-60, max_value=80, places=1)


def test_good_levels_have_no_problem():
    signal = Signal(Decimal("2.5"), Decimal("38.6"), Decimal("42.0"))
    assert signal_problems(signal) == []
    assert [level.in_range for level in signal_levels(signal)] == [True, True, True]


def test_each_bad_level_has_its_code():
    assert signal_problems(Signal(Decimal("-15.1"), Decimal("32.9"), Decimal("51.5"))) == [
        "downstream_power_low",
        "snr_low",
        "upstream_power_high",
    ]
    assert signal_problems(Signal(Decimal("15.1"), Decimal("40"), Decimal("34.9"))) == [
        "downstream_power_high",
        "upstream_power_low",
    ]


def test_the_edges_of_a_range_are_in_it():
    assert signal_problems(Signal(Decimal("-15"), Decimal("33"), Decimal("35"))) == []
    assert signal_problems(Signal(Decimal("15"), Decimal("33"), Decimal("51"))) == []


def test_a_level_the_device_does_not_report_is_left_out():
    assert signal_problems(Signal(None, Decimal("20"), None)) == ["snr_low"]
    assert [level.name for level in signal_levels(Signal(None, Decimal("20"), None))] == [
        "downstream_snr_db"
    ]
    assert signal_levels(None) == []


@given(LEVELS, LEVELS, LEVELS)
def test_a_level_has_a_problem_exactly_when_it_is_outside_its_range(down, snr, up):
    signal = Signal(down, snr, up)
    problems = set(signal_problems(signal))
    for name, value in (
        ("downstream_power_dbmv", down),
        ("downstream_snr_db", snr),
        ("upstream_power_dbmv", up),
    ):
        limits = SIGNAL_RANGES[name]
        low = limits.low is not None and value < limits.low
        high = limits.high is not None and value > limits.high
        assert (limits.low_code in problems) == low
        if limits.high_code:
            assert (limits.high_code in problems) == high
