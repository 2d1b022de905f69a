"""Hypothesis strategies for the connection check's facts: any account state, outages,
devices in any status and any speed test."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from dropline.network.diagnosis.facts import (
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
    SpeedTestFacts,
)

NOW = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)

times = st.integers(min_value=-72, max_value=72).map(lambda h: NOW + h * HOUR)
kinds = st.sampled_from(["gateway", "modem", "router", "receiver", "phone"])
problems = st.lists(
    st.sampled_from(["downstream_power_low", "snr_low", "upstream_power_high"]),
    max_size=2,
    unique=True,
).map(tuple)


@st.composite
def devices(draw):
    count = draw(st.integers(min_value=0, max_value=4))
    found = []
    for equipment_id in range(1, count + 1):
        status = draw(st.sampled_from(list(DeviceStatus)))
        found.append(
            DeviceFacts(
                equipment_id=equipment_id,
                kind=draw(kinds),
                name="Device",
                status=status,
                signal_problems=draw(problems),
                restart_expected_at=draw(st.none() | times)
                if status == DeviceStatus.RESTARTING
                else None,
                restarts_recently=draw(st.integers(min_value=0, max_value=4)),
                last_restart_at=draw(st.none() | times),
            )
        )
    return tuple(found)


outages = st.builds(
    OutageFacts,
    outage_id=st.integers(min_value=1, max_value=50),
    maintenance=st.booleans(),
    title=st.just("Work"),
    starts_at=times,
    eta=st.none() | times,
    affects_internet=st.booleans(),
)
speed_tests = st.none() | st.builds(
    SpeedTestFacts,
    ran_at=times,
    download_kbps=st.integers(min_value=0, max_value=1_000_000),
    upload_kbps=st.integers(min_value=0, max_value=100_000),
    plan_download_mbps=st.none() | st.integers(min_value=1, max_value=1000),
    on_wifi=st.booleans(),
)
any_facts = st.builds(
    Facts,
    now=st.just(NOW),
    account_status=st.sampled_from(["pending", "active", "suspended", "closed"]),
    services_suspended=st.booleans(),
    outages=st.lists(outages, max_size=3).map(tuple),
    devices=devices(),
    device_management_available=st.booleans(),
    speed_test=speed_tests,
    upcoming_maintenance=st.lists(outages, max_size=1).map(tuple),
)
