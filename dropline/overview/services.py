"""My services: every current service of an account with its plan, what it includes,
its equipment, the price now, the price after the promotion and any pending price
change, and the bundle discount the account gets today, in a fixed number of queries
(6) whatever the number of services.

The contracted regular price comes from the subscription's price history
(``SubscriptionPrice``): the row in force on a day is the latest one from on or before
it, and a row from a future date is a price change still to come.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dropline.billing.history import kept_bundles
from dropline.billing.rating import bundle_on
from dropline.catalog.models import ServiceKind
from dropline.core import clock, read_models
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.network.queries import equipment_for
from dropline.overview.summary import (
    KIND_ORDER,
    EquipmentLine,
    ServiceLine,
    channel_counts,
    equipment_line,
    service_line,
)
from dropline.subscriptions.models import Subscription, SubscriptionPrice
from dropline.subscriptions.queries import current_services


@dataclass(frozen=True)
class PriceChange:
    """A contracted price from a date on, still to come."""

    effective_on: dt.date
    monthly_price: Money
    reason: str


@dataclass(frozen=True)
class ServiceDetail:
    service: ServiceLine
    plan_code: str
    # While a promotion lasts: the regular price from the day after it ends.
    price_after_promotion: Money | None
    price_after_promotion_from: dt.date | None
    pending_change: PriceChange | None
    equipment: list[EquipmentLine] = field(default_factory=list)

    @property
    def total(self) -> Money:
        return Money.total(
            [self.service.total, *(e.monthly_rental for e in self.equipment)],
            self.service.monthly_price.currency,
        )


@dataclass(frozen=True)
class BundleSaving:
    """The bundle the account's services qualify for today, and what it takes off a
    month (never more than those services cost)."""

    code: str
    name: str
    monthly_discount: Money


@dataclass(frozen=True)
class MyServices:
    account: CustomerAccount
    services: list[ServiceDetail]
    # Devices on the account that no one service uses.
    other_equipment: list[EquipmentLine]
    as_of: dt.date
    bundle: BundleSaving | None = None

    @property
    def mobile_lines(self) -> list[ServiceDetail]:
        """The mobile lines among the services (the mobile lines page and the API's)."""
        return [detail for detail in self.services if detail.service.kind == ServiceKind.MOBILE]

    @property
    def monthly_total(self) -> Money:
        saving = [-self.bundle.monthly_discount] if self.bundle else []
        return Money.total(
            [s.total for s in self.services]
            + [e.monthly_rental for e in self.other_equipment]
            + saving,
            self.account.currency,
        )


def _price_on(rows: list[SubscriptionPrice], day: dt.date, fallback: int) -> int:
    """The contracted price in force on ``day``: the latest row from on or before it."""
    cents = fallback
    for row in rows:
        if row.effective_on <= day:
            cents = row.monthly_price_cents
    return cents


def _detail(
    sub: Subscription,
    *,
    today: dt.date,
    language: str,
    counts: dict[int, int],
    prices: list[SubscriptionPrice],
    equipment: list[EquipmentLine],
) -> ServiceDetail:
    # The contracted price in force today, from the history (the stored one is today's
    # as of the last change, which a later day may have overtaken).
    sub.monthly_price_cents = _price_on(prices, today, sub.monthly_price_cents)
    line = service_line(sub, today=today, language=language, channel_counts=counts)
    after: Money | None = None
    after_from: dt.date | None = None
    if line.promotion_ends_on is not None:
        after_from = line.promotion_ends_on + dt.timedelta(days=1)
        after = Money(_price_on(prices, after_from, sub.monthly_price_cents), sub.currency)
    upcoming = [row for row in prices if row.effective_on > today]
    pending = (
        PriceChange(
            effective_on=upcoming[0].effective_on,
            monthly_price=Money(upcoming[0].monthly_price_cents, sub.currency),
            reason=upcoming[0].reason,
        )
        if upcoming
        else None
    )
    return ServiceDetail(
        service=line,
        plan_code=sub.plan.code,
        price_after_promotion=after,
        price_after_promotion_from=after_from,
        pending_change=pending,
        equipment=equipment,
    )


def my_services(*, account: CustomerAccount, language: str = "en") -> MyServices:
    """The account's current services, internet first, then TV, then mobile lines: the
    account's read model ``services:<language>:<day>`` (``core.read_models``)."""
    today = clock.today()
    return read_models.for_account(
        account.pk,
        f"services:{language}:{today.isoformat()}",
        lambda: _my_services(account, today=today, language=language),
    )


def _my_services(account: CustomerAccount, *, today: dt.date, language: str) -> MyServices:
    subscriptions = sorted(
        current_services(account=account), key=lambda s: KIND_ORDER.index(s.plan.kind)
    )
    ids = [s.pk for s in subscriptions]
    counts = channel_counts(
        sorted({s.plan_id for s in subscriptions if s.plan.kind == ServiceKind.TV})
    )
    prices: dict[int, list[SubscriptionPrice]] = defaultdict(list)
    if ids:
        for row in SubscriptionPrice.objects.filter(subscription_id__in=ids).order_by(
            "subscription_id", "effective_on"
        ):
            prices[row.subscription_id].append(row)
    by_service: dict[int, list[EquipmentLine]] = defaultdict(list)
    other: list[EquipmentLine] = []
    for device in equipment_for(account=account):
        if device.subscription_id in ids:
            by_service[device.subscription_id].append(equipment_line(device))
        else:
            other.append(equipment_line(device))
    details = [
        _detail(
            sub,
            today=today,
            language=language,
            counts=counts,
            prices=prices[sub.pk],
            equipment=by_service[sub.pk],
        )
        for sub in subscriptions
    ]
    return MyServices(
        account=account,
        services=details,
        other_equipment=other,
        as_of=today,
        bundle=_bundle_saving(
            subscriptions, details, today=today, language=language, currency=account.currency
        ),
    )


def _bundle_saving(
    subscriptions: list[Subscription],
    details: list[ServiceDetail],
    *,
    today: dt.date,
    language: str,
    currency: str,
) -> BundleSaving | None:
    """The bundle rating gives for the services billed today (one query for the bundles),
    at most what those services cost a month."""
    billed = [
        detail.service
        for sub, detail in zip(subscriptions, details, strict=True)
        if sub.started_on <= today and (sub.ended_on is None or today <= sub.ended_on)
    ]
    if len({service.kind for service in billed}) < 2:
        return None
    bundle = bundle_on(kept_bundles(), {service.kind for service in billed}, today)
    if bundle is None:
        return None
    costs = sum(
        service.monthly_price.amount_minor for service in billed if service.kind in bundle.kinds
    )
    discount = min(bundle.monthly_discount_cents, costs)
    if discount <= 0:
        return None
    return BundleSaving(
        code=bundle.code,
        name=bundle.label_es if language == "es" else bundle.label,
        monthly_discount=Money(discount, currency),
    )
