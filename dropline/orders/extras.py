"""Remove what you don't use: the paid add-ons and rented devices of an account, with
what each costs a month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from dropline.core import clock
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment, EquipmentStatus
from dropline.orders.models import Order, OrderStatus
from dropline.subscriptions.models import SubscriptionAddOn
from dropline.subscriptions.queries import CURRENT_STATUSES

ADD_ON = "add_on"
EQUIPMENT = "equipment"


@dataclass(frozen=True)
class PaidExtra:
    kind: str  # "add_on" | "equipment"
    name: str
    service_name: str
    subscription_id: int | None
    add_on_code: str  # for an add-on: what ``remove_add_on`` takes
    equipment_id: int | None
    monthly_cents: int
    currency: str
    ends_on: str  # an add-on already ending: its last day (ISO), else ""
    pending_order_id: int | None  # a change waiting on the service

    @property
    def removable(self) -> bool:
        return self.kind == ADD_ON and not self.ends_on and self.pending_order_id is None

    @property
    def last_day(self) -> dt.date | None:
        """An add-on already ending: its last day."""
        return dt.date.fromisoformat(self.ends_on) if self.ends_on else None

    @property
    def monthly(self) -> Money:
        return Money(self.monthly_cents, self.currency)


def monthly_total(extras: list[PaidExtra], *, currency: str) -> Money:
    """What the extras cost a month in all (nothing: zero in ``currency``)."""
    return Money.total([extra.monthly for extra in extras], currency)


def paid_extras(*, account: CustomerAccount, language: str) -> list[PaidExtra]:
    """Every add-on and rented device the account pays for by the month, dearest first,
    in three queries."""
    today = clock.today()
    pending = dict(
        Order.objects.filter(account=account, status=OrderStatus.PENDING).values_list(
            "subscription_id", "pk"
        )
    )
    extras: list[PaidExtra] = []
    rows = (
        SubscriptionAddOn.objects.filter(
            subscription__account=account,
            subscription__status__in=CURRENT_STATUSES,
            monthly_price_cents__gt=0,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("add_on", "subscription__plan")
        .order_by("id")
    )
    for row in rows:
        if row.subscription.ended_on is not None and row.subscription.ended_on < today:
            continue
        extras.append(
            PaidExtra(
                kind=ADD_ON,
                name=row.add_on.localized_name(language),
                service_name=row.subscription.plan.localized_name(language),
                subscription_id=row.subscription_id,
                add_on_code=row.add_on.code,
                equipment_id=None,
                monthly_cents=row.monthly_price_cents,
                currency=row.currency,
                ends_on=row.ended_on.isoformat() if row.ended_on else "",
                pending_order_id=pending.get(row.subscription_id),
            )
        )
    devices = (
        Equipment.objects.filter(
            account=account,
            is_rental=True,
            monthly_rental_cents__gt=0,
            status__in=(EquipmentStatus.ACTIVE, EquipmentStatus.SHIPPED),
            returned_on__isnull=True,
        )
        .select_related("model", "subscription__plan")
        .order_by("id")
    )
    for device in devices:
        extras.append(
            PaidExtra(
                kind=EQUIPMENT,
                name=str(device.model),
                service_name=(
                    device.subscription.plan.localized_name(language) if device.subscription else ""
                ),
                subscription_id=device.subscription_id,
                add_on_code="",
                equipment_id=device.pk,
                monthly_cents=device.monthly_rental_cents,
                currency=device.currency,
                ends_on="",
                pending_order_id=None,
            )
        )
    extras.sort(key=lambda e: -e.monthly_cents)
    return extras
