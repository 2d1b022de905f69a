"""What Dropline asks of device management (a TR-069 auto-configuration server), whichever
it is: the GenieACS NBI client or the simulator.

Devices are named by the server's id (GenieACS: ``<OUI>-<ProductClass>-<SerialNumber>``,
kept on ``Equipment.device_id``). Reads give a ``DeviceState`` built from the device's
TR-069 parameters (``tr069.py`` maps both data models, ``InternetGatewayDevice.`` and
``Device.``). Tasks are posted with a connection request: ``DONE`` when the device ran the
task in the session the request opened (GenieACS answers 200), ``QUEUED`` when it waits
for the device's next contact (202: the device is offline or busy, the connection request
failed, or the task faulted; a fault is read back with ``task_fault``). An unknown device
raises ``DeviceNotFoundError`` (404); a server that cannot be reached raises
``DeviceManagerUnavailableError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

ParameterValue = str | int | bool


class DeviceManagerError(Exception):
    """Device management refused or failed a request."""


class DeviceNotFoundError(DeviceManagerError):
    """No device with that id."""


class DeviceManagerUnavailableError(DeviceManagerError):
    """The server could not be reached or answered with an error."""


@dataclass(frozen=True, slots=True)
class Signal:
    """DOCSIS levels, where the device reports them."""

    downstream_power_dbmv: Decimal | None = None
    downstream_snr_db: Decimal | None = None
    upstream_power_dbmv: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ConnectedHost:
    name: str  # the host name the device knows, or ""
    mac_address: str
    ip_address: str
    interface: str  # "wifi" or "ethernet"
    active: bool = True


@dataclass(frozen=True, slots=True)
class WifiNetwork:
    key: str  # the instance of the Wi-Fi configuration object ("1", "5"...)
    ssid: str
    band: str  # "2.4 GHz", "5 GHz", "6 GHz"
    security: str  # "WPA2", "WPA3", "WPA2/WPA3", "open"
    passphrase: str
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class DeviceState:
    device_id: str
    online: bool
    last_contact: dt.datetime | None
    uptime_seconds: int | None
    firmware: str
    signal: Signal | None
    hosts: tuple[ConnectedHost, ...] = ()
    wifi: tuple[WifiNetwork, ...] = ()
    # The root of its TR-069 tree, "InternetGatewayDevice" (TR-098) or "Device" (TR-181):
    # what tr069.wifi_parameter_values needs to address its Wi-Fi.
    data_model: str = ""


class TaskOutcome(StrEnum):
    DONE = "done"  # ran in the device's session (200)
    QUEUED = "queued"  # waits for the device's next contact (202)


@dataclass(frozen=True, slots=True)
class TaskResult:
    task_id: str
    outcome: TaskOutcome


class TaskState(StrEnum):
    PENDING = "pending"  # still waiting for the device
    DONE = "done"  # ran and left the queue
    FAULT = "fault"  # the device or the server reported a fault


@dataclass(frozen=True, slots=True)
class TaskStatus:
    state: TaskState
    fault: str = ""  # "<code> <message>" when state is FAULT


class DeviceManager(Protocol):
    def device(self, device_id: str) -> DeviceState: ...

    def devices(self, device_ids: Sequence[str]) -> dict[str, DeviceState]:
        """The states of the known ones among ``device_ids``, in one request."""
        ...

    def reboot(self, device_id: str) -> TaskResult: ...

    def factory_reset(self, device_id: str) -> TaskResult: ...

    def set_parameter_values(
        self, device_id: str, values: Sequence[tuple[str, ParameterValue]]
    ) -> TaskResult: ...

    def get_parameter_values(self, device_id: str, names: Sequence[str]) -> TaskResult: ...

    def refresh_object(self, device_id: str, name: str) -> TaskResult: ...

    def task_status(self, device_id: str, task_id: str) -> TaskStatus: ...
