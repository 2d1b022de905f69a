"""TR-069 parameter paths Dropline reads and writes, for both data models, and the
translation between a device's parameters and a ``DeviceState``.

Devices speak one of two data models, told apart by the root of their parameter tree:

- TR-098, ``InternetGatewayDevice.``: Wi-Fi under
  ``LANDevice.1.WLANConfiguration.{i}.`` (``SSID``, ``Enable``, ``Channel``,
  ``BeaconType``: ``None`` or ``11i``, ``IEEE11iAuthenticationMode``:
  ``PSKAuthentication``, or the ``SAEAuthentication`` / ``PSKandSAEAuthentication``
  values vendors add for WPA3, and the passphrase in ``PreSharedKey.1.KeyPassphrase``,
  or ``KeyPassphrase`` on older firmware); hosts under ``LANDevice.1.Hosts.Host.{i}.``.
- TR-181, ``Device.``: ``WiFi.SSID.{i}.SSID`` on a ``WiFi.Radio`` (its
  ``OperatingFrequencyBand``), ``WiFi.AccessPoint.{i}.Security.ModeEnabled``
  (``None``, ``WPA2-Personal``, ``WPA3-Personal``, ``WPA3-Personal-Transition``) and
  ``Security.KeyPassphrase``; hosts under ``Hosts.Host.{i}.``.

Both keep ``DeviceInfo.SoftwareVersion`` and ``DeviceInfo.UpTime`` under their root.

DOCSIS levels have no object in either standard model. Cable gateways managed through
GenieACS (the RDK-B software most of them run) report them under the vendor object
``X_CISCO_COM_CableModem.``: ``DownstreamChannel.{i}.PowerLevel`` ("2.3 dBmV"),
``DownstreamChannel.{i}.SNRLevel`` ("38.6 dB") and ``UpstreamChannel.{i}.PowerLevel``;
that is the one read here, under either root. With several bonded channels the state
gives the downstream power averaged over the channels, the lowest SNR and the highest
upstream power: the figures a technician looks at first.

A Wi-Fi network's ``key`` is the instance number of its ``WLANConfiguration`` (TR-098)
or ``WiFi.SSID`` (TR-181) object.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from dropline.network.devices.base import (
    ConnectedHost,
    DeviceState,
    ParameterValue,
    Signal,
    WifiNetwork,
)

TR098 = "InternetGatewayDevice"
TR181 = "Device"
DATA_MODELS = (TR098, TR181)

SOFTWARE_VERSION = "{root}.DeviceInfo.SoftwareVersion"
UP_TIME = "{root}.DeviceInfo.UpTime"
PERIODIC_INFORM_INTERVAL = "{root}.ManagementServer.PeriodicInformInterval"

# TR-098
WLAN = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.{key}."
WLAN_PASSPHRASE = WLAN + "PreSharedKey.1.KeyPassphrase"
WLAN_OLD_PASSPHRASE = WLAN + "KeyPassphrase"
LAN_HOSTS = "InternetGatewayDevice.LANDevice.1.Hosts.Host."
# TR-181
WIFI_SSID = "Device.WiFi.SSID.{key}."
WIFI_RADIO = "Device.WiFi.Radio.{key}."
WIFI_ACCESS_POINT = "Device.WiFi.AccessPoint.{key}."
HOSTS = "Device.Hosts.Host."
# Vendor (RDK-B cable gateways), under either root.
CABLE_MODEM = "{root}.X_CISCO_COM_CableModem."

# Dropline's security words and each model's values for them.
OPEN, WPA2, WPA3, WPA2_WPA3 = "open", "WPA2", "WPA3", "WPA2/WPA3"
SECURITIES = (WPA2, WPA3, WPA2_WPA3, OPEN)
TR181_MODES = {
    OPEN: "None",
    WPA2: "WPA2-Personal",
    WPA3: "WPA3-Personal",
    WPA2_WPA3: "WPA3-Personal-Transition",
}
TR098_AUTHENTICATION = {
    WPA2: "PSKAuthentication",
    WPA3: "SAEAuthentication",
    WPA2_WPA3: "PSKandSAEAuthentication",
}
BANDS = {"2.4GHz": "2.4 GHz", "5GHz": "5 GHz", "6GHz": "6 GHz"}

_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)")


def data_model(parameters: Mapping[str, object]) -> str:
    """The root of the device's tree: ``InternetGatewayDevice`` or ``Device``."""
    for path in parameters:
        if path.startswith(TR098 + "."):
            return TR098
    return TR181


def xsd_type(value: ParameterValue) -> str:
    """The XML Schema type a ``setParameterValues`` carries for ``value``."""
    if isinstance(value, bool):
        return "xsd:boolean"
    if isinstance(value, int):
        return "xsd:unsignedInt" if value >= 0 else "xsd:int"
    return "xsd:string"


def instances(parameters: Mapping[str, object], prefix: str) -> list[str]:
    """The instance numbers under ``prefix`` (ending in "."), in numeric order."""
    found = {
        path[len(prefix) :].split(".", 1)[0]
        for path in parameters
        if path.startswith(prefix) and "." in path[len(prefix) :]
    }
    return sorted((key for key in found if key.isdigit()), key=int)


def _text(parameters: Mapping[str, ParameterValue], path: str) -> str:
    value = parameters.get(path)
    return "" if value is None else str(value)


def _flag(parameters: Mapping[str, ParameterValue], path: str, default: bool = True) -> bool:
    value = parameters.get(path)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true")


def _integer(parameters: Mapping[str, ParameterValue], path: str) -> int | None:
    value = parameters.get(path)
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def level(value: ParameterValue | None) -> Decimal | None:
    """A level as the device reports it ("2.3 dBmV", "38.6", 40) as a number."""
    if value is None or isinstance(value, bool):
        return None
    match = _NUMBER.match(str(value))
    if match is None:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return None


def signal(parameters: Mapping[str, ParameterValue]) -> Signal | None:
    """DOCSIS levels, or None for a device that reports none."""
    base = CABLE_MODEM.format(root=data_model(parameters))
    downstream = base + "DownstreamChannel."
    upstream = base + "UpstreamChannel."
    powers = [
        level(parameters.get(f"{downstream}{i}.PowerLevel"))
        for i in instances(parameters, downstream)
    ]
    snrs = [
        level(parameters.get(f"{downstream}{i}.SNRLevel"))
        for i in instances(parameters, downstream)
    ]
    ups = [
        level(parameters.get(f"{upstream}{i}.PowerLevel")) for i in instances(parameters, upstream)
    ]
    power_values = [p for p in powers if p is not None]
    snr_values = [s for s in snrs if s is not None]
    up_values = [u for u in ups if u is not None]
    if not (power_values or snr_values or up_values):
        return None
    average = (
        (sum(power_values, Decimal(0)) / len(power_values)).quantize(Decimal("0.1"))
        if power_values
        else None
    )
    return Signal(
        downstream_power_dbmv=average,
        downstream_snr_db=min(snr_values) if snr_values else None,
        upstream_power_dbmv=max(up_values) if up_values else None,
    )


def _band_tr098(parameters: Mapping[str, ParameterValue], base: str) -> str:
    channel = _integer(parameters, base + "Channel")
    if channel is not None and channel >= 36:
        return "5 GHz"
    if channel is not None and channel >= 1:
        return "2.4 GHz"
    standard = _text(parameters, base + "Standard")
    return "5 GHz" if standard.startswith("a") else "2.4 GHz"


def _security_tr098(parameters: Mapping[str, ParameterValue], base: str) -> str:
    beacon = _text(parameters, base + "BeaconType")
    if beacon in ("", "None", "Basic"):
        return OPEN
    mode = _text(parameters, base + "IEEE11iAuthenticationMode")
    for security, value in TR098_AUTHENTICATION.items():
        if mode == value:
            return security
    return WPA2


def _wifi_tr098(parameters: Mapping[str, ParameterValue]) -> list[WifiNetwork]:
    networks = []
    for key in instances(parameters, WLAN.format(key="")[:-1]):
        base = WLAN.format(key=key)
        passphrase = _text(parameters, WLAN_PASSPHRASE.format(key=key)) or _text(
            parameters, WLAN_OLD_PASSPHRASE.format(key=key)
        )
        networks.append(
            WifiNetwork(
                key=key,
                ssid=_text(parameters, base + "SSID"),
                band=_band_tr098(parameters, base),
                security=_security_tr098(parameters, base),
                passphrase=passphrase,
                enabled=_flag(parameters, base + "Enable"),
            )
        )
    return networks


def _access_point_for(parameters: Mapping[str, ParameterValue], key: str) -> str:
    """The TR-181 access point whose SSIDReference is SSID ``key`` (by default the same
    instance number)."""
    wanted = WIFI_SSID.format(key=key).rstrip(".")
    prefix = WIFI_ACCESS_POINT.format(key="")[:-1]
    for ap in instances(parameters, prefix):
        reference = _text(parameters, WIFI_ACCESS_POINT.format(key=ap) + "SSIDReference")
        if reference.rstrip(".") == wanted:
            return ap
    return key


def _wifi_tr181(parameters: Mapping[str, ParameterValue]) -> list[WifiNetwork]:
    networks = []
    for key in instances(parameters, WIFI_SSID.format(key="")[:-1]):
        base = WIFI_SSID.format(key=key)
        radio = _text(parameters, base + "LowerLayers").rstrip(".").rsplit(".", 1)[-1]
        band = _text(parameters, WIFI_RADIO.format(key=radio) + "OperatingFrequencyBand")
        ap = WIFI_ACCESS_POINT.format(key=_access_point_for(parameters, key))
        mode = _text(parameters, ap + "Security.ModeEnabled")
        security = next((s for s, v in TR181_MODES.items() if v == mode), WPA2)
        networks.append(
            WifiNetwork(
                key=key,
                ssid=_text(parameters, base + "SSID"),
                band=BANDS.get(band, band or "2.4 GHz"),
                security=security,
                passphrase=_text(parameters, ap + "Security.KeyPassphrase"),
                enabled=_flag(parameters, base + "Enable"),
            )
        )
    return networks


def wifi(parameters: Mapping[str, ParameterValue]) -> list[WifiNetwork]:
    if data_model(parameters) == TR098:
        return _wifi_tr098(parameters)
    return _wifi_tr181(parameters)


def hosts(parameters: Mapping[str, ParameterValue]) -> list[ConnectedHost]:
    found = []
    if data_model(parameters) == TR098:
        for i in instances(parameters, LAN_HOSTS):
            base = f"{LAN_HOSTS}{i}."
            kind = _text(parameters, base + "InterfaceType")
            found.append(
                ConnectedHost(
                    name=_text(parameters, base + "HostName"),
                    mac_address=_text(parameters, base + "MACAddress").lower(),
                    ip_address=_text(parameters, base + "IPAddress"),
                    interface="wifi" if kind == "802.11" else "ethernet",
                    active=_flag(parameters, base + "Active"),
                )
            )
        return found
    for i in instances(parameters, HOSTS):
        base = f"{HOSTS}{i}."
        layer1 = _text(parameters, base + "Layer1Interface")
        found.append(
            ConnectedHost(
                name=_text(parameters, base + "HostName"),
                mac_address=_text(parameters, base + "PhysAddress").lower(),
                ip_address=_text(parameters, base + "IPAddress"),
                interface="wifi" if ".WiFi." in layer1 else "ethernet",
                active=_flag(parameters, base + "Active"),
            )
        )
    return found


def state_from_parameters(
    *,
    device_id: str,
    parameters: Mapping[str, ParameterValue],
    online: bool,
    last_contact: dt.datetime | None,
    booted_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> DeviceState:
    """The state of a device from its parameters (path -> value, flat). Uptime counts
    from ``booted_at`` up to ``at`` when both are known, else it is the ``UpTime`` the
    device last reported; it is None while the device is offline."""
    root = data_model(parameters)
    uptime: int | None = None
    if online:
        if booted_at is not None and at is not None:
            uptime = max(0, int((at - booted_at).total_seconds()))
        else:
            uptime = _integer(parameters, UP_TIME.format(root=root))
    return DeviceState(
        device_id=device_id,
        online=online,
        last_contact=last_contact,
        uptime_seconds=uptime,
        firmware=_text(parameters, SOFTWARE_VERSION.format(root=root)),
        signal=signal(parameters),
        hosts=tuple(hosts(parameters)),
        wifi=tuple(wifi(parameters)),
        data_model=root,
    )


def wifi_parameter_values(
    key: str,
    *,
    ssid: str | None = None,
    passphrase: str | None = None,
    security: str | None = None,
    data_model: str = TR181,
) -> list[tuple[str, ParameterValue]]:
    """The ``setParameterValues`` pairs that change Wi-Fi network ``key``: only what is
    given changes. ``data_model`` is the device's (``DeviceState.data_model``)."""
    if not key.isdigit():
        raise ValueError(f"a Wi-Fi network's key is an instance number, not {key!r}")
    if security is not None and security not in SECURITIES:
        raise ValueError(f"unknown Wi-Fi security {security!r}")
    values: list[tuple[str, ParameterValue]] = []
    if data_model == TR098:
        base = WLAN.format(key=key)
        if ssid is not None:
            values.append((base + "SSID", ssid))
        if security == OPEN:
            values.append((base + "BeaconType", "None"))
        elif security is not None:
            values.append((base + "BeaconType", "11i"))
            values.append((base + "IEEE11iAuthenticationMode", TR098_AUTHENTICATION[security]))
            values.append((base + "IEEE11iEncryptionModes", "AESEncryption"))
        if passphrase is not None:
            values.append((WLAN_PASSPHRASE.format(key=key), passphrase))
        return values
    if data_model != TR181:
        raise ValueError(f"unknown data model {data_model!r}")
    ap = WIFI_ACCESS_POINT.format(key=key)
    if ssid is not None:
        values.append((WIFI_SSID.format(key=key) + "SSID", ssid))
    if security is not None:
        values.append((ap + "Security.ModeEnabled", TR181_MODES[security]))
    if passphrase is not None:
        values.append((ap + "Security.KeyPassphrase", passphrase))
    return values
