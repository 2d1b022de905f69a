"""Staff reads of catalogue prices: every plan, add-on and equipment model with its
price now and the next one scheduled (four queries whatever the size of the catalogue),
and one item's scheduled and past prices."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from dropline.catalog.models import (
    AddOn,
    EquipmentModel,
    Plan,
    PricedItem,
    ScheduledPrice,
    ScheduledPriceStatus,
)
from dropline.catalog.price_schedule import Priced, current_cents, item_kind
from dropline.core.money import Money

ITEM_MODELS: dict[str, type[Plan] | type[AddOn] | type[EquipmentModel]] = {
    PricedItem.PLAN: Plan,
    PricedItem.ADD_ON: AddOn,
    PricedItem.EQUIPMENT: EquipmentModel,
}
_FIELD: dict[str, str] = {
    PricedItem.PLAN: "plan",
    PricedItem.ADD_ON: "add_on",
    PricedItem.EQUIPMENT: "equipment_model",
}


@dataclass(frozen=True)
class PricedRow:
    kind: str
    item: Priced
    price: Money
    next_change: ScheduledPrice | None


def find_item(kind: str, pk: int) -> Priced | None:
    model = ITEM_MODELS.get(kind)
    if model is None:
        return None
    found: Priced | None = model.objects.filter(pk=pk).first()
    return found


def price_book() -> dict[str, list[PricedRow]]:
    """Each kind of item (plans, add-ons, equipment) with its items in catalogue order."""
    upcoming: dict[tuple[str, int], ScheduledPrice] = {}
    for scheduled in ScheduledPrice.objects.filter(status=ScheduledPriceStatus.SCHEDULED).order_by(
        "-effective_on", "-id"
    ):
        field = _FIELD[scheduled.item]
        upcoming[(scheduled.item, getattr(scheduled, f"{field}_id"))] = scheduled
    book: dict[str, list[PricedRow]] = {}
    for kind, model in ITEM_MODELS.items():
        book[kind] = [
            PricedRow(
                kind=kind,
                item=item,
                price=Money(current_cents(item), item.currency),
                next_change=upcoming.get((kind, item.pk)),
            )
            for item in model.objects.all()
        ]
    return book


def price_history(item: Priced) -> QuerySet[ScheduledPrice]:
    """The item's prices still to come and past, the latest day first."""
    return (
        ScheduledPrice.objects.filter(**{_FIELD[item_kind(item)]: item})
        .select_related("scheduled_by", "cancelled_by")
        .order_by("-effective_on", "-id")
    )
