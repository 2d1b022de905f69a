"""Placing provider equipment at a customer's premises."""

from __future__ import annotations

import datetime as dt

from dropline.catalog.models import EquipmentModel
from dropline.core import read_models
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment
from dropline.subscriptions.models import Subscription


def install_equipment(
    *,
    account: CustomerAccount,
    model: EquipmentModel,
    serial_number: str,
    installed_on: dt.date,
    subscription: Subscription | None = None,
    mac_address: str = "",
    is_rental: bool = True,
) -> Equipment:
    if subscription is not None and subscription.account_id != account.pk:
        raise ValueError("the service belongs to another account")
    read_models.accounts_changed([account.pk])
    return Equipment.objects.create(
        account=account,
        model=model,
        subscription=subscription,
        serial_number=serial_number,
        mac_address=mac_address,
        is_rental=is_rental,
        monthly_rental_cents=model.monthly_rental_cents if is_rental else 0,
        currency=model.currency,
        installed_on=installed_on,
    )


def link_device(*, equipment: Equipment, device_id: str) -> Equipment:
    """Name the device as device management knows it (GenieACS: ``<OUI>-<ProductClass>-
    <SerialNumber>``), so its live status and actions reach it; "" unlinks it."""
    if len(device_id) > Equipment._meta.get_field("device_id").max_length:  # type: ignore[operator]
        raise ValueError("a device id is at most 120 characters")
    Equipment.objects.filter(pk=equipment.pk).update(device_id=device_id)
    equipment.device_id = device_id
    return equipment
