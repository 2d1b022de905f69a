"""Compare plans: the current one and every plan of the same kind on sale at the
account's service address, with a year's cost, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from dropline.catalog.models import EquipmentModel, Plan
from dropline.catalog.queries import introductory_offer, plans_available
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment, EquipmentStatus
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order, OrderStatus
from dropline.orders.rules import (
    CARRIERS,
    check_account,
    effective_date,
    is_upgrade,
    plan_refusal,
    timing_for,
)
from dropline.subscriptions.models import Subscription, SubscriptionPrice
from dropline.subscriptions.pricing import price_in_force

MONTHS = 12


@dataclass(frozen=True)
class PlanOption:
    code: str
    kind: str
    name: str
    is_current: bool
    is_upgrade: bool
    monthly_now_cents: int  # the first month's price (promotional while it lasts)
    promotion_price_cents: int | None
    promotion_months: int | None  # months left at the promotional price
    regular_cents: int  # the regular price after the promotion
    equipment_rental_cents: int  # the service's device rentals with this plan
    equipment_name: str  # a device the plan needs, "" when none
    twelve_month_cents: int  # 12 months of plan and rental, promotion months first
    download_mbps: int | None
    upload_mbps: int | None
    data_allowance_gb: int | None
    channel_count: int
    effective_on: dt.date | None
    refusal_code: str
    refusal_reason: str
    regular_from: dt.date | None = None  # with a promotion: the day the regular price starts

    @property
    def can_order(self) -> bool:
        return not self.is_current and not self.refusal_code


@dataclass(frozen=True)
class Comparison:
    subscription: Subscription
    service_label: str
    current: PlanOption
    options: list[PlanOption]  # the current plan first, then the others by price
    refusal_code: str  # the whole service cannot change now (pending change, suspended)
    refusal_reason: str
    currency: str


def _model_for(models: list[EquipmentModel], kind: str, speed: int) -> EquipmentModel | None:
    suitable = [m for m in models if m.max_download_mbps is None or m.max_download_mbps >= speed]
    same = [m for m in suitable if m.kind == kind]
    chosen = same or suitable
    return chosen[0] if chosen else None


def compare_plans(
    *,
    account: CustomerAccount,
    subscription_id: int,
    language: str,
    today: dt.date | None = None,
) -> Comparison:
    """Every plan the service could move to, beside its own. ``ChangeRefused`` (field
    ``service``) when the service is not the account's. The same queries (at most
    eight) whatever the number of plans."""
    day = today or clock.today()
    subscription = (
        Subscription.objects.filter(account=account, pk=subscription_id)
        .select_related("plan__broadband_label", "promotion", "account__service_address")
        .first()
    )
    with translation.override(language):
        if subscription is None:
            raise ChangeRefused(
                "service", _("There is no such service on this account."), "no_service"
            )
        return _compare(account, subscription, language, day)


def _compare(
    account: CustomerAccount, subscription: Subscription, language: str, day: dt.date
) -> Comparison:
    current_plan = subscription.plan
    area = subscription.account.service_address.service_area_id
    plans = [p for p in plans_available(service_area=area) if p.kind == current_plan.kind]
    available = {p.pk for p in plans}
    prices = list(
        SubscriptionPrice.objects.filter(subscription=subscription)
        .order_by("effective_on")
        .values_list("effective_on", "monthly_price_cents")
    )
    devices = list(
        Equipment.objects.filter(
            subscription=subscription,
            status__in=(EquipmentStatus.ACTIVE, EquipmentStatus.SHIPPED),
            returned_on__isnull=True,
        ).select_related("model")
    )
    carriers = [d for d in devices if d.model.kind in CARRIERS]
    models = list(
        EquipmentModel.objects.filter(kind__in=CARRIERS, currency=subscription.currency).order_by(
            "monthly_rental_cents", "id"
        )
    )
    rentals = sum(d.monthly_rental_cents for d in devices if d.is_rental)
    refusal: ChangeRefused | None = None
    try:
        check_account(account)
    except ChangeRefused as refused:
        refusal = refused
    if refusal is None and (
        Order.objects.filter(subscription=subscription, status=OrderStatus.PENDING).exists()
    ):
        refusal = ChangeRefused(
            "service",
            _("A change to this service is already waiting to take effect."),
            "pending_change",
        )
    if refusal is None and (subscription.ended_on is not None or subscription.started_on >= day):
        refusal = ChangeRefused(
            "service", _("This service cannot be changed now."), "service_ending"
        )

    # The current plan: months left at the promotional price, then the contracted price.
    promo = subscription.promotion if subscription.promotion_active(day) else None
    months_left = 0
    total = 0
    for month in range(MONTHS):
        on = add_months(day, month)
        regular = price_in_force(prices, on, subscription.monthly_price_cents)
        if (
            promo is not None
            and subscription.promotion_ends_on
            and on <= subscription.promotion_ends_on
        ):
            months_left += 1
            total += min(promo.monthly_price_cents, regular)
        else:
            total += regular
    regular_now = price_in_force(prices, day, subscription.monthly_price_cents)
    current = PlanOption(
        code=current_plan.code,
        kind=current_plan.kind,
        name=current_plan.localized_name(language),
        is_current=True,
        is_upgrade=False,
        monthly_now_cents=subscription.price_on(day).amount_minor
        if promo is not None
        else regular_now,
        promotion_price_cents=promo.monthly_price_cents if promo is not None else None,
        promotion_months=months_left if promo is not None else None,
        regular_cents=price_in_force(
            prices,
            (subscription.promotion_ends_on or day) + dt.timedelta(days=1),
            subscription.monthly_price_cents,
        ),
        equipment_rental_cents=rentals,
        equipment_name="",
        twelve_month_cents=total + MONTHS * rentals,
        download_mbps=current_plan.download_mbps,
        upload_mbps=current_plan.upload_mbps,
        data_allowance_gb=current_plan.data_allowance_gb,
        channel_count=next(
            (getattr(p, "channel_count", 0) for p in plans if p.pk == current_plan.pk), 0
        ),
        effective_on=None,
        refusal_code="",
        refusal_reason="",
        regular_from=(
            subscription.promotion_ends_on + dt.timedelta(days=1)
            if promo is not None and subscription.promotion_ends_on is not None
            else None
        ),
    )
    options = [current]
    for plan in plans:
        if plan.pk == current_plan.pk:
            continue
        options.append(
            _option(
                account=account,
                subscription=subscription,
                plan=plan,
                available=available,
                carriers=carriers,
                models=models,
                rentals=rentals,
                language=language,
                day=day,
            )
        )
    return Comparison(
        subscription=subscription,
        service_label=current_plan.localized_name(language),
        current=current,
        options=options,
        refusal_code=refusal.code if refusal else "",
        refusal_reason=refusal.reason if refusal else "",
        currency=subscription.currency,
    )


def _option(
    *,
    account: CustomerAccount,
    subscription: Subscription,
    plan: Plan,
    available: set[int],
    carriers: list[Equipment],
    models: list[EquipmentModel],
    rentals: int,
    language: str,
    day: dt.date,
) -> PlanOption:
    upgrade = is_upgrade(subscription.plan, plan)
    effective_on = effective_date(account=account, timing=timing_for(is_upgrade=upgrade), today=day)
    refusal = plan_refusal(
        account=account,
        subscription=subscription,
        plan=plan,
        available=available,
        upgrade=upgrade,
        effective_on=effective_on,
    )
    equipment_name = ""
    rental = rentals
    speed = plan.download_mbps
    if (
        speed
        and carriers
        and not any(
            d.model.max_download_mbps is None or d.model.max_download_mbps >= speed
            for d in carriers
        )
    ):
        model = _model_for(models, carriers[0].model.kind, speed)
        if model is None:
            refusal = refusal or ChangeRefused(
                "plan",
                _("No device we supply handles that speed yet: please call us."),
                "no_equipment",
            )
        else:
            equipment_name = f"{model.manufacturer} {model.model_name}"
            old = carriers[0]
            rental = rentals - (old.monthly_rental_cents if old.is_rental else 0)
            rental += model.monthly_rental_cents
    offer = introductory_offer(plan)
    promo_months = min(offer.duration_months, MONTHS) if offer else 0
    promo_cents = offer.monthly_price_cents if offer else plan.monthly_price_cents
    total = promo_months * promo_cents + (MONTHS - promo_months) * plan.monthly_price_cents
    return PlanOption(
        code=plan.code,
        kind=plan.kind,
        name=plan.localized_name(language),
        is_current=False,
        is_upgrade=upgrade,
        monthly_now_cents=promo_cents,
        promotion_price_cents=offer.monthly_price_cents if offer else None,
        promotion_months=offer.duration_months if offer else None,
        regular_cents=plan.monthly_price_cents,
        equipment_rental_cents=rental,
        equipment_name=equipment_name,
        twelve_month_cents=total + MONTHS * rental,
        download_mbps=plan.download_mbps,
        upload_mbps=plan.upload_mbps,
        data_allowance_gb=plan.data_allowance_gb,
        channel_count=getattr(plan, "channel_count", 0),
        effective_on=effective_on,
        refusal_code=refusal.code if refusal else "",
        refusal_reason=refusal.reason if refusal else "",
        regular_from=(
            add_months(effective_on, offer.duration_months)
            if offer and offer.duration_months
            else None
        ),
    )
