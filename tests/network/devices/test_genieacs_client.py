"""The GenieACS client's requests as GenieACS expects them (one search for many devices,
ids percent-encoded in paths, tasks with a connection request, basic credentials) and
its reading of GenieACS's answers, including the ones that are not answers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any

import pytest

from dropline.core import clock
from dropline.network.devices import simulator
from dropline.network.devices.base import (
    DeviceManagerUnavailableError,
    TaskOutcome,
    TaskState,
)
from dropline.network.devices.genieacs import (
    PROJECTION,
    TASK_TIMEOUT_MS,
    GenieAcsDeviceManager,
    state_from_document,
)
from tests.support.genieacs_nbi import genieacs_nbi

START = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
ODD_ID = simulator.device_id_for(oui="00A0BC", product_class="Home Hub", serial_number="A-1/2")
PLAIN_ID = "00A0BC-HomeHub-HH1"
PASSWORD = "nbi-secret-do-not-log"


@pytest.fixture
def nbi(transactional_db):
    with clock.frozen(START):
        for device_id, serial in ((ODD_ID, "A-1/2"), (PLAIN_ID, "HH1")):
            simulator.register_device(
                device_id=device_id,
                oui="00A0BC",
                product_class="Home Hub",
                serial_number=serial,
                kind="gateway",
            )
    with genieacs_nbi(username="dropline", password=PASSWORD) as server:
        yield server


def _client(nbi, **kwargs: Any) -> GenieAcsDeviceManager:
    options: dict[str, Any] = {
        "username": "dropline",
        "password": PASSWORD,
        "timeout_seconds": 5,
    } | kwargs
    return GenieAcsDeviceManager(base_url=nbi.url + "/", **options)


def test_many_devices_are_one_search_by_id_with_a_projection(nbi):
    with clock.frozen(START):
        states = _client(nbi).devices([ODD_ID, PLAIN_ID, ODD_ID])
    assert states.keys() == {ODD_ID, PLAIN_ID}
    (seen,) = nbi.seen
    assert (seen.method, seen.path) == ("GET", "/devices/")
    assert json.loads(seen.params["query"][0]) == {"_id": {"$in": [ODD_ID, PLAIN_ID]}}
    projection = seen.params["projection"][0].split(",")
    assert projection == list(PROJECTION)
    assert "Device.DeviceInfo.SoftwareVersion" in projection
    assert "InternetGatewayDevice.LANDevice.1.WLANConfiguration" in projection
    assert (
        seen.headers["Authorization"]
        == "Basic " + base64.b64encode(f"dropline:{PASSWORD}".encode()).decode()
    )
    assert PASSWORD not in nbi.url


def test_a_task_goes_to_the_percent_encoded_id_with_a_connection_request(nbi):
    with clock.frozen(START):
        result = _client(nbi).set_parameter_values(
            ODD_ID, [("Device.WiFi.SSID.1.SSID", "Casa"), ("Device.WiFi.SSID.1.Enable", True)]
        )
    assert result.outcome == TaskOutcome.DONE
    (seen,) = nbi.seen
    # The id's own escapes ("%20", "%2D", "%2F") are escaped again in the path.
    assert seen.path == "/devices/00A0BC-Home%2520Hub-A%252D1%252F2/tasks"
    assert seen.params == {"timeout": [str(TASK_TIMEOUT_MS)], "connection_request": [""]}
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.body == {
        "name": "setParameterValues",
        "parameterValues": [
            ["Device.WiFi.SSID.1.SSID", "Casa", "xsd:string"],
            ["Device.WiFi.SSID.1.Enable", True, "xsd:boolean"],
        ],
    }


@pytest.mark.parametrize(
    ("call", "body"),
    [
        (lambda m: m.reboot(PLAIN_ID), {"name": "reboot"}),
        (lambda m: m.factory_reset(PLAIN_ID), {"name": "factoryReset"}),
        (
            lambda m: m.get_parameter_values(PLAIN_ID, ["Device.DeviceInfo.UpTime"]),
            {"name": "getParameterValues", "parameterNames": ["Device.DeviceInfo.UpTime"]},
        ),
        (
            lambda m: m.refresh_object(PLAIN_ID, "Device.WiFi."),
            {"name": "refreshObject", "objectName": "Device.WiFi."},
        ),
    ],
)
def test_each_task_has_the_shape_genieacs_takes(nbi, call, body):
    with clock.frozen(START):
        call(_client(nbi))
    assert nbi.seen[0].body == body


def test_a_fault_is_looked_up_by_its_genieacs_id(nbi):
    with clock.frozen(START):
        simulator.set_fault(device_id=PLAIN_ID, fault="9001 Request denied")
        client = _client(nbi)
        task = client.reboot(PLAIN_ID)
        nbi.seen.clear()
        status = client.task_status(PLAIN_ID, task.task_id)
    assert (status.state, status.fault) == (TaskState.FAULT, "9001 Request denied")
    (seen,) = nbi.seen
    assert seen.path == "/faults/"
    assert json.loads(seen.params["query"][0]) == {"_id": f"{PLAIN_ID}:task_{task.task_id}"}


def test_wrong_credentials_are_named_without_the_password(nbi, caplog):
    caplog.set_level(logging.DEBUG)
    client = _client(nbi, password="wrong-password-value")
    with clock.frozen(START), pytest.raises(DeviceManagerUnavailableError) as raised:
        client.device(PLAIN_ID)
    assert "refused Dropline's credentials (401)" in str(raised.value)
    assert "wrong-password-value" not in str(raised.value) + caplog.text + repr(client)


def test_a_server_error_is_unavailable(nbi):
    nbi.fail_with = 503
    with pytest.raises(DeviceManagerUnavailableError, match="answered 503"):
        _client(nbi).reboot(PLAIN_ID)


def test_a_slow_server_times_out_as_unavailable(nbi):
    nbi.delay_seconds = 1
    with pytest.raises(DeviceManagerUnavailableError, match="did not answer"):
        _client(nbi, timeout_seconds=0.2).device(PLAIN_ID)


def test_credentials_in_the_url_are_never_shown(caplog):
    client = GenieAcsDeviceManager(
        base_url="http://admin:url-secret@127.0.0.1:9/", timeout_seconds=1
    )
    with pytest.raises(DeviceManagerUnavailableError) as raised:
        client.reboot(PLAIN_ID)
    assert "url-secret" not in str(raised.value) + caplog.text + repr(client)


def test_settings_configure_the_client(settings):
    settings.GENIEACS_NBI_URL = "http://acs.example.net:7557"
    settings.GENIEACS_USERNAME = "portal"
    settings.GENIEACS_PASSWORD = "x"
    settings.GENIEACS_TIMEOUT_SECONDS = 7
    client = GenieAcsDeviceManager()
    assert (client.base_url, client.timeout_seconds) == ("http://acs.example.net:7557", 7)
    assert repr(client) == "GenieAcsDeviceManager(http://acs.example.net:7557)"


# A device as a GenieACS NBI shows it (TR-098, values as the device reported them).
DOCUMENT = {
    "_id": "202BC1-BM632w-000000",
    "_lastInform": "2026-12-04T11:56:00.000Z",
    "_lastBoot": "2026-12-01T08:00:00.000Z",
    "InternetGatewayDevice": {
        "_object": True,
        "DeviceInfo": {
            "SoftwareVersion": {"_value": "3.0.4", "_type": "xsd:string", "_timestamp": "x"},
            "UpTime": {"_value": 273360, "_type": "xsd:unsignedInt"},
        },
        "ManagementServer": {
            "PeriodicInformInterval": {"_value": 3600, "_type": "xsd:unsignedInt"}
        },
        "X_CISCO_COM_CableModem": {
            "DownstreamChannel": {
                "1": {"PowerLevel": {"_value": "-3.2 dBmV"}, "SNRLevel": {"_value": "35.1 dB"}}
            },
            "UpstreamChannel": {"1": {"PowerLevel": {"_value": "47.0 dBmV"}}},
        },
        "LANDevice": {
            "1": {
                "WLANConfiguration": {
                    "1": {
                        "SSID": {"_value": "Home"},
                        "Channel": {"_value": 11},
                        "BeaconType": {"_value": "11i"},
                        "PreSharedKey": {"1": {"KeyPassphrase": {"_value": "a good secret"}}},
                    }
                },
                "Hosts": {
                    "Host": {
                        "1": {
                            "HostName": {"_value": "printer"},
                            "MACAddress": {"_value": "00:11:22:33:44:55"},
                            "IPAddress": {"_value": "192.168.1.20"},
                            "InterfaceType": {"_value": "Ethernet"},
                            "Active": {"_value": False},
                        }
                    }
                },
            }
        },
    },
}


def test_a_genieacs_document_reads_into_a_state():
    state = state_from_document(DOCUMENT, dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC))
    assert state.online
    assert state.last_contact == dt.datetime(2026, 12, 4, 11, 56, tzinfo=dt.UTC)
    assert state.uptime_seconds == 3 * 86400 + 4 * 3600
    assert state.firmware == "3.0.4"
    assert state.signal is not None
    assert state.signal.downstream_power_dbmv == Decimal("-3.2")
    assert state.signal.upstream_power_dbmv == Decimal("47.0")
    assert (state.wifi[0].ssid, state.wifi[0].passphrase, state.wifi[0].band) == (
        "Home",
        "a good secret",
        "2.4 GHz",
    )
    assert not state.hosts[0].active


@pytest.mark.parametrize(
    ("minutes_since", "interval", "online"),
    [(5, None, True), (5.9, None, True), (6.1, None, False), (60, 3600, True), (61.5, 3600, False)],
)
def test_online_means_a_contact_within_the_inform_interval_and_a_minute(
    minutes_since, interval, online
):
    now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
    document: dict[str, Any] = {
        "_id": "d",
        "_lastInform": (now - dt.timedelta(minutes=minutes_since)).isoformat(),
        "Device": {"DeviceInfo": {"UpTime": {"_value": 10}}},
    }
    if interval:
        document["Device"]["ManagementServer"] = {"PeriodicInformInterval": {"_value": interval}}
    state = state_from_document(document, now)
    assert state.online is online
    assert state.uptime_seconds == (10 if online else None)
