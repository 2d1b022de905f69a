"""Linking a piece of equipment to device management: staff give it the id the
auto-configuration server knows it by (GenieACS: ``<OUI>-<ProductClass>-<SerialNumber>``),
or take the link away. The server must know the id, and no other device in service may
have it. Audited as ``equipment.linked`` with the staff request."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit
from dropline.network.devices import get_device_manager
from dropline.network.devices.base import DeviceManagerUnavailableError, DeviceNotFoundError
from dropline.network.errors import DeviceActionError
from dropline.network.installation import link_device
from dropline.network.models import Equipment, EquipmentStatus

MAX_LENGTH = 120


def link(
    *,
    equipment: Equipment,
    device_id: str,
    user: User,
    request: HttpRequest | None = None,
) -> Equipment:
    """Give ``equipment`` the device-management id ``device_id`` ("" unlinks it)."""
    device_id = device_id.strip()
    if len(device_id) > MAX_LENGTH:
        raise DeviceActionError(
            _("A device id is at most %(count)d characters.") % {"count": MAX_LENGTH},
            code="invalid",
            field="device_id",
        )
    if device_id and any(ch.isspace() or not ch.isprintable() for ch in device_id):
        raise DeviceActionError(
            _("A device id has no spaces or control characters."),
            code="invalid",
            field="device_id",
        )
    if device_id:
        _known_to_device_management(device_id)
    with transaction.atomic():
        locked = Equipment.objects.select_for_update().get(pk=equipment.pk)
        if device_id == locked.device_id:
            return locked
        taken = (
            Equipment.objects.filter(
                device_id=device_id,
                status__in=[EquipmentStatus.ACTIVE, EquipmentStatus.SHIPPED],
            )
            .exclude(pk=locked.pk)
            .exists()
        )
        if device_id and taken:
            raise DeviceActionError(
                _("Another device in service already has this device id."),
                code="invalid",
                field="device_id",
            )
        before = locked.device_id
        link_device(equipment=locked, device_id=device_id)
        audit.record(
            action="equipment.linked",
            request=request,
            actor=user,
            target=locked,
            account_number=locked.account.number,
            data={"device_id": device_id, "was": before},
        )
    equipment.device_id = device_id
    return equipment


def _known_to_device_management(device_id: str) -> None:
    try:
        get_device_manager().device(device_id)
    except DeviceNotFoundError:
        raise DeviceActionError(
            _("Device management does not know a device with this id."),
            code="not_managed",
            field="device_id",
        ) from None
    except DeviceManagerUnavailableError:
        raise DeviceActionError(
            _("Device management cannot be reached just now. Try again in a few minutes."),
            code="unavailable",
            field="device_id",
        ) from None
