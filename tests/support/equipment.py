"""A customer with equipment that the device simulator manages, and helpers to move
the simulated clock and read what a page says."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from dropline.catalog.models import EquipmentModel
from dropline.core import clock
from dropline.network.devices import simulator
from dropline.network.installation import install_equipment, link_device
from dropline.network.models import (
    DeviceAction,
    DeviceActionKind,
    DeviceActionStatus,
    Equipment,
    SimulatedDevice,
)
from tests.support.factories import Customer, make_customer

OUI = "00D09E"
NOON = dt.datetime(2026, 12, 3, 18, 0, tzinfo=dt.UTC)
MODELS = {
    "gateway": ("Acme", "G8"),
    "modem": ("Acme", "M3"),
    "router": ("Acme", "R6"),
    "receiver": ("Acme", "TV4"),
    "phone": ("Acme", "P1"),
}


@dataclass
class Equipped:
    customer: Customer
    devices: dict[str, Equipment] = field(default_factory=dict)

    @property
    def gateway(self) -> Equipment:
        return self.devices["gateway"]

    @property
    def receiver(self) -> Equipment:
        return self.devices["receiver"]


def equipment_model(kind: str) -> EquipmentModel:
    manufacturer, name = MODELS[kind]
    model, _ = EquipmentModel.objects.get_or_create(
        code=f"test-{kind}",
        defaults={"kind": kind, "manufacturer": manufacturer, "model_name": name},
    )
    return model


def managed_device(
    customer: Customer, kind: str, *, connected: bool = True, managed: bool = True
) -> Equipment:
    """A device of ``kind`` on the customer's account, registered with the simulator
    (``managed``) under its device id."""
    serial = (
        f"{customer.user.username[:6].upper()}{kind[:2].upper()}{Equipment.objects.count():05d}"
    )
    device = install_equipment(
        account=customer.account,
        model=equipment_model(kind),
        serial_number=serial,
        mac_address=f"a4:3e:51:{Equipment.objects.count() % 256:02x}:{len(kind):02x}:{7:02x}",
        installed_on=customer.account.opened_on,
    )
    if not managed:
        return device
    product_class = MODELS[kind][1]
    device_id = simulator.device_id_for(oui=OUI, product_class=product_class, serial_number=serial)
    simulator.register_device(
        device_id=device_id,
        oui=OUI,
        product_class=product_class,
        serial_number=serial,
        kind=kind,
        connected=connected,
    )
    return link_device(equipment=device, device_id=device_id)


def equipped_customer(
    username: str = "maria", *, kinds: tuple[str, ...] = ("gateway", "receiver")
) -> Equipped:
    customer = make_customer(username=username, devices=0)
    return Equipped(customer, {kind: managed_device(customer, kind) for kind in kinds})


@contextmanager
def at(moment: dt.datetime) -> Iterator[dt.datetime]:
    with clock.frozen(moment):
        yield moment


def later(seconds: int, start: dt.datetime = NOON) -> dt.datetime:
    return start + dt.timedelta(seconds=seconds)


def words(response: Any) -> str:
    """The page's main text without tags, spaces squeezed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


# --- the cross-account sweep ------------------------------------------------------------


def sweep_objects(
    customer: Customer,
) -> tuple[dict[str, list[Any]], dict[frozenset[str], list[dict[str, Any]]]]:
    """Ned's managed gateway and a restart of it: the ids the equipment pages and
    endpoints take, single and compound."""
    gateway = managed_device(customer, "gateway")
    action = DeviceAction.objects.create(
        equipment=gateway,
        kind=DeviceActionKind.RESTART,
        status=DeviceActionStatus.DONE,
        requested_by=customer.user,
        requested_at=clock.now(),
        finished_at=clock.now(),
    )
    ids = {"equipment_id": [gateway.pk]}
    compound = {
        frozenset({"equipment_id", "action_id"}): [
            {"equipment_id": gateway.pk, "action_id": action.pk}
        ],
        frozenset({"equipment_id", "restart_id"}): [
            {"equipment_id": gateway.pk, "restart_id": action.pk}
        ],
    }
    return ids, compound


def sweep_rows(account: Any) -> dict[str, list[dict[str, Any]]]:
    """Everything of an account's equipment a request could change."""
    device_ids = list(Equipment.objects.filter(account=account).values_list("device_id", flat=True))
    devices = Equipment.objects.filter(account=account).order_by("pk")
    actions = DeviceAction.objects.filter(equipment__account=account).order_by("pk")
    simulated = SimulatedDevice.objects.filter(device_id__in=device_ids).order_by("pk")
    return {
        "equipment": [dict(row) for row in devices.values()],
        "device_actions": [dict(row) for row in actions.values()],
        "simulated_devices": [
            dict(row)
            for row in simulated.values(
                "device_id", "parameters", "pending_tasks", "booted_at", "connected"
            )
        ],
    }
