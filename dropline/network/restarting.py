"""Restarting a device through device management, for a customer or for staff.

A restart is a ``DeviceAction`` row: ``running`` while the device reboots, ``queued``
while an offline device has yet to pick the request up, ``done`` once the device is
online again with a boot after the request, ``failed`` when device management reports
a fault or the device never rebooted. A customer may restart one device
``DROPLINE_RESTARTS_PER_HOUR`` times in any rolling hour, counted from the rows under
a lock on the device's row, so two requests at the same moment cannot both take the
last one. Staff restarts are not limited (they count towards the customer's hour).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.accounts.models import User
from dropline.catalog.models import EquipmentKind
from dropline.core import audit, clock
from dropline.network.devices import get_device_manager
from dropline.network.devices.base import (
    DeviceManagerError,
    DeviceNotFoundError,
    DeviceState,
    TaskOutcome,
    TaskState,
    TaskStatus,
)
from dropline.network.errors import DeviceActionError, RestartLimitError
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus, Equipment

RESTARTABLE_KINDS = frozenset(
    {EquipmentKind.GATEWAY, EquipmentKind.MODEM, EquipmentKind.ROUTER, EquipmentKind.RECEIVER}
)
# What customers are told a restart takes (a reboot is about a minute, then the
# connection comes back up).
RESTART_MINUTES = 2
# A running restart whose device is online but never rebooted is given up this long after
# it was expected back.
GIVE_UP_AFTER = dt.timedelta(minutes=15)
WINDOW = dt.timedelta(hours=1)
OPEN = (DeviceActionStatus.QUEUED, DeviceActionStatus.RUNNING)

AUDIT_ACTION = "equipment.restarted"


def restart_effect(kind: str) -> str:
    """What a restart of a device of this kind does, in plain words."""
    minutes = RESTART_MINUTES
    if kind in (EquipmentKind.GATEWAY, EquipmentKind.MODEM):
        return _("Your internet will be off for about %(minutes)d minutes.") % {"minutes": minutes}
    if kind == EquipmentKind.ROUTER:
        return _(
            "Your Wi-Fi and the devices plugged into the router will be off for about "
            "%(minutes)d minutes."
        ) % {"minutes": minutes}
    if kind == EquipmentKind.RECEIVER:
        return _("TV on this receiver will be off for about %(minutes)d minutes.") % {
            "minutes": minutes
        }
    return ""


def booted_at(state: DeviceState, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the device last started: its uptime (counted up to now) back from now; None
    while it is offline or does not say."""
    if not state.online or state.uptime_seconds is None:
        return None
    return (now or clock.now()) - dt.timedelta(seconds=state.uptime_seconds)


def _is_back(action: DeviceAction, state: DeviceState) -> bool:
    """Online again, with a contact and a boot at or after the request."""
    boot = booted_at(state)
    return (
        boot is not None
        and boot >= action.requested_at
        and state.last_contact is not None
        and state.last_contact >= action.requested_at
    )


def _finish(action: DeviceAction, *, status: str, fault: str = "") -> DeviceAction:
    """Finish an open action once, whoever notices first."""
    finished_at = clock.now()
    DeviceAction.objects.filter(pk=action.pk, status__in=OPEN).update(
        status=status, finished_at=finished_at, fault=fault[:200]
    )
    action.refresh_from_db(fields=["status", "finished_at", "fault"])
    return action


def settle(
    *, action: DeviceAction, state: DeviceState, task: TaskStatus | None = None
) -> DeviceAction:
    """Finish an open restart when what device management says shows its end: the
    device online with a boot at or after the request (done), a fault (failed), or a
    device that stayed up long past the expected time (failed)."""
    if action.status not in OPEN:
        return action
    if _is_back(action, state):
        return _finish(action, status=DeviceActionStatus.DONE)
    if task is not None and task.state == TaskState.FAULT:
        return _finish(action, status=DeviceActionStatus.FAILED, fault=task.fault)
    if (
        action.status == DeviceActionStatus.RUNNING
        and state.online
        and action.expected_at is not None
        and clock.now() > action.expected_at + GIVE_UP_AFTER
    ):
        return _finish(action, status=DeviceActionStatus.FAILED)
    return action


def restart_progress(*, action: DeviceAction) -> DeviceAction:
    """Ask device management how an open restart is going, and finish it if it ended.
    While device management cannot be reached the action stays as it was."""
    if action.status not in OPEN:
        return action
    device_id = action.equipment.device_id
    manager = get_device_manager()
    try:
        state = manager.device(device_id)
        task = None
        if action.task_id and not _is_back(action, state):
            task = manager.task_status(device_id, action.task_id)
    except DeviceManagerError:
        return action
    return settle(action=action, state=state, task=task)


def _retry_after(equipment: Equipment, now: dt.datetime) -> int | None:
    """Seconds until the device may be restarted again, or None if it may be now.
    Called with the device's row locked."""
    limit = settings.DROPLINE_RESTARTS_PER_HOUR
    recent = list(
        DeviceAction.objects.filter(
            equipment=equipment, kind=DeviceActionKind.RESTART, requested_at__gt=now - WINDOW
        )
        .exclude(status=DeviceActionStatus.FAILED)
        .order_by("-requested_at")
        .values_list("requested_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return max(1, math.ceil((recent[-1] + WINDOW - now).total_seconds()))


def _limit_error(retry_after: int) -> RestartLimitError:
    minutes = max(1, math.ceil(retry_after / 60))
    limit = settings.DROPLINE_RESTARTS_PER_HOUR
    message = (
        ngettext(
            "This device can be restarted %(limit)d time an hour.",
            "This device can be restarted %(limit)d times an hour.",
            limit,
        )
        % {"limit": limit}
        + " "
        + ngettext(
            "You can restart it again in %(minutes)d minute.",
            "You can restart it again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes}
    )
    return RestartLimitError(message, retry_after=retry_after)


def _unavailable() -> DeviceActionError:
    return DeviceActionError(
        _("We cannot reach your equipment right now. Try again in a few minutes."),
        code="unavailable",
    )


def _check_restartable(equipment: Equipment) -> None:
    if not equipment.device_id or equipment.model.kind not in RESTARTABLE_KINDS:
        raise DeviceActionError(
            _("This device cannot be restarted from here."), code="not_restartable"
        )


def restart(
    *,
    equipment: Equipment,
    user: User | None,
    by_staff: bool = False,
    request: HttpRequest | None = None,
) -> DeviceAction:
    """Ask device management to restart the device and record it. A restart already
    running is returned as it is (nothing asked twice). Raises ``RestartLimitError``
    past the customer's hourly limit and ``DeviceActionError`` when the device cannot be
    restarted or device management cannot be reached (then nothing is recorded)."""
    _check_restartable(equipment)
    manager = get_device_manager()
    now = clock.now()
    with transaction.atomic():
        Equipment.objects.select_for_update().only("pk").get(pk=equipment.pk)
        running = (
            DeviceAction.objects.filter(
                equipment=equipment, kind=DeviceActionKind.RESTART, status__in=OPEN
            )
            .order_by("-requested_at")
            .first()
        )
        state: DeviceState | None = None
        if running is not None:
            running.equipment = equipment
            try:
                state = manager.device(equipment.device_id)
            except DeviceManagerError:
                return running
            running = settle(action=running, state=state)
            if running.status in OPEN:
                return running
        if not by_staff:
            retry_after = _retry_after(equipment, now)
            if retry_after is not None:
                raise _limit_error(retry_after)
        try:
            if state is None:
                state = manager.device(equipment.device_id)
            result = manager.reboot(equipment.device_id)
            task = None
            if result.outcome == TaskOutcome.QUEUED and state.online:
                task = manager.task_status(equipment.device_id, result.task_id)
        except DeviceNotFoundError:
            raise DeviceActionError(
                _("This device is not set up for restarting from here."), code="not_managed"
            ) from None
        except DeviceManagerError:
            raise _unavailable() from None
        status, fault, finished_at = DeviceActionStatus.QUEUED, "", None
        if result.outcome == TaskOutcome.DONE:
            status = DeviceActionStatus.RUNNING
        elif task is not None and task.state == TaskState.FAULT:
            status, fault, finished_at = DeviceActionStatus.FAILED, task.fault[:200], now
        action = DeviceAction.objects.create(
            equipment=equipment,
            kind=DeviceActionKind.RESTART,
            status=status,
            requested_by=user,
            by_staff=by_staff,
            requested_at=now,
            expected_at=(
                now + dt.timedelta(minutes=RESTART_MINUTES)
                if status == DeviceActionStatus.RUNNING
                else None
            ),
            finished_at=finished_at,
            task_id=result.task_id[:64],
            fault=fault,
        )
        if by_staff:
            audit.record(
                action=AUDIT_ACTION,
                request=request,
                actor=user,
                target=equipment,
                account_number=equipment.account.number,
                data={"device_action": action.pk, "status": status},
            )
    return action


def describe(action: DeviceAction) -> str:
    """Where a restart stands, in plain words."""
    if action.status == DeviceActionStatus.RUNNING:
        return _("Restarting. It should be back in about %(minutes)d minutes.") % {
            "minutes": RESTART_MINUTES
        }
    if action.status == DeviceActionStatus.QUEUED:
        return _(
            "The device is offline. It will restart as soon as it connects to our network again."
        )
    if action.status == DeviceActionStatus.DONE:
        return _("The device restarted and is back online.")
    if action.fault:
        return _("The device did not accept the restart. Try again later, or contact us.")
    return _("The device did not restart. Try again, or contact us.")
