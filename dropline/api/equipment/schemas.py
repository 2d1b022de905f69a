"""Input and output of the customer's equipment (``dropline.api.equipment.routes``).
Times are ISO 8601 in UTC; signal levels are decimals as strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import CHECKED_NOT_BLANK, AccountQuery, AccountRefOut


class EquipmentQuery(AccountQuery):
    pass


class WifiQuery(AccountQuery):
    include_passphrase: bool = Field(
        False,
        description="Also answer each network's password; needs a sign-in confirmed in the "
        "last few minutes (else 401: allauth's answer, with the flows that confirm it).",
    )


class SignalLevelOut(Schema):
    name: str = Field(
        description="`downstream_power_dbmv`, `downstream_snr_db` or `upstream_power_dbmv`."
    )
    value: Decimal
    unit: str
    typical_low: Decimal | None = Field(description="The typical range's floor; null: none.")
    typical_high: Decimal | None = Field(description="The typical range's ceiling; null: none.")
    in_range: bool
    problem: str = Field(
        description="Empty when in range, else `downstream_power_low`, `downstream_power_high`, "
        "`snr_low`, `upstream_power_low` or `upstream_power_high`."
    )


class ConnectedDeviceOut(Schema):
    name: str
    mac_address: str
    ip_address: str
    connection: str = Field(description="`wifi` or `ethernet`.")
    active: bool


class WifiNetworkOut(Schema):
    network: str = Field(description="The network's key, to name it in `PUT .../wifi`.")
    ssid: str
    band: str
    security: str = Field(description="`WPA2`, `WPA3`, `WPA2/WPA3` or `open`.")
    enabled: bool
    passphrase: str | None = Field(
        None, description="Only with `include_passphrase=true`; null otherwise."
    )


class RestartOut(Schema):
    id: int
    status: str = Field(
        description="`queued` (the device is offline: it restarts when it connects again), "
        "`running`, `done` (back online) or `failed`."
    )
    requested_at: dt.datetime
    expected_at: dt.datetime | None = Field(description="When it should be back, if running.")
    finished_at: dt.datetime | None
    message: str = Field(description="Where it stands, in words for the customer.")


class DeviceOut(Schema):
    id: int
    kind: str = Field(description="`gateway`, `modem`, `router`, `receiver` or `phone`.")
    kind_label: str
    name: str = Field(description="Make and model.")
    serial_number: str
    mac_address: str
    status: str = Field(
        description="`online`, `offline`, `restarting` (a restart is not finished yet), or "
        "`unknown` (a device we cannot check from here, or device management unreachable)."
    )
    status_label: str
    last_contact: dt.datetime | None
    uptime_seconds: int | None
    firmware: str
    signal: list[SignalLevelOut]
    connected_devices: list[ConnectedDeviceOut]
    wifi: list[WifiNetworkOut] = Field(description="Without passwords: see `.../wifi`.")
    restartable: bool
    restart_effect: str = Field(description="What a restart does, in words; empty if none.")
    restart: RestartOut | None = Field(description="A restart still running.")
    last_restart_at: dt.datetime | None


class EquipmentListOut(Schema):
    account: AccountRefOut
    equipment: list[DeviceOut]


class WifiOut(Schema):
    equipment_id: int
    networks: list[WifiNetworkOut]
    pending: bool = Field(description="A change is waiting for the device's next contact.")


class WifiIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"network": "main", "ssid": "Rivera Home", "passphrase": "willow-bend-418"}
            ]
        }
    )

    account: str | None = Field(None, max_length=40, description="As in the query elsewhere.")
    network: str = Field(
        max_length=16,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="The network's key from `GET .../wifi`.",
    )
    ssid: str = Field(
        max_length=64,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="1 to 32 bytes, no space at either end.",
    )
    passphrase: str | None = Field(
        None,
        max_length=64,
        description="8 to 63 printable ASCII characters (or 64 hex digits for WPA2 alone), "
        "never the network name; null keeps the password.",
    )


class WifiChangeOut(Schema):
    id: int
    status: str = Field(
        description="`done` (applied), `queued` (applies at the device's next contact) or `failed`."
    )
    message: str
