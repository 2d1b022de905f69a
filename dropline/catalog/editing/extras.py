"""Add-ons (premium channel packs, a static IP, Wi-Fi boost) and the equipment models
the provider supplies. Both are created at their first monthly price; after that their
prices change from a date under "Prices", never here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.editing.plans import MAX_PRICE_CENTS
from dropline.catalog.editing.saving import record, save_fields
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import AddOn, EquipmentKind, EquipmentModel, ServiceKind


def _check_price(field: str, cents: int) -> None:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise CatalogError(field, _("Enter the price in whole cents."))
    if cents < 0 or cents > MAX_PRICE_CENTS:
        raise CatalogError(field, _("Enter a price from $0.00 up to $100,000.00 a month."))


def create_add_on(
    *,
    code: str,
    kind: str,
    name: str,
    name_es: str = "",
    monthly_price_cents: int,
    is_active: bool = True,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> AddOn:
    """A new add-on for one kind of service at its first monthly price."""
    code = code.strip().lower()
    if kind not in ServiceKind.values:
        raise CatalogError("kind", _("Choose internet, TV or mobile."))
    if AddOn.objects.filter(code=code).exists():
        raise CatalogError("code", _("An add-on already has this code. Codes are never reused."))
    _check_price("monthly_price_cents", monthly_price_cents)
    add_on = AddOn(currency=settings.DROPLINE_CURRENCY)
    with transaction.atomic():
        changes = save_fields(
            add_on,
            {
                "code": code,
                "kind": kind,
                "name": name.strip(),
                "name_es": name_es.strip(),
                "monthly_price_cents": monthly_price_cents,
                "is_active": is_active,
            },
        )
        record(
            action="catalog.add_on_created",
            target=add_on,
            data={"code": add_on.code, "changes": changes},
            actor=actor,
            request=request,
        )
    return add_on


def change_add_on(
    *,
    add_on: AddOn,
    name: str,
    name_es: str,
    is_active: bool,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, dict[str, Any]]:
    """Rename an add-on or take it on or off sale (customers who have it keep it)."""
    with transaction.atomic():
        locked = AddOn.objects.select_for_update().get(pk=add_on.pk)
        changes = save_fields(
            locked, {"name": name.strip(), "name_es": name_es.strip(), "is_active": is_active}
        )
        if changes:
            record(
                action="catalog.add_on_changed",
                target=locked,
                data={"code": locked.code, "changes": changes},
                actor=actor,
                request=request,
            )
    return changes


def create_equipment_model(
    *,
    code: str,
    kind: str,
    manufacturer: str,
    model_name: str,
    monthly_rental_cents: int,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> EquipmentModel:
    """A new make and model of device at its first monthly rental (0: no rental)."""
    code = code.strip().lower()
    if kind not in EquipmentKind.values:
        raise CatalogError("kind", _("Choose the kind of device."))
    if EquipmentModel.objects.filter(code=code).exists():
        raise CatalogError(
            "code", _("An equipment model already has this code. Codes are never reused.")
        )
    _check_price("monthly_rental_cents", monthly_rental_cents)
    equipment = EquipmentModel(currency=settings.DROPLINE_CURRENCY)
    with transaction.atomic():
        changes = save_fields(
            equipment,
            {
                "code": code,
                "kind": kind,
                "manufacturer": manufacturer.strip(),
                "model_name": model_name.strip(),
                "monthly_rental_cents": monthly_rental_cents,
            },
        )
        record(
            action="catalog.equipment_model_created",
            target=equipment,
            data={"code": equipment.code, "changes": changes},
            actor=actor,
            request=request,
        )
    return equipment


def change_equipment_model(
    *,
    equipment: EquipmentModel,
    kind: str,
    manufacturer: str,
    model_name: str,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, dict[str, Any]]:
    """Correct an equipment model's kind, manufacturer or model name."""
    if kind not in EquipmentKind.values:
        raise CatalogError("kind", _("Choose the kind of device."))
    with transaction.atomic():
        locked = EquipmentModel.objects.select_for_update().get(pk=equipment.pk)
        changes = save_fields(
            locked,
            {"kind": kind, "manufacturer": manufacturer.strip(), "model_name": model_name.strip()},
        )
        if changes:
            record(
                action="catalog.equipment_model_changed",
                target=locked,
                data={"code": locked.code, "changes": changes},
                actor=actor,
                request=request,
            )
    return changes
