"""What Dropline asks of device management, answered alike by the simulator and by the
GenieACS client talking HTTP to an NBI whose devices the simulator plays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

from dropline.core import clock
from dropline.network.devices import simulator, tr069
from dropline.network.devices.base import (
    DeviceManager,
    DeviceManagerUnavailableError,
    DeviceNotFoundError,
    DeviceState,
    TaskOutcome,
    TaskState,
)
from dropline.network.devices.genieacs import GenieAcsDeviceManager
from dropline.network.devices.simulator import SimulatorDeviceManager
from tests.support.genieacs_nbi import Nbi, genieacs_nbi
from tests.support.servers import free_port

START = dt.datetime(2026, 12, 4, 12, 0, 30, tzinfo=dt.UTC)
GATEWAY = simulator.device_id_for(oui="00A0BC", product_class="Home Hub", serial_number="HH-0123")
ROUTER = simulator.device_id_for(oui="00A0BC", product_class="WR-9", serial_number="WR00456")
RECEIVER = simulator.device_id_for(oui="00A0BC", product_class="TV", serial_number="TV00789")


@dataclass
class Acs:
    manager: DeviceManager
    nbi: Nbi | None


def _at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


def _register() -> None:
    with clock.frozen(START):
        for device_id, product_class, serial, kind in (
            (GATEWAY, "Home Hub", "HH-0123", "gateway"),
            (ROUTER, "WR-9", "WR00456", "router"),
            (RECEIVER, "TV", "TV00789", "receiver"),
        ):
            simulator.register_device(
                device_id=device_id,
                oui="00A0BC",
                product_class=product_class,
                serial_number=serial,
                kind=kind,
                firmware="7.2.1",
            )


@pytest.fixture(
    params=[
        pytest.param("simulator", marks=pytest.mark.django_db),
        # The NBI answers from its own threads, with their own database connections.
        pytest.param("genieacs", marks=pytest.mark.django_db(transaction=True)),
    ]
)
def acs(request: pytest.FixtureRequest) -> Iterator[Acs]:
    _register()
    if request.param == "simulator":
        yield Acs(SimulatorDeviceManager(), None)
        return
    with genieacs_nbi(username="dropline", password="nbi-secret") as nbi:
        manager = GenieAcsDeviceManager(
            base_url=nbi.url, username="dropline", password="nbi-secret", timeout_seconds=10
        )
        yield Acs(manager, nbi)


def _fresh(state: DeviceState, seconds: int) -> bool:
    """Back from a boot at most ``seconds`` ago."""
    return state.online and state.uptime_seconds is not None and state.uptime_seconds <= seconds


def test_a_gateway_reads_with_its_firmware_levels_wifi_and_hosts(acs):
    with clock.frozen(START):
        state = acs.manager.device(GATEWAY)
    assert state.device_id == GATEWAY
    assert state.online
    assert state.firmware == "7.2.1"
    assert state.uptime_seconds == int(simulator.REGISTERED_UPTIME.total_seconds())
    assert START - state.last_contact < dt.timedelta(minutes=5)
    assert state.signal.downstream_power_dbmv == Decimal("2.4")
    assert state.signal.downstream_snr_db == Decimal("38.6")
    assert state.signal.upstream_power_dbmv == Decimal("42.5")
    assert [(w.band, w.security) for w in state.wifi] == [
        ("2.4 GHz", "WPA2"),
        ("5 GHz", "WPA2/WPA3"),
    ]
    assert [h.name for h in state.hosts] == ["laptop", "phone", "tv"]


def test_many_devices_in_one_call_only_the_known_ones(acs):
    with clock.frozen(START):
        states = acs.manager.devices([GATEWAY, ROUTER, RECEIVER, "00A0BC-Gone-X1"])
    assert states.keys() == {GATEWAY, ROUTER, RECEIVER}
    assert states[ROUTER].data_model == "InternetGatewayDevice"
    assert states[ROUTER].signal is None
    assert len(states[ROUTER].wifi) == 2
    assert (states[RECEIVER].wifi, states[RECEIVER].signal) == ((), None)


def test_a_restart_is_done_at_once_and_the_device_is_back_a_minute_later(acs):
    with clock.frozen(START):
        result = acs.manager.reboot(GATEWAY)
    assert result.outcome == TaskOutcome.DONE
    with clock.frozen(_at(59)):
        assert not _fresh(acs.manager.device(GATEWAY), 59)
        assert acs.manager.task_status(GATEWAY, result.task_id).state == TaskState.DONE
    with clock.frozen(_at(90)):
        back = acs.manager.device(GATEWAY)
    assert back.online
    assert back.uptime_seconds == 30
    assert back.last_contact == _at(60)


def test_an_unplugged_device_goes_offline_and_its_tasks_wait_for_it(acs):
    with clock.frozen(START):
        simulator.set_connected(device_id=GATEWAY, connected=False)
    with clock.frozen(_at(600)):
        assert not acs.manager.device(GATEWAY).online
        values = tr069.wifi_parameter_values("1", ssid="Casa", data_model="Device")
        change = acs.manager.set_parameter_values(GATEWAY, values)
        assert change.outcome == TaskOutcome.QUEUED
        assert acs.manager.task_status(GATEWAY, change.task_id).state == TaskState.PENDING
        assert acs.manager.device(GATEWAY).wifi[0].ssid != "Casa"
    with clock.frozen(_at(900)):
        simulator.set_connected(device_id=GATEWAY, connected=True)
    with clock.frozen(_at(910)):
        assert acs.manager.task_status(GATEWAY, change.task_id).state == TaskState.DONE
        state = acs.manager.device(GATEWAY)
    assert state.wifi[0].ssid == "Casa"
    assert _fresh(state, 10)


def test_a_restart_asked_while_the_device_is_away_happens_when_it_is_back(acs):
    with clock.frozen(START):
        acs.manager.reboot(GATEWAY)
    with clock.frozen(_at(20)):
        again = acs.manager.refresh_object(GATEWAY, "Device.WiFi.")
        assert again.outcome == TaskOutcome.QUEUED
    with clock.frozen(_at(61)):
        assert acs.manager.task_status(GATEWAY, again.task_id).state == TaskState.DONE


@pytest.mark.parametrize("device_id", [GATEWAY, ROUTER])
def test_a_wifi_change_applies_at_once_on_an_online_device(acs, device_id):
    with clock.frozen(START):
        model = acs.manager.device(device_id).data_model
        values = tr069.wifi_parameter_values(
            "2",
            ssid="Casa 5G",
            passphrase="una clave bien larga",
            security="WPA3",
            data_model=model,
        )
        result = acs.manager.set_parameter_values(device_id, values)
        assert result.outcome == TaskOutcome.DONE
        network = acs.manager.device(device_id).wifi[1]
    assert (network.ssid, network.passphrase, network.security) == (
        "Casa 5G",
        "una clave bien larga",
        "WPA3",
    )


def test_a_faulty_device_faults_every_task_and_the_fault_is_read_back(acs):
    with clock.frozen(START):
        simulator.set_fault(device_id=GATEWAY, fault="9002 Internal error")
        restart = acs.manager.reboot(GATEWAY)
        assert restart.outcome == TaskOutcome.QUEUED
        status = acs.manager.task_status(GATEWAY, restart.task_id)
        assert (status.state, status.fault) == (TaskState.FAULT, "9002 Internal error")
        read = acs.manager.get_parameter_values(GATEWAY, ["Device.DeviceInfo.UpTime"])
        assert acs.manager.task_status(GATEWAY, read.task_id).state == TaskState.FAULT
        assert acs.manager.device(GATEWAY).online
        simulator.set_fault(device_id=GATEWAY, fault="")
    with clock.frozen(_at(300)):
        assert acs.manager.task_status(GATEWAY, restart.task_id).state == TaskState.DONE


def test_a_factory_reset_is_a_task_like_the_others(acs):
    with clock.frozen(START):
        assert acs.manager.factory_reset(ROUTER).outcome == TaskOutcome.DONE
    with clock.frozen(_at(61)):
        assert _fresh(acs.manager.device(ROUTER), 1)


def test_an_unknown_device_is_not_found(acs):
    with clock.frozen(START):
        with pytest.raises(DeviceNotFoundError):
            acs.manager.device("00A0BC-Gone-X1")
        with pytest.raises(DeviceNotFoundError):
            acs.manager.reboot("00A0BC-Gone-X1")
        with pytest.raises(DeviceNotFoundError):
            acs.manager.task_status("00A0BC-Gone-X1", "0" * 24)


def test_a_server_that_does_not_answer_is_unavailable():
    manager = GenieAcsDeviceManager(
        base_url=f"http://127.0.0.1:{free_port()}", username="u", password="p", timeout_seconds=2
    )
    with pytest.raises(DeviceManagerUnavailableError, match="did not answer"):
        manager.device(GATEWAY)
    with pytest.raises(DeviceManagerUnavailableError):
        manager.reboot(GATEWAY)
