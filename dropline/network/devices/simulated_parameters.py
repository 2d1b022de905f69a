"""The TR-069 parameter trees the simulator's devices start with, by kind of equipment:
a cable gateway (TR-181, DOCSIS levels, two Wi-Fi networks, hosts), a cable modem
(TR-181, DOCSIS levels, the router behind it), a Wi-Fi router (TR-098, two Wi-Fi
networks, hosts) and a TV receiver or phone (TR-181, nothing but its identity).

Values are what such devices report: levels as text with their unit, booleans as
booleans, counters as integers. Everything is derived from the serial number, so the
same device always starts the same way."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from dropline.network.devices.base import ParameterValue

Tree = dict[str, ParameterValue]

INFORM_INTERVAL_SECONDS = 300
DOWNSTREAM_CHANNELS = 4
UPSTREAM_CHANNELS = 2
DEFAULT_DOWNSTREAM_POWER = Decimal("2.4")
DEFAULT_DOWNSTREAM_SNR = Decimal("38.6")
DEFAULT_UPSTREAM_POWER = Decimal("42.5")


def _digest(serial_number: str) -> str:
    return hashlib.sha256(serial_number.encode()).hexdigest()


def _network_name(serial_number: str) -> str:
    return f"Dropline-{serial_number[-4:].upper()}"


def _passphrase(serial_number: str, n: int) -> str:
    return f"home-{_digest(serial_number)[n * 8 : n * 8 + 8]}"


def _identity(
    root: str, *, oui: str, product_class: str, serial_number: str, firmware: str
) -> Tree:
    return {
        f"{root}.DeviceInfo.Manufacturer": "Dropline Labs",
        f"{root}.DeviceInfo.ManufacturerOUI": oui,
        f"{root}.DeviceInfo.ProductClass": product_class,
        f"{root}.DeviceInfo.SerialNumber": serial_number,
        f"{root}.DeviceInfo.SoftwareVersion": firmware,
        f"{root}.ManagementServer.PeriodicInformEnable": True,
        f"{root}.ManagementServer.PeriodicInformInterval": INFORM_INTERVAL_SECONDS,
    }


def docsis_levels(
    root: str,
    *,
    downstream_power_dbmv: Decimal,
    downstream_snr_db: Decimal,
    upstream_power_dbmv: Decimal,
) -> Tree:
    """Every bonded channel at the given levels (the downstream ones a little apart, the
    average being the given power)."""
    base = f"{root}.X_CISCO_COM_CableModem."
    tree: Tree = {}
    spread = [Decimal("-0.3"), Decimal("0.1"), Decimal("0.3"), Decimal("-0.1")]
    for i in range(1, DOWNSTREAM_CHANNELS + 1):
        power = downstream_power_dbmv + spread[(i - 1) % len(spread)]
        tree[f"{base}DownstreamChannel.{i}.PowerLevel"] = f"{power:.1f} dBmV"
        tree[f"{base}DownstreamChannel.{i}.SNRLevel"] = f"{downstream_snr_db:.1f} dB"
    for i in range(1, UPSTREAM_CHANNELS + 1):
        tree[f"{base}UpstreamChannel.{i}.PowerLevel"] = f"{upstream_power_dbmv:.1f} dBmV"
    return tree


def _default_levels(root: str) -> Tree:
    return docsis_levels(
        root,
        downstream_power_dbmv=DEFAULT_DOWNSTREAM_POWER,
        downstream_snr_db=DEFAULT_DOWNSTREAM_SNR,
        upstream_power_dbmv=DEFAULT_UPSTREAM_POWER,
    )


def _mac(serial_number: str, n: int) -> str:
    digest = _digest(f"{serial_number}:{n}")
    return "02:" + ":".join(digest[i : i + 2] for i in range(0, 10, 2))


HOUSEHOLD = (("laptop", "wifi"), ("phone", "wifi"), ("tv", "ethernet"))


def _tr181_wifi(serial_number: str) -> Tree:
    name = _network_name(serial_number)
    tree: Tree = {}
    networks = (
        ("2.4GHz", name, "WPA2-Personal"),
        ("5GHz", f"{name}-5G", "WPA3-Personal-Transition"),
    )
    for i, (band, ssid, mode) in enumerate(networks, start=1):
        tree[f"Device.WiFi.Radio.{i}.OperatingFrequencyBand"] = band
        tree[f"Device.WiFi.SSID.{i}.Enable"] = True
        tree[f"Device.WiFi.SSID.{i}.SSID"] = ssid
        tree[f"Device.WiFi.SSID.{i}.LowerLayers"] = f"Device.WiFi.Radio.{i}"
        tree[f"Device.WiFi.AccessPoint.{i}.SSIDReference"] = f"Device.WiFi.SSID.{i}"
        tree[f"Device.WiFi.AccessPoint.{i}.Security.ModeEnabled"] = mode
        tree[f"Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase"] = _passphrase(serial_number, i)
    for i, (name_, interface) in enumerate(HOUSEHOLD, start=1):
        base = f"Device.Hosts.Host.{i}."
        tree[base + "HostName"] = name_
        tree[base + "PhysAddress"] = _mac(serial_number, i)
        tree[base + "IPAddress"] = f"192.168.1.{100 + i}"
        tree[base + "Active"] = True
        tree[base + "Layer1Interface"] = (
            f"Device.WiFi.SSID.{1 + i % 2}"
            if interface == "wifi"
            else "Device.Ethernet.Interface.1"
        )
    return tree


def _tr098_wifi(serial_number: str) -> Tree:
    name = _network_name(serial_number)
    tree: Tree = {}
    networks = (
        (6, "n", name, "PSKAuthentication"),
        (36, "ac", f"{name}-5G", "PSKandSAEAuthentication"),
    )
    for i, (channel, standard, ssid, mode) in enumerate(networks, start=1):
        base = f"InternetGatewayDevice.LANDevice.1.WLANConfiguration.{i}."
        tree[base + "Enable"] = True
        tree[base + "SSID"] = ssid
        tree[base + "Channel"] = channel
        tree[base + "Standard"] = standard
        tree[base + "BeaconType"] = "11i"
        tree[base + "IEEE11iAuthenticationMode"] = mode
        tree[base + "IEEE11iEncryptionModes"] = "AESEncryption"
        tree[base + "PreSharedKey.1.KeyPassphrase"] = _passphrase(serial_number, i)
    for i, (name_, interface) in enumerate(HOUSEHOLD, start=1):
        base = f"InternetGatewayDevice.LANDevice.1.Hosts.Host.{i}."
        tree[base + "HostName"] = name_
        tree[base + "MACAddress"] = _mac(serial_number, i)
        tree[base + "IPAddress"] = f"192.168.1.{100 + i}"
        tree[base + "InterfaceType"] = "802.11" if interface == "wifi" else "Ethernet"
        tree[base + "Active"] = True
    return tree


def _router_behind(serial_number: str) -> Tree:
    base = "Device.Hosts.Host.1."
    return {
        base + "HostName": "router",
        base + "PhysAddress": _mac(serial_number, 0),
        base + "IPAddress": "100.64.12.7",
        base + "Active": True,
        base + "Layer1Interface": "Device.Ethernet.Interface.1",
    }


def initial_parameters(
    *, kind: str, oui: str, product_class: str, serial_number: str, firmware: str
) -> Tree:
    """The tree a new device of ``kind`` (catalog ``EquipmentKind`` value) reports."""
    root = "InternetGatewayDevice" if kind == "router" else "Device"
    tree = _identity(
        root, oui=oui, product_class=product_class, serial_number=serial_number, firmware=firmware
    )
    if kind == "gateway":
        tree |= _default_levels(root) | _tr181_wifi(serial_number)
    elif kind == "modem":
        tree |= _default_levels(root) | _router_behind(serial_number)
    elif kind == "router":
        tree |= _tr098_wifi(serial_number)
    return tree
