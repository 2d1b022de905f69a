"""``dropline devices``: operators look at a device and play the simulator's devices."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dropline.core import clock
from dropline.network.devices import simulator
from dropline.network.models import SimulatedDevice
from tests.support.genieacs_nbi import genieacs_nbi

START = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
GATEWAY = "00A0BC-HomeHub-HH00123"


def _run(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(START):
        call_command("devices", *args, stdout=out)
    return out.getvalue()


def _register() -> None:
    with clock.frozen(START):
        simulator.register_device(
            device_id=GATEWAY,
            oui="00A0BC",
            product_class="HomeHub",
            serial_number="HH00123",
            kind="gateway",
            firmware="7.2.1",
        )


@pytest.fixture
def gateway(db):
    _register()


def test_list_shows_each_device_and_whether_it_is_online(gateway):
    assert "online" in _run("list")
    _run("unplug", GATEWAY)
    listed = _run("list")
    assert GATEWAY in listed
    assert "unplugged" in listed


def test_list_with_no_devices_says_how_to_get_some(db):
    assert "dropline seed demo" in _run("list")


def test_show_gives_the_state_without_the_wifi_passwords(gateway):
    shown = _run("show", GATEWAY)
    assert "Status:        online" in shown
    assert "Firmware:      7.2.1" in shown
    assert "Up for:        2d 3h 0m" in shown
    assert "downstream 2.4 dBmV, SNR 38.6 dB, upstream 42.5 dBmV" in shown
    assert "Dropline-0123 (2.4 GHz, WPA2)" in shown
    passphrase = SimulatedDevice.objects.get().parameters[
        "Device.WiFi.AccessPoint.1.Security.KeyPassphrase"
    ]
    assert passphrase not in shown


def test_unplug_plug_fault_and_clear(gateway):
    assert "unplugged" in _run("unplug", GATEWAY)
    assert not SimulatedDevice.objects.get().connected
    assert "boots now" in _run("plug", GATEWAY)
    assert SimulatedDevice.objects.get().connected
    assert "9002 Internal error" in _run("fault", GATEWAY, "9002  Internal error")
    assert SimulatedDevice.objects.get().fault == "9002 Internal error"
    assert "no longer faults" in _run("clear", GATEWAY)
    assert SimulatedDevice.objects.get().fault == ""


def test_a_fault_without_a_code_is_refused_and_nothing_changes(gateway):
    with pytest.raises(CommandError, match="four-digit CWMP code"):
        _run("fault", GATEWAY, "it broke")
    assert SimulatedDevice.objects.get().fault == ""


@pytest.mark.parametrize("action", ["show", "unplug", "plug", "fault", "clear"])
def test_an_unknown_device_is_named(db, action):
    args = ["9002 Internal error"] if action == "fault" else []
    with pytest.raises(CommandError, match="There is no device 00A0BC-Nope-1"):
        _run(action, "00A0BC-Nope-1", *args)


def test_simulator_controls_are_refused_when_genieacs_manages_devices(gateway, settings):
    settings.DROPLINE_DEVICE_MANAGER = "genieacs"
    with pytest.raises(CommandError, match="device management here is genieacs"):
        _run("unplug", GATEWAY)
    assert SimulatedDevice.objects.get().connected


def test_show_asks_genieacs_when_it_manages_devices(transactional_db, settings):
    _register()
    with genieacs_nbi() as nbi:
        settings.DROPLINE_DEVICE_MANAGER = "genieacs"
        settings.GENIEACS_NBI_URL = nbi.url
        settings.GENIEACS_USERNAME = ""
        assert "Status:        online" in _run("show", GATEWAY)
        assert nbi.seen[0].path == "/devices/"


def test_show_says_when_genieacs_does_not_answer(db, settings):
    settings.DROPLINE_DEVICE_MANAGER = "genieacs"
    settings.GENIEACS_NBI_URL = "http://127.0.0.1:9"
    settings.GENIEACS_TIMEOUT_SECONDS = 1
    with pytest.raises(CommandError, match="did not answer"):
        _run("show", GATEWAY)


def test_the_dropline_command_exits_non_zero_on_an_error(db):
    from dropline.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["devices", "show", "00A0BC-Nope-1"])
    assert exited.value.code != 0
