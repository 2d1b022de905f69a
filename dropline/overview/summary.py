"""Build the account overview in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from dropline.billing.queries import BillingSummary, billing_summary
from dropline.catalog.models import Plan, ServiceKind
from dropline.core import clock, read_models
from dropline.core.money import Money
from dropline.core.phones import display_phone
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment
from dropline.network.queries import equipment_for
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.queries import current_services
from dropline.usage.meter import ServiceMeter
from dropline.usage.queries import cycle_meters

KIND_ORDER: list[str] = [
    ServiceKind.INTERNET,
    ServiceKind.TV,
    ServiceKind.PHONE,
    ServiceKind.MOBILE,
]


@dataclass(frozen=True)
class AddOnLine:
    name: str
    monthly_price: Money


@dataclass(frozen=True)
class ServiceLine:
    subscription_id: int
    kind: str
    kind_label: str
    plan_name: str
    status: str
    status_label: str
    monthly_price: Money
    regular_price: Money
    promotion_name: str | None
    promotion_ends_on: dt.date | None
    download_mbps: int | None
    upload_mbps: int | None
    data_allowance_gb: int | None
    price_per_gb: str | None
    channel_count: int | None
    phone_number: str
    label: str
    add_ons: list[AddOnLine] = field(default_factory=list)

    @property
    def total(self) -> Money:
        return Money.total(
            [self.monthly_price, *(a.monthly_price for a in self.add_ons)],
            self.monthly_price.currency,
        )


@dataclass(frozen=True)
class EquipmentLine:
    equipment_id: int
    kind: str
    kind_label: str
    name: str
    serial_number: str
    status: str
    status_label: str
    is_rental: bool
    monthly_rental: Money


@dataclass(frozen=True)
class AccountOverview:
    account: CustomerAccount
    services: list[ServiceLine]
    equipment: list[EquipmentLine]
    monthly_total: Money
    as_of: dt.date
    billing: BillingSummary
    usage: list[ServiceMeter] = field(default_factory=list)  # this cycle's data meters

    @property
    def balance(self) -> Money:
        return Money(self.billing.balance_cents, self.billing.currency)

    @property
    def amount_due(self) -> Money:
        return Money(self.billing.amount_due_cents, self.billing.currency)


def service_line(
    sub: Subscription, *, today: dt.date, language: str, channel_counts: dict[int, int]
) -> ServiceLine:
    plan = sub.plan
    promotion = sub.promotion if sub.promotion_active(today) else None
    return ServiceLine(
        subscription_id=sub.pk,
        kind=plan.kind,
        kind_label=str(ServiceKind(plan.kind).label),
        plan_name=plan.localized_name(language),
        status=sub.status,
        status_label=sub.get_status_display(),
        monthly_price=sub.price_on(today),
        regular_price=sub.regular_price(),
        promotion_name=promotion.localized_name(language) if promotion else None,
        promotion_ends_on=sub.promotion_ends_on if promotion else None,
        download_mbps=plan.download_mbps,
        upload_mbps=plan.upload_mbps,
        data_allowance_gb=plan.data_allowance_gb,
        price_per_gb=(
            Money.from_decimal(plan.price_per_gb, plan.currency).format()
            if plan.price_per_gb is not None
            else None
        ),
        channel_count=channel_counts.get(plan.pk) if plan.kind == ServiceKind.TV else None,
        phone_number=display_phone(sub.phone_number),
        label=sub.label,
        add_ons=[
            AddOnLine(name=item.add_on.localized_name(language), monthly_price=item.monthly_price)
            for item in sub.add_ons.all()
        ],
    )


def equipment_line(device: Equipment) -> EquipmentLine:
    return EquipmentLine(
        equipment_id=device.pk,
        kind=device.model.kind,
        kind_label=device.model.get_kind_display(),
        name=str(device.model),
        serial_number=device.serial_number,
        status=device.status,
        status_label=device.get_status_display(),
        is_rental=device.is_rental,
        monthly_rental=device.monthly_rental,
    )


def _all_channel_counts() -> dict[int, int]:
    rows = Plan.objects.filter(kind=ServiceKind.TV).annotate(n=Count("channels"))
    return dict(rows.values_list("pk", "n"))


def channel_counts(plan_ids: list[int]) -> dict[int, int]:
    """The channels in each of these TV plans (the catalogue's, kept as a read model)."""
    if not plan_ids:
        return {}
    counts = read_models.catalogue("channel-counts", _all_channel_counts)
    return {pk: counts[pk] for pk in plan_ids if pk in counts}


def account_overview(*, account: CustomerAccount, language: str = "en") -> AccountOverview:
    """Services, equipment, the monthly total, the balance, what is due and this cycle's
    data meters for ``account``. The services and equipment are the account's read model
    ``overview:<language>:<day>`` and the balance its ``billing-summary``
    (``core.read_models``); this cycle's data use is read each time (one query)."""
    today = clock.today()
    subscriptions, services, equipment = read_models.for_account(
        account.pk,
        f"overview:{language}:{today.isoformat()}",
        lambda: _services_and_equipment(account, today=today, language=language),
    )
    currency = account.currency
    total = Money.total(
        [s.total for s in services] + [e.monthly_rental for e in equipment], currency
    )
    return AccountOverview(
        account=account,
        services=services,
        equipment=equipment,
        monthly_total=total,
        as_of=today,
        billing=billing_summary(account=account),
        usage=cycle_meters(account=account, subscriptions=subscriptions, language=language),
    )


def _services_and_equipment(
    account: CustomerAccount, *, today: dt.date, language: str
) -> tuple[list[Subscription], list[ServiceLine], list[EquipmentLine]]:
    """The current services in order with their lines, and the equipment (four queries,
    and the catalogue's channel counts)."""
    subscriptions = sorted(
        current_services(account=account), key=lambda s: KIND_ORDER.index(s.plan.kind)
    )
    tv_plan_ids = sorted({s.plan_id for s in subscriptions if s.plan.kind == ServiceKind.TV})
    counts = channel_counts(tv_plan_ids)
    services = [
        service_line(sub, today=today, language=language, channel_counts=counts)
        for sub in subscriptions
    ]
    equipment = [equipment_line(device) for device in equipment_for(account=account)]
    return subscriptions, services, equipment
