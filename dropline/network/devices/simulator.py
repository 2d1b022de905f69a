"""Device management without a server: devices kept in ``SimulatedDevice`` rows that
behave as real equipment behind an auto-configuration server does.

A connected device contacts the server every ``INFORM_INTERVAL_SECONDS`` (its periodic
inform, counted from its boot) and at once when a task comes with a connection request.
A restart takes it away for ``REBOOT_SECONDS`` and it comes back with a fresh boot time.
A task for a device that cannot be reached (unplugged, restarting) waits in its queue
and runs at its next contact; so does every task of a device made faulty, which faults
each time (a fault read back as GenieACS keeps them: a code and a message).

Nothing runs in the background: each call first plays what happened since the device
was last looked at (``catch_up``), by ``clock.now()``, so tests move time with
``clock.frozen``. Rows are locked while they change.
"""

from __future__ import annotations

import datetime as dt
import secrets
import urllib.parse
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from dropline.core import clock
from dropline.network.devices import simulated_parameters, tr069
from dropline.network.devices.base import (
    DeviceNotFoundError,
    DeviceState,
    ParameterValue,
    TaskOutcome,
    TaskResult,
    TaskState,
    TaskStatus,
)
from dropline.network.devices.tasks import NamedTasks
from dropline.network.models import SimulatedDevice

REBOOT_SECONDS = 60
INFORM_INTERVAL_SECONDS = simulated_parameters.INFORM_INTERVAL_SECONDS
REGISTERED_UPTIME = dt.timedelta(days=2, hours=3)
INVALID_PARAMETER = "9005 Invalid parameter name"
RESTARTING_TASKS = ("reboot", "factoryReset")


def device_id_for(*, oui: str, product_class: str, serial_number: str) -> str:
    """The id GenieACS gives a device: its OUI, product class and serial number, each
    percent-encoded (a "-" inside one too), joined by "-"."""

    def part(text: str) -> str:
        return urllib.parse.quote(text, safe="").replace("-", "%2D")

    return f"{part(oui)}-{part(product_class)}-{part(serial_number)}"


def _locked(device_id: str) -> SimulatedDevice:
    try:
        return SimulatedDevice.objects.select_for_update().get(device_id=device_id)
    except SimulatedDevice.DoesNotExist:
        raise DeviceNotFoundError(device_id) from None


def reachable(device: SimulatedDevice, at: dt.datetime) -> bool:
    """Plugged in and not in the middle of a restart."""
    return device.connected and (device.rebooting_until is None or at >= device.rebooting_until)


def _split_fault(fault: str) -> tuple[str, str]:
    code, _, message = fault.strip().partition(" ")
    if not code.isdigit():
        return "9002", fault.strip()
    return code, message.strip()


def _record_fault(
    device: SimulatedDevice, task: dict[str, Any], fault: str, at: dt.datetime
) -> None:
    code, message = _split_fault(fault)
    earlier = next((f for f in device.faults if f["task"] == task["_id"]), None)
    if earlier is not None:
        earlier.update(code=code, message=message, timestamp=at.isoformat())
        earlier["retries"] += 1
        return
    device.faults.append(
        {
            "task": task["_id"],
            "code": code,
            "message": message,
            "timestamp": at.isoformat(),
            "retries": 0,
        }
    )


def _kind(parameters: dict[str, Any]) -> str:
    if tr069.data_model(parameters) == tr069.TR098:
        return "router"
    has_levels = tr069.signal(parameters) is not None
    has_wifi = bool(tr069.wifi(parameters))
    if has_levels:
        return "gateway" if has_wifi else "modem"
    return "receiver"


def _factory_reset(device: SimulatedDevice) -> None:
    current = device.parameters
    root = tr069.data_model(current)
    fresh = simulated_parameters.initial_parameters(
        kind=_kind(current),
        oui=device.oui,
        product_class=device.product_class,
        serial_number=device.serial_number,
        firmware=str(current.get(tr069.SOFTWARE_VERSION.format(root=root), "")),
    )
    levels = {k: v for k, v in current.items() if ".X_CISCO_COM_CableModem." in k}
    device.parameters = fresh | levels


def _run(device: SimulatedDevice, task: dict[str, Any], at: dt.datetime) -> str:
    """Run ``task`` in a session at ``at``; the fault, or "" when it succeeded."""
    if device.fault:
        return device.fault
    name = task["name"]
    if name == "setParameterValues":
        if any(path not in device.parameters for path, *_ in task["parameterValues"]):
            return INVALID_PARAMETER
        for path, value, *_ in task["parameterValues"]:
            device.parameters[path] = value
    elif name == "getParameterValues":
        if any(path not in device.parameters for path in task["parameterNames"]):
            return INVALID_PARAMETER
    elif name == "factoryReset":
        _factory_reset(device)
    if name in RESTARTING_TASKS:
        device.rebooting_until = at + dt.timedelta(seconds=REBOOT_SECONDS)
    return ""


def _session(device: SimulatedDevice, at: dt.datetime) -> None:
    """The device contacts the server at ``at`` and runs the tasks waiting for it, in
    order, until one restarts it (the rest wait for it to be back)."""
    device.last_inform_at = at
    waiting = list(device.pending_tasks)
    for task in waiting:
        if not reachable(device, at):
            break
        fault = _run(device, task, at)
        if fault:
            _record_fault(device, task, fault, at)
            continue
        device.pending_tasks = [t for t in device.pending_tasks if t["_id"] != task["_id"]]
        device.faults = [f for f in device.faults if f["task"] != task["_id"]]


def catch_up(device: SimulatedDevice, now: dt.datetime) -> bool:
    """Play what the device did since it was last looked at: coming back from a restart
    (a boot contact), periodic contacts. True when something happened: the caller saves
    the row."""
    happened = False
    while device.connected:
        if device.rebooting_until is not None:
            if now < device.rebooting_until:
                break
            back = device.rebooting_until
            device.rebooting_until = None
            device.booted_at = back
            _session(device, back)
            happened = True
            continue
        interval = dt.timedelta(seconds=INFORM_INTERVAL_SECONDS)
        informs = max(0, (now - device.booted_at) // interval)
        latest = device.booted_at + informs * interval
        if device.last_inform_at is None or device.last_inform_at < latest:
            _session(device, latest)
            happened = True
            continue
        break
    return happened


def parameters_now(device: SimulatedDevice, now: dt.datetime) -> dict[str, ParameterValue]:
    """Its tree with ``DeviceInfo.UpTime`` as last reported (at its last contact)."""
    tree: dict[str, ParameterValue] = dict(device.parameters)
    seen = device.last_inform_at or now
    uptime = max(0, int((min(seen, now) - device.booted_at).total_seconds()))
    tree[tr069.UP_TIME.format(root=tr069.data_model(tree))] = uptime
    return tree


def state_of(device: SimulatedDevice, now: dt.datetime) -> DeviceState:
    online = reachable(device, now)
    return tr069.state_from_parameters(
        device_id=device.device_id,
        parameters=parameters_now(device, now),
        online=online,
        last_contact=device.last_inform_at,
        booted_at=device.booted_at,
        at=now,
    )


def look_up(device_ids: Sequence[str]) -> list[SimulatedDevice]:
    """The rows for the known ones among ``device_ids``, caught up and saved."""
    now = clock.now()
    with transaction.atomic():
        rows = list(
            SimulatedDevice.objects.select_for_update()
            .filter(device_id__in=list(device_ids))
            .order_by("pk")
        )
        for row in rows:
            if catch_up(row, now):
                row.save()
    return rows


def post_task(
    *, device_id: str, task: dict[str, Any], connection_request: bool = True
) -> tuple[dict[str, Any], TaskOutcome]:
    """Queue ``task`` (``name`` and its arguments, as GenieACS takes them) and, with a
    connection request, run it now if the device can be reached and does not fault."""
    now = clock.now()
    with transaction.atomic():
        device = _locked(device_id)
        catch_up(device, now)
        queued = {"_id": secrets.token_hex(12), "device": device_id, "timestamp": now.isoformat()}
        queued |= task
        device.pending_tasks = [*device.pending_tasks, queued]
        if connection_request and reachable(device, now):
            _session(device, now)
        device.save()
    waiting = any(t["_id"] == queued["_id"] for t in device.pending_tasks)
    return queued, TaskOutcome.QUEUED if waiting else TaskOutcome.DONE


def register_device(
    *,
    device_id: str,
    oui: str,
    product_class: str,
    serial_number: str,
    kind: str,
    firmware: str = "7.2.1",
    connected: bool = True,
) -> SimulatedDevice:
    """A device with the tree of its ``kind`` (catalog ``EquipmentKind`` value), up for
    a couple of days; the one already registered under ``device_id`` otherwise."""
    now = clock.now()
    booted = now - REGISTERED_UPTIME
    device, _ = SimulatedDevice.objects.get_or_create(
        device_id=device_id,
        defaults={
            "oui": oui,
            "product_class": product_class,
            "serial_number": serial_number,
            "connected": connected,
            "booted_at": booted,
            "last_inform_at": None if connected else now - dt.timedelta(hours=1),
            "parameters": simulated_parameters.initial_parameters(
                kind=kind,
                oui=oui,
                product_class=product_class,
                serial_number=serial_number,
                firmware=firmware,
            ),
        },
    )
    return device


def set_connected(*, device_id: str, connected: bool) -> None:
    """Unplug a device (it stops contacting the server) or plug it back (it boots)."""
    now = clock.now()
    with transaction.atomic():
        device = _locked(device_id)
        catch_up(device, now)
        if connected and not device.connected:
            device.connected = True
            device.rebooting_until = None
            device.booted_at = now
            _session(device, now)
        elif not connected:
            device.connected = False
            device.rebooting_until = None
        device.save()


def set_fault(*, device_id: str, fault: str) -> None:
    """Make every task fault with ``fault`` ("9002 Internal error"); "" clears it, and
    the tasks that faulted run at the device's next contact."""
    now = clock.now()
    with transaction.atomic():
        device = _locked(device_id)
        catch_up(device, now)
        device.fault = fault.strip()
        device.save()


def set_signal(
    *,
    device_id: str,
    downstream_power_dbmv: Decimal,
    downstream_snr_db: Decimal,
    upstream_power_dbmv: Decimal,
) -> None:
    """Set the DOCSIS levels the device reports (a cable gateway or modem)."""
    with transaction.atomic():
        device = _locked(device_id)
        root = tr069.data_model(device.parameters)
        if tr069.signal(device.parameters) is None:
            raise ValueError(f"{device_id} reports no DOCSIS levels")
        device.parameters |= simulated_parameters.docsis_levels(
            root,
            downstream_power_dbmv=downstream_power_dbmv,
            downstream_snr_db=downstream_snr_db,
            upstream_power_dbmv=upstream_power_dbmv,
        )
        device.save()


def task_status_of(device: SimulatedDevice, task_id: str) -> TaskStatus:
    if not any(t["_id"] == task_id for t in device.pending_tasks):
        return TaskStatus(state=TaskState.DONE)
    fault = next((f for f in device.faults if f["task"] == task_id), None)
    if fault is None:
        return TaskStatus(state=TaskState.PENDING)
    return TaskStatus(state=TaskState.FAULT, fault=f"{fault['code']} {fault['message']}".strip())


class SimulatorDeviceManager(NamedTasks):
    """The ``DeviceManager`` over simulated devices."""

    def device(self, device_id: str) -> DeviceState:
        rows = look_up([device_id])
        if not rows:
            raise DeviceNotFoundError(device_id)
        return state_of(rows[0], clock.now())

    def devices(self, device_ids: Sequence[str]) -> dict[str, DeviceState]:
        now = clock.now()
        return {row.device_id: state_of(row, now) for row in look_up(device_ids)}

    def _task(self, device_id: str, task: dict[str, Any]) -> TaskResult:
        queued, outcome = post_task(device_id=device_id, task=task)
        return TaskResult(task_id=queued["_id"], outcome=outcome)

    def task_status(self, device_id: str, task_id: str) -> TaskStatus:
        rows = look_up([device_id])
        if not rows:
            raise DeviceNotFoundError(device_id)
        return task_status_of(rows[0], task_id)
