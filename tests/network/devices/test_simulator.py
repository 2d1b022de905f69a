"""The simulator behaves as equipment behind an auto-configuration server: restarts take
a minute, tasks wait for a device that cannot be reached, faults are read back."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from dropline.core import clock
from dropline.network.devices import simulator
from dropline.network.devices.base import DeviceNotFoundError, TaskOutcome, TaskState
from dropline.network.devices.simulator import SimulatorDeviceManager
from dropline.network.models import SimulatedDevice
from tests.support.services import need

START = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
GATEWAY = "00A0BC-HomeHub-HH00123"


def _at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


@pytest.fixture
def gateway(db):
    with clock.frozen(START):
        simulator.register_device(
            device_id=GATEWAY,
            oui="00A0BC",
            product_class="HomeHub",
            serial_number="HH00123",
            kind="gateway",
        )
    return SimulatorDeviceManager()


def test_ids_are_made_as_genieacs_makes_them():
    assert simulator.device_id_for(oui="00A0BC", product_class="Home Hub", serial_number="A-1") == (
        "00A0BC-Home%20Hub-A%2D1"
    )


def test_registering_twice_keeps_the_first_device(gateway):
    with clock.frozen(_at(10)):
        again = simulator.register_device(
            device_id=GATEWAY, oui="x", product_class="y", serial_number="z", kind="router"
        )
    assert again.oui == "00A0BC"
    assert SimulatedDevice.objects.count() == 1


def test_a_connected_device_checks_in_every_five_minutes(gateway):
    with clock.frozen(_at(0)):
        first = gateway.device(GATEWAY)
    assert first.online
    assert first.uptime_seconds == int(simulator.REGISTERED_UPTIME.total_seconds())
    assert START - first.last_contact < dt.timedelta(minutes=5)
    with clock.frozen(_at(3600)):
        later = gateway.device(GATEWAY)
    assert dt.timedelta(0) <= _at(3600) - later.last_contact < dt.timedelta(minutes=5)
    assert later.uptime_seconds == first.uptime_seconds + 3600


def test_a_restart_takes_the_device_away_for_a_minute_and_it_comes_back_fresh(gateway):
    with clock.frozen(_at(0)):
        result = gateway.reboot(GATEWAY)
    assert result.outcome == TaskOutcome.DONE
    with clock.frozen(_at(59)):
        during = gateway.device(GATEWAY)
        assert not during.online
        assert during.uptime_seconds is None
        assert during.last_contact == START
    with clock.frozen(_at(90)):
        after = gateway.device(GATEWAY)
    assert after.online
    assert after.uptime_seconds == 30
    assert after.last_contact == _at(60)


def test_a_task_for_a_restarting_device_waits_and_runs_when_it_is_back(gateway):
    with clock.frozen(_at(0)):
        gateway.reboot(GATEWAY)
    with clock.frozen(_at(10)):
        change = gateway.set_parameter_values(GATEWAY, [("Device.WiFi.SSID.1.SSID", "Casa")])
        assert change.outcome == TaskOutcome.QUEUED
        assert gateway.task_status(GATEWAY, change.task_id).state == TaskState.PENDING
        assert gateway.device(GATEWAY).wifi[0].ssid == "Dropline-0123"
    with clock.frozen(_at(61)):
        assert gateway.task_status(GATEWAY, change.task_id).state == TaskState.DONE
        assert gateway.device(GATEWAY).wifi[0].ssid == "Casa"


def test_an_unplugged_device_is_offline_and_its_tasks_wait_until_it_is_plugged_back(gateway):
    with clock.frozen(_at(0)):
        simulator.set_connected(device_id=GATEWAY, connected=False)
        restart = gateway.reboot(GATEWAY)
        assert restart.outcome == TaskOutcome.QUEUED
    with clock.frozen(_at(3600)):
        state = gateway.device(GATEWAY)
        assert not state.online
        assert gateway.task_status(GATEWAY, restart.task_id).state == TaskState.PENDING
        simulator.set_connected(device_id=GATEWAY, connected=True)
        # Back on power it boots, contacts the server and runs the restart waiting for it.
        assert gateway.task_status(GATEWAY, restart.task_id).state == TaskState.DONE
        assert not gateway.device(GATEWAY).online
    with clock.frozen(_at(3600 + 61)):
        back = gateway.device(GATEWAY)
    assert back.online
    assert back.uptime_seconds == 1


def test_a_faulty_device_faults_every_task_until_cleared(gateway):
    with clock.frozen(_at(0)):
        simulator.set_fault(device_id=GATEWAY, fault="9002 Internal error")
        result = gateway.set_parameter_values(GATEWAY, [("Device.WiFi.SSID.1.SSID", "Casa")])
        assert result.outcome == TaskOutcome.QUEUED
        status = gateway.task_status(GATEWAY, result.task_id)
        assert (status.state, status.fault) == (TaskState.FAULT, "9002 Internal error")
        restart = gateway.reboot(GATEWAY)
        assert gateway.task_status(GATEWAY, restart.task_id).state == TaskState.FAULT
        assert gateway.device(GATEWAY).online
        simulator.set_fault(device_id=GATEWAY, fault="")
    with clock.frozen(_at(301)):
        assert gateway.task_status(GATEWAY, result.task_id).state == TaskState.DONE
        assert gateway.device(GATEWAY).wifi[0].ssid == "Casa"
    assert SimulatedDevice.objects.get().faults == []


def test_an_unknown_parameter_faults_as_a_device_does(gateway):
    with clock.frozen(_at(0)):
        result = gateway.set_parameter_values(GATEWAY, [("Device.WiFi.SSID.9.SSID", "Casa")])
        status = gateway.task_status(GATEWAY, result.task_id)
    assert (status.state, status.fault) == (TaskState.FAULT, "9005 Invalid parameter name")


def test_a_factory_reset_brings_back_the_first_wifi_but_keeps_the_levels(gateway):
    with clock.frozen(_at(0)):
        gateway.set_parameter_values(GATEWAY, [("Device.WiFi.SSID.1.SSID", "Casa")])
        simulator.set_signal(
            device_id=GATEWAY,
            downstream_power_dbmv=Decimal("-12.0"),
            downstream_snr_db=Decimal("28.0"),
            upstream_power_dbmv=Decimal("53.0"),
        )
        assert gateway.factory_reset(GATEWAY).outcome == TaskOutcome.DONE
    with clock.frozen(_at(60)):
        state = gateway.device(GATEWAY)
    assert state.wifi[0].ssid == "Dropline-0123"
    assert state.signal.downstream_power_dbmv == Decimal("-12.0")
    assert state.signal.upstream_power_dbmv == Decimal("53.0")


def test_signal_levels_only_on_a_device_that_reports_them(db):
    with clock.frozen(START):
        simulator.register_device(
            device_id="R1", oui="00A0BC", product_class="Box", serial_number="R1", kind="receiver"
        )
        with pytest.raises(ValueError, match="no DOCSIS levels"):
            simulator.set_signal(
                device_id="R1",
                downstream_power_dbmv=Decimal(0),
                downstream_snr_db=Decimal(0),
                upstream_power_dbmv=Decimal(0),
            )
        assert SimulatorDeviceManager().device("R1").wifi == ()


def test_unknown_devices(gateway):
    with pytest.raises(DeviceNotFoundError):
        gateway.device("nope")
    with pytest.raises(DeviceNotFoundError):
        gateway.reboot("nope")
    with pytest.raises(DeviceNotFoundError):
        simulator.set_fault(device_id="nope", fault="9002 x")
    assert gateway.devices(["nope", GATEWAY]).keys() == {GATEWAY}


@pytest.mark.postgres
def test_two_tasks_at_once_are_both_kept(transactional_db):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with clock.frozen(START):
        simulator.register_device(
            device_id=GATEWAY,
            oui="00A0BC",
            product_class="HomeHub",
            serial_number="HH00123",
            kind="gateway",
            connected=False,
        )
    results = []
    barrier = threading.Barrier(2)

    def post(name: str) -> None:
        try:
            barrier.wait()
            results.append(SimulatorDeviceManager().refresh_object(GATEWAY, name))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in ("Device.WiFi.", "Device.Hosts.")]
    with clock.frozen(START):
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    pending = SimulatedDevice.objects.get().pending_tasks
    assert sorted(t["objectName"] for t in pending) == ["Device.Hosts.", "Device.WiFi."]
    assert {r.outcome for r in results} == {TaskOutcome.QUEUED}
