"""TR-069 parameters to a device's state and back, for both data models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dropline.network.devices import tr069
from dropline.network.devices.base import ConnectedHost, Signal, WifiNetwork
from dropline.network.devices.simulated_parameters import initial_parameters

AT = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def _tree(kind: str) -> dict:
    return initial_parameters(
        kind=kind, oui="00A0BC", product_class="HomeHub", serial_number="HH00123", firmware="7.2.1"
    )


def test_a_tr181_gateway_reads_as_firmware_levels_wifi_and_hosts():
    state = tr069.state_from_parameters(
        device_id="x",
        parameters=_tree("gateway"),
        online=True,
        last_contact=AT,
        booted_at=AT - dt.timedelta(hours=1),
        at=AT,
    )
    assert state.data_model == "Device"
    assert state.firmware == "7.2.1"
    assert state.uptime_seconds == 3600
    assert state.signal == Signal(Decimal("2.4"), Decimal("38.6"), Decimal("42.5"))
    assert [(w.key, w.band, w.security) for w in state.wifi] == [
        ("1", "2.4 GHz", "WPA2"),
        ("2", "5 GHz", "WPA2/WPA3"),
    ]
    assert state.wifi[0].ssid == "Dropline-0123"
    assert state.wifi[1].ssid == "Dropline-0123-5G"
    assert [h.interface for h in state.hosts] == ["wifi", "wifi", "ethernet"]


def test_a_tr098_router_reads_the_same_way():
    state = tr069.state_from_parameters(
        device_id="x", parameters=_tree("router"), online=True, last_contact=AT
    )
    assert state.data_model == "InternetGatewayDevice"
    assert state.signal is None
    assert [(w.key, w.band, w.security) for w in state.wifi] == [
        ("1", "2.4 GHz", "WPA2"),
        ("2", "5 GHz", "WPA2/WPA3"),
    ]
    assert all(w.passphrase.startswith("home-") for w in state.wifi)
    assert state.hosts[2].interface == "ethernet"


def test_a_receiver_has_no_wifi_nor_levels_and_an_offline_device_no_uptime():
    tree = _tree("receiver")
    tree["Device.DeviceInfo.UpTime"] = 500
    state = tr069.state_from_parameters(
        device_id="x", parameters=tree, online=False, last_contact=None
    )
    assert (state.wifi, state.hosts, state.signal, state.uptime_seconds) == ((), (), None, None)
    online = tr069.state_from_parameters(
        device_id="x", parameters=tree, online=True, last_contact=AT
    )
    assert online.uptime_seconds == 500


def test_levels_average_the_downstream_power_and_take_the_worst_snr_and_upstream():
    base = "Device.X_CISCO_COM_CableModem."
    tree = {
        base + "DownstreamChannel.1.PowerLevel": "-1.0 dBmV",
        base + "DownstreamChannel.2.PowerLevel": "3.0 dBmV",
        base + "DownstreamChannel.1.SNRLevel": "36.0 dB",
        base + "DownstreamChannel.2.SNRLevel": "31.5 dB",
        base + "UpstreamChannel.1.PowerLevel": "44.0 dBmV",
        base + "UpstreamChannel.2.PowerLevel": "51",
    }
    assert tr069.signal(tree) == Signal(Decimal("1.0"), Decimal("31.5"), Decimal("51"))


def test_old_tr098_firmware_keeps_the_passphrase_on_the_network_and_open_means_open():
    base = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.3."
    tree = {
        base + "SSID": "Cafe",
        base + "BeaconType": "None",
        base + "KeyPassphrase": "",
        base + "Standard": "a",
    }
    assert tr069.wifi(tree) == [
        WifiNetwork(key="3", ssid="Cafe", band="5 GHz", security="open", passphrase="")
    ]


def test_tr181_access_points_are_matched_by_their_ssid_reference():
    tree = {
        "Device.WiFi.SSID.4.SSID": "Guest",
        "Device.WiFi.AccessPoint.1.SSIDReference": "Device.WiFi.SSID.4.",
        "Device.WiFi.AccessPoint.1.Security.ModeEnabled": "WPA3-Personal",
        "Device.WiFi.AccessPoint.1.Security.KeyPassphrase": "correct horse",
        "Device.Hosts.Host.1.PhysAddress": "AA:BB:CC:00:11:22",
    }
    (network,) = tr069.wifi(tree)
    assert (network.key, network.security, network.passphrase) == ("4", "WPA3", "correct horse")
    assert tr069.hosts(tree) == [
        ConnectedHost(name="", mac_address="aa:bb:cc:00:11:22", ip_address="", interface="ethernet")
    ]


def test_wifi_changes_address_each_model_and_change_only_what_is_given():
    assert tr069.wifi_parameter_values("2", ssid="Home", data_model="Device") == [
        ("Device.WiFi.SSID.2.SSID", "Home")
    ]
    assert tr069.wifi_parameter_values(
        "1", passphrase="a long secret", security="WPA3", data_model="Device"
    ) == [
        ("Device.WiFi.AccessPoint.1.Security.ModeEnabled", "WPA3-Personal"),
        ("Device.WiFi.AccessPoint.1.Security.KeyPassphrase", "a long secret"),
    ]
    base = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1."
    assert tr069.wifi_parameter_values(
        "1",
        ssid="Home",
        passphrase="a long secret",
        security="WPA2/WPA3",
        data_model="InternetGatewayDevice",
    ) == [
        (base + "SSID", "Home"),
        (base + "BeaconType", "11i"),
        (base + "IEEE11iAuthenticationMode", "PSKandSAEAuthentication"),
        (base + "IEEE11iEncryptionModes", "AESEncryption"),
        (base + "PreSharedKey.1.KeyPassphrase", "a long secret"),
    ]


def test_what_each_model_writes_reads_back_the_same():
    for kind in ("gateway", "router"):
        tree = _tree(kind)
        model = tr069.data_model(tree)
        for path, value in tr069.wifi_parameter_values(
            "2", ssid="Casa", passphrase="otra clave larga", security="WPA3", data_model=model
        ):
            tree[path] = value
        network = tr069.wifi(tree)[1]
        assert (network.ssid, network.passphrase, network.security) == (
            "Casa",
            "otra clave larga",
            "WPA3",
        )


@pytest.mark.parametrize(
    ("key", "kwargs"),
    [("wlan1", {}), ("1", {"security": "WEP"}), ("1", {"data_model": "Other"})],
)
def test_wifi_changes_refuse_what_no_device_understands(key, kwargs):
    with pytest.raises(ValueError):  # noqa: PT011
        tr069.wifi_parameter_values(key, ssid="x", **kwargs)


def test_xsd_types():
    assert [tr069.xsd_type(v) for v in ("a", True, 300, -1)] == [
        "xsd:string",
        "xsd:boolean",
        "xsd:unsignedInt",
        "xsd:int",
    ]
