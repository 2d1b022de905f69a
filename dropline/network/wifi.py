"""A device's Wi-Fi networks: the rules for a network name and password, and changing
them through device management.

The rules are WPA2's and WPA3's:

- a network name (SSID) is 1 to 32 bytes (UTF-8), with no space at either end and no
  control characters (tabs, line breaks);
- a password (WPA2-PSK passphrase) is 8 to 63 printable ASCII characters, or exactly
  64 hexadecimal digits (the pre-shared key itself), which only WPA2 alone accepts;
- WPA3 (SAE, and WPA2/WPA3 transition mode, which must suit both) takes 8 to 63
  printable ASCII characters;
- a password is never the network name.

A change applies at once when the device is online (device management runs it in the
session its connection request opens), else on the device's next contact: the
``DeviceAction`` row stays ``queued`` until then.
"""

from __future__ import annotations

import string
import unicodedata

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.network.devices import get_device_manager, tr069
from dropline.network.devices.base import (
    DeviceManagerError,
    DeviceNotFoundError,
    DeviceState,
    TaskOutcome,
    TaskState,
    WifiNetwork,
)
from dropline.network.errors import DeviceActionError
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus, Equipment

SSID_MAX_BYTES = 32
PASSPHRASE_MIN = 8
PASSPHRASE_MAX = 63
PSK_HEX_LENGTH = 64
WPA2_ONLY = "WPA2"
OPEN_NETWORK = "open"
PRINTABLE_ASCII = frozenset(chr(c) for c in range(0x20, 0x7F))
HEX_DIGITS = frozenset(string.hexdigits)

AUDIT_ACTION = "equipment.wifi_changed"
OPEN = (DeviceActionStatus.QUEUED, DeviceActionStatus.RUNNING)


def ssid_problem(ssid: str) -> str:
    """Why ``ssid`` cannot be a network name, or "" when it can."""
    if not ssid:
        return _("Enter a network name.")
    if len(ssid.encode()) > SSID_MAX_BYTES:
        return _(
            "A network name can be at most 32 bytes: 32 letters and digits, fewer with "
            "accented letters or emoji."
        )
    if ssid != ssid.strip(" "):
        return _("A network name cannot start or end with a space.")
    if any(unicodedata.category(ch) == "Cc" for ch in ssid):
        return _("A network name cannot contain tabs, line breaks or other control characters.")
    return ""


def passphrase_problem(passphrase: str, *, security: str, ssid: str) -> str:
    """Why ``passphrase`` cannot be the password of a network with this security and
    name, or "" when it can."""
    hex_key = len(passphrase) == PSK_HEX_LENGTH and set(passphrase) <= HEX_DIGITS
    if hex_key and security == WPA2_ONLY:
        return ""
    if not PASSPHRASE_MIN <= len(passphrase) <= PASSPHRASE_MAX:
        if security == WPA2_ONLY:
            return _("A Wi-Fi password must be 8 to 63 characters long, or 64 hexadecimal digits.")
        return _("A Wi-Fi password must be 8 to 63 characters long.")
    if not set(passphrase) <= PRINTABLE_ASCII:
        return _(
            "A Wi-Fi password can only use letters without accents, digits, spaces and the "
            "symbols on a US keyboard."
        )
    if passphrase == ssid:
        return _("The Wi-Fi password cannot be the same as the network name.")
    return ""


def _invalid(field: str, message: str) -> DeviceActionError:
    return DeviceActionError(message, code="invalid", field=field)


def network(state: DeviceState, key: str) -> WifiNetwork | None:
    return next((n for n in state.wifi if n.key == key), None)


def _unavailable() -> DeviceActionError:
    return DeviceActionError(
        _("We cannot reach your equipment right now. Try again in a few minutes."),
        code="unavailable",
    )


def change_wifi(
    *,
    equipment: Equipment,
    user: User | None,
    key: str,
    ssid: str,
    passphrase: str | None = None,
    by_staff: bool = False,
    request: HttpRequest | None = None,
) -> DeviceAction:
    """Give the device's Wi-Fi network ``key`` a new name and, unless ``passphrase`` is
    None, a new password. Raises ``DeviceActionError`` with ``field`` (``ssid``,
    ``passphrase``, ``key``) for input against the rules, and without when device
    management cannot be reached; nothing is recorded then."""
    problem = ssid_problem(ssid)
    if problem:
        raise _invalid("ssid", problem)
    if not equipment.device_id:
        raise DeviceActionError(
            _("This device's Wi-Fi cannot be changed from here."), code="not_managed"
        )
    manager = get_device_manager()
    now = clock.now()
    with transaction.atomic():
        try:
            state = manager.device(equipment.device_id)
        except DeviceNotFoundError:
            raise DeviceActionError(
                _("This device's Wi-Fi cannot be changed from here."), code="not_managed"
            ) from None
        except DeviceManagerError:
            raise _unavailable() from None
        current = network(state, key)
        if current is None:
            raise _invalid("key", _("This device has no such Wi-Fi network."))
        if current.security == OPEN_NETWORK:
            passphrase = None
        elif passphrase is not None:
            problem = passphrase_problem(passphrase, security=current.security, ssid=ssid)
            if problem:
                raise _invalid("passphrase", problem)
        elif current.passphrase == ssid:
            raise _invalid("ssid", _("The network name cannot be the same as the Wi-Fi password."))
        if ssid == current.ssid and passphrase in (None, current.passphrase):
            raise _invalid("ssid", _("This is already the network's name and password."))
        values = tr069.wifi_parameter_values(
            key,
            ssid=ssid if ssid != current.ssid else None,
            passphrase=passphrase if passphrase != current.passphrase else None,
            data_model=state.data_model or tr069.TR181,
        )
        try:
            result = manager.set_parameter_values(equipment.device_id, values)
            task = None
            if result.outcome == TaskOutcome.QUEUED and state.online:
                task = manager.task_status(equipment.device_id, result.task_id)
        except DeviceManagerError:
            raise _unavailable() from None
        status, fault, finished_at = DeviceActionStatus.QUEUED, "", None
        if result.outcome == TaskOutcome.DONE:
            status, finished_at = DeviceActionStatus.DONE, now
        elif task is not None and task.state == TaskState.FAULT:
            status, fault, finished_at = DeviceActionStatus.FAILED, task.fault[:200], now
        action = DeviceAction.objects.create(
            equipment=equipment,
            kind=DeviceActionKind.WIFI_CHANGE,
            status=status,
            requested_by=user,
            by_staff=by_staff,
            requested_at=now,
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
                data={
                    "device_action": action.pk,
                    "network": key,
                    "name_changed": ssid != current.ssid,
                    "password_changed": passphrase not in (None, current.passphrase),
                    "status": status,
                },
            )
    return action


def pending_changes(*, equipment: Equipment, state: DeviceState | None) -> list[DeviceAction]:
    """The device's Wi-Fi changes still waiting for it; those its last contact has
    applied are marked done."""
    waiting = list(
        DeviceAction.objects.filter(
            equipment=equipment, kind=DeviceActionKind.WIFI_CHANGE, status__in=OPEN
        ).order_by("requested_at", "id")
    )
    if state is None or state.last_contact is None:
        return waiting
    applied = [a.pk for a in waiting if state.online and state.last_contact > a.requested_at]
    if applied:
        DeviceAction.objects.filter(pk__in=applied, status__in=OPEN).update(
            status=DeviceActionStatus.DONE, finished_at=clock.now()
        )
    return [a for a in waiting if a.pk not in applied]


def describe(action: DeviceAction) -> str:
    """Where a Wi-Fi change stands, in plain words."""
    if action.status == DeviceActionStatus.DONE:
        return _("Your Wi-Fi settings are changed. Reconnect your devices with the new ones.")
    if action.status == DeviceActionStatus.FAILED:
        return _("The device did not accept the change. Try again later, or contact us.")
    return _(
        "The device is offline. The change applies as soon as it connects to our network again."
    )
