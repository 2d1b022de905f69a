"""Equipment on an account with its live status: what device management says about each
device (online or offline, last contact, uptime, firmware, DOCSIS signal levels,
connected devices, Wi-Fi networks) and whether a restart is still running.

One device-management call for all the devices of a page. A device with no device id,
one device management does not know, or any device while device management cannot be
reached has the status ``unknown``: the page still shows, never an error.

Signal levels are judged against ``SIGNAL_RANGES``, the typical ranges for DOCSIS 3.0
and 3.1 cable modems:

- downstream receive power from -15 to +15 dBmV (the DOCSIS specification's range; a
  modem outside it loses channels or locks up),
- downstream signal-to-noise ratio (MER) of 33 dB or more (the floor for 256-QAM
  channels; below it errors climb),
- upstream transmit power from 35 to 51 dBmV (below 35 the path is too "hot"; above 51
  the modem is near its maximum with four bonded channels and drops channels).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dropline.customers.models import CustomerAccount
from dropline.network import restarting
from dropline.network.devices import get_device_manager
from dropline.network.devices.base import DeviceManagerError, DeviceState, Signal
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus, Equipment
from dropline.network.queries import equipment_for

logger = logging.getLogger(__name__)

ONLINE = "online"
OFFLINE = "offline"
RESTARTING = "restarting"
UNKNOWN = "unknown"
STATUS_LABELS: dict[str, Promise] = {
    ONLINE: _("Online"),
    OFFLINE: _("Offline"),
    RESTARTING: _("Restarting"),
    UNKNOWN: _("Status unknown"),
}


@dataclass(frozen=True, slots=True)
class SignalRange:
    label: Promise
    low: Decimal | None
    high: Decimal | None
    unit: str
    low_code: str
    high_code: str


SIGNAL_RANGES: dict[str, SignalRange] = {
    "downstream_power_dbmv": SignalRange(
        _("Downstream power"),
        Decimal("-15"),
        Decimal("15"),
        "dBmV",
        "downstream_power_low",
        "downstream_power_high",
    ),
    "downstream_snr_db": SignalRange(
        _("Downstream signal-to-noise ratio"), Decimal("33"), None, "dB", "snr_low", ""
    ),
    "upstream_power_dbmv": SignalRange(
        _("Upstream power"),
        Decimal("35"),
        Decimal("51"),
        "dBmV",
        "upstream_power_low",
        "upstream_power_high",
    ),
}


@dataclass(frozen=True, slots=True)
class SignalLevel:
    """One reported level with its typical range and whether it is in it."""

    name: str  # a key of SIGNAL_RANGES
    value: Decimal
    range: SignalRange
    problem: str  # "" when in range, else a code of signal_problems

    @property
    def in_range(self) -> bool:
        return not self.problem


def _problem(value: Decimal, limits: SignalRange) -> str:
    if limits.low is not None and value < limits.low:
        return limits.low_code
    if limits.high is not None and value > limits.high:
        return limits.high_code
    return ""


def signal_levels(signal: Signal | None) -> list[SignalLevel]:
    """The levels the device reports, in the order of SIGNAL_RANGES."""
    if signal is None:
        return []
    levels = []
    for name, limits in SIGNAL_RANGES.items():
        value = getattr(signal, name)
        if value is not None:
            levels.append(SignalLevel(name, value, limits, _problem(value, limits)))
    return levels


def signal_problems(signal: Signal) -> list[str]:
    """Codes for the levels out of range: ``downstream_power_low``,
    ``downstream_power_high``, ``snr_low``, ``upstream_power_low``,
    ``upstream_power_high``."""
    return [level.problem for level in signal_levels(signal) if level.problem]


@dataclass(frozen=True)
class EquipmentView:
    """A device with what device management says about it now."""

    equipment: Equipment
    status: str  # "online" | "offline" | "restarting" | "unknown"
    state: DeviceState | None
    restart: DeviceAction | None  # a restart still running
    last_restart_at: dt.datetime | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def kind(self) -> str:
        return self.equipment.model.kind

    @property
    def restartable(self) -> bool:
        return bool(self.equipment.device_id) and self.kind in restarting.RESTARTABLE_KINDS

    @property
    def has_wifi(self) -> bool:
        return self.state is not None and bool(self.state.wifi)

    @property
    def booted_at(self) -> dt.datetime | None:
        return restarting.booted_at(self.state) if self.state is not None else None

    @property
    def signal(self) -> list[SignalLevel]:
        return signal_levels(self.state.signal if self.state is not None else None)


def device_states(device_ids: Sequence[str]) -> dict[str, DeviceState] | None:
    """What device management says about the devices, in one call; ``None`` when it
    cannot be reached (or refuses), so that pages can say "unknown" instead of failing."""
    if not device_ids:
        return {}
    try:
        return get_device_manager().devices(list(device_ids))
    except DeviceManagerError:
        logger.warning("device management unavailable", exc_info=True)
        return None


def _status(
    device: Equipment, states: dict[str, DeviceState] | None, restart: DeviceAction | None
) -> tuple[str, DeviceState | None]:
    if not device.device_id or states is None or device.device_id not in states:
        return UNKNOWN, None
    state = states[device.device_id]
    if restart is not None:
        return RESTARTING, state
    return (ONLINE if state.online else OFFLINE), state


def views_of(devices: Sequence[Equipment]) -> list[EquipmentView]:
    """The live views of ``devices`` (with their models loaded): two queries for their
    restarts and one device-management call, whatever their number. A running restart
    whose device is back is finished here."""
    ids = [device.pk for device in devices]
    running: dict[int, DeviceAction] = {}
    for open_action in DeviceAction.objects.filter(
        equipment_id__in=ids,
        kind=DeviceActionKind.RESTART,
        status__in=[DeviceActionStatus.QUEUED, DeviceActionStatus.RUNNING],
    ).order_by("requested_at", "id"):
        running[open_action.equipment_id] = open_action
    last = dict(
        DeviceAction.objects.filter(equipment_id__in=ids, kind=DeviceActionKind.RESTART)
        .exclude(status=DeviceActionStatus.FAILED)
        .values_list("equipment_id")
        .annotate(last=Max("requested_at"))
    )
    states = device_states([device.device_id for device in devices if device.device_id])
    views = []
    for device in devices:
        action: DeviceAction | None = running.get(device.pk)
        state = states.get(device.device_id) if states else None
        if action is not None and state is not None:
            action.equipment = device
            action = restarting.settle(action=action, state=state)
            if action.status in (DeviceActionStatus.DONE, DeviceActionStatus.FAILED):
                action = None
        status, state = _status(device, states, action)
        views.append(
            EquipmentView(
                equipment=device,
                status=status,
                state=state,
                restart=action,
                last_restart_at=last.get(device.pk),
            )
        )
    return views


def equipment_states(*, account: CustomerAccount) -> list[EquipmentView]:
    """Every device at (or on its way to) the account's premises with its live status."""
    return views_of(list(equipment_for(account=account)))


def equipment_view(*, account: CustomerAccount, equipment_id: int) -> EquipmentView:
    """One of the account's devices with its live status; another account's device (or
    none) raises ``Equipment.DoesNotExist``."""
    device = equipment_for(account=account).get(pk=equipment_id)
    return views_of([device])[0]


def recent_restarts(*, equipment_ids: Sequence[int], since: dt.datetime) -> int:
    """Restarts of these devices asked for since ``since`` (failed ones aside)."""
    return (
        DeviceAction.objects.filter(
            equipment_id__in=list(equipment_ids),
            kind=DeviceActionKind.RESTART,
            requested_at__gte=since,
        )
        .exclude(status=DeviceActionStatus.FAILED)
        .count()
    )
