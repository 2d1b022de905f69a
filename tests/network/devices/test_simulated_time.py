"""The simulator's arithmetic on time, over any steps of the clock: a connected device has
always checked in within the last five minutes and its uptime counts from its boot; a
restart keeps it away for exactly a minute."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dropline.network.devices import simulator
from dropline.network.devices.simulated_parameters import initial_parameters
from dropline.network.models import SimulatedDevice

START = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
INTERVAL = dt.timedelta(seconds=simulator.INFORM_INTERVAL_SECONDS)


def _device(booted_seconds_ago: int) -> SimulatedDevice:
    """A device in memory: catching up touches no database."""
    return SimulatedDevice(
        device_id="00A0BC-HomeHub-HH1",
        oui="00A0BC",
        product_class="HomeHub",
        serial_number="HH1",
        connected=True,
        booted_at=START - dt.timedelta(seconds=booted_seconds_ago),
        parameters=initial_parameters(
            kind="gateway", oui="00A0BC", product_class="HomeHub", serial_number="HH1", firmware="1"
        ),
        pending_tasks=[],
        faults=[],
    )


steps = st.lists(st.integers(min_value=0, max_value=7 * 86400), min_size=1, max_size=8)


@given(booted=st.integers(min_value=0, max_value=30 * 86400), steps=steps)
def test_a_connected_device_has_checked_in_within_five_minutes_whenever_one_looks(booted, steps):
    device = _device(booted)
    now = START
    for step in steps:
        now += dt.timedelta(seconds=step)
        simulator.catch_up(device, now)
        state = simulator.state_of(device, now)
        assert state.online
        assert device.last_inform_at is not None
        assert dt.timedelta(0) <= now - device.last_inform_at < INTERVAL
        # Contacts keep to the schedule counted from the boot.
        assert (device.last_inform_at - device.booted_at) % INTERVAL == dt.timedelta(0)
        assert state.uptime_seconds == int((now - device.booted_at).total_seconds())


@given(
    booted=st.integers(min_value=0, max_value=30 * 86400),
    before=st.integers(min_value=0, max_value=86400),
    after=st.integers(min_value=0, max_value=3 * 86400),
)
def test_a_restart_keeps_the_device_away_exactly_a_minute(booted, before, after):
    device = _device(booted)
    asked = START + dt.timedelta(seconds=before)
    simulator.catch_up(device, asked)
    device.pending_tasks = [{"_id": "t1", "name": "reboot"}]
    simulator._session(device, asked)
    now = asked + dt.timedelta(seconds=after)
    simulator.catch_up(device, now)
    state = simulator.state_of(device, now)
    back = asked + dt.timedelta(seconds=simulator.REBOOT_SECONDS)
    assert state.online is (now >= back)
    if now >= back:
        assert device.booted_at == back
        assert state.uptime_seconds == int((now - back).total_seconds())
    else:
        assert state.uptime_seconds is None
        assert device.last_inform_at == asked
    assert device.pending_tasks == []
