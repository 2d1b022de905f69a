"""The demo's equipment under device management: each device in service (but phones)
gets the id device management knows it by and a simulated device behind it, so the
portal shows it live; and the household's gateway has a little history, a restart Maria
asked for last week that finished a minute later, made through the real restart.

Idempotent: a device with an id keeps it, a simulated device is registered once, the
restart is made only when the gateway has none.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dropline.catalog.models import EquipmentKind
from dropline.core import clock
from dropline.network import restarting
from dropline.network.devices import simulator
from dropline.network.installation import link_device
from dropline.network.models import DeviceAction, DeviceActionKind, Equipment, EquipmentStatus
from dropline.seeding.demo import household

# The manufacturers' IEEE OUIs (what a TR-069 device reports as ManufacturerOUI).
OUIS = {"Arris": "0000CA", "eero": "F8BBBF", "Humax": "000378"}
DEFAULT_OUI = "00D09E"
MANAGED_KINDS = (
    EquipmentKind.GATEWAY,
    EquipmentKind.MODEM,
    EquipmentKind.ROUTER,
    EquipmentKind.RECEIVER,
)
RESTART_DAYS_AGO = 6
RESTART_AT = dt.time(19, 40)


def _register(device: Equipment) -> int:
    model = device.model
    oui = OUIS.get(model.manufacturer, DEFAULT_OUI)
    product_class = model.model_name.replace(" ", "")
    device_id = device.device_id or simulator.device_id_for(
        oui=oui, product_class=product_class, serial_number=device.serial_number
    )
    created = 0
    if not device.device_id:
        link_device(equipment=device, device_id=device_id)
        created += 1
    if not simulator.look_up([device_id]):
        simulator.register_device(
            device_id=device_id,
            oui=oui,
            product_class=product_class,
            serial_number=device.serial_number,
            kind=model.kind,
        )
        created += 1
    return created


def _last_week_restart() -> int:
    account = household.loaded_account()
    if account is None:
        return 0
    gateway = (
        Equipment.objects.filter(account=account, model__kind=EquipmentKind.GATEWAY)
        .select_related("model", "account")
        .first()
    )
    if gateway is None or not gateway.device_id:
        return 0
    if DeviceAction.objects.filter(equipment=gateway, kind=DeviceActionKind.RESTART).exists():
        return 0
    holder = account.members.get(role="holder").user
    day = clock.today() - dt.timedelta(days=RESTART_DAYS_AGO)
    asked = timezone.make_aware(dt.datetime.combine(day, RESTART_AT))
    with clock.frozen(asked):
        action = restarting.restart(equipment=gateway, user=holder)
    with clock.frozen(asked + dt.timedelta(seconds=simulator.REBOOT_SECONDS + 15)):
        restarting.restart_progress(action=action)
    return 1


def load() -> int:
    # Registered a week back, so the restart last week finds the device up already.
    with clock.frozen(clock.now() - dt.timedelta(days=RESTART_DAYS_AGO + 1)):
        created = sum(
            _register(device)
            for device in Equipment.objects.filter(
                status=EquipmentStatus.ACTIVE, model__kind__in=MANAGED_KINDS
            )
            .select_related("model")
            .order_by("pk")
        )
    return created + _last_week_restart()
