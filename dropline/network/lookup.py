"""Finding a device for staff: by serial number, MAC address, device-management id or
the account number it is on."""

from __future__ import annotations

import re

from dropline.customers.numbering import is_valid_account_number, normalize_account_number
from dropline.network.models import DeviceAction, Equipment

MAX_RESULTS = 50
_MAC_SEPARATORS = re.compile(r"[\s:.\-]")
_HEX12 = re.compile(r"^[0-9a-fA-F]{12}$")


def _mac(text: str) -> str:
    """``A4-3E-51-0C-77-10``, ``a43e.510c.7710`` and the like as ``a4:3e:51:0c:77:10``;
    "" when the text is no MAC address."""
    bare = _MAC_SEPARATORS.sub("", text)
    if not _HEX12.match(bare):
        return ""
    bare = bare.lower()
    return ":".join(bare[i : i + 2] for i in range(0, 12, 2))


def find_devices(*, query: str) -> list[Equipment]:
    """Devices whose serial number, MAC address or device id is ``query`` (any case),
    or every device on the account it numbers; at most ``MAX_RESULTS``."""
    text = query.strip()
    if not text:
        return []
    devices = Equipment.objects.select_related("model", "account").order_by("account", "id")
    number = normalize_account_number(text)
    if len(number) >= 10 and is_valid_account_number(number):
        found = list(devices.filter(account__number=number)[:MAX_RESULTS])
        if found:
            return found
    mac = _mac(text)
    if mac:
        found = list(devices.filter(mac_address__iexact=mac)[:MAX_RESULTS])
        if found:
            return found
    by_serial = list(devices.filter(serial_number__iexact=text)[:MAX_RESULTS])
    if by_serial:
        return by_serial
    return list(devices.filter(device_id__iexact=text)[:MAX_RESULTS])


def device(*, equipment_id: int) -> Equipment | None:
    return Equipment.objects.select_related("model", "account").filter(pk=equipment_id).first()


def action_history(*, equipment: Equipment, limit: int = 25) -> list[DeviceAction]:
    """The device's restarts and Wi-Fi changes, newest first, with who asked."""
    return list(
        DeviceAction.objects.filter(equipment=equipment)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:limit]
    )
