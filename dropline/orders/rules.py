"""Which changes may be made, and what they mean: the rules ``preview`` and ``placing``
share. ``resolve`` reads the service, the plan or add-on asked for and the account's
state, refuses with a ``ChangeRefused`` naming the field, and says when the change
takes effect and whether new equipment is needed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.catalog.models import AddOn, EquipmentKind, EquipmentModel, Plan, ServiceKind
from dropline.catalog.queries import plans_available
from dropline.core.dates import add_months
from dropline.core.formatting import display_date
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import AccountStatus, CustomerAccount
from dropline.network.models import Equipment, EquipmentStatus
from dropline.orders.changes import ADD_ADD_ON, CHANGE_PLAN, REMOVE_ADD_ON, Change
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order, OrderStatus
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionStatus

NOW = "now"
CYCLE_END = "cycle_end"
TIMINGS = (NOW, CYCLE_END)
_ONE_DAY = dt.timedelta(days=1)
# Devices that carry the internet service: their speed limit decides a faster tier.
CARRIERS = (EquipmentKind.MODEM, EquipmentKind.GATEWAY)


@dataclass(frozen=True)
class EquipmentNeed:
    """The faster device a plan needs, and the one it replaces."""

    model: EquipmentModel
    replaces: Equipment


@dataclass(frozen=True)
class Resolved:
    account: CustomerAccount
    subscription: Subscription
    change: Change
    plan: Plan | None  # the plan moved to (a plan change)
    add_on: AddOn | None
    subscription_add_on: SubscriptionAddOn | None  # the add-on row removed
    is_upgrade: bool
    timing: str
    effective_on: dt.date
    equipment: EquipmentNeed | None


def timing_for(*, is_upgrade: bool) -> str:
    """When a change takes effect: ``DROPLINE_UPGRADE_TIMING`` for upgrades and add-ons
    added, ``DROPLINE_DOWNGRADE_TIMING`` for downgrades and add-ons removed."""
    name = "DROPLINE_UPGRADE_TIMING" if is_upgrade else "DROPLINE_DOWNGRADE_TIMING"
    value = getattr(settings, name, NOW if is_upgrade else CYCLE_END)
    return value if value in TIMINGS else (NOW if is_upgrade else CYCLE_END)


def effective_date(*, account: CustomerAccount, timing: str, today: dt.date) -> dt.date:
    if timing == NOW:
        return today
    return cycle_containing(account.bill_cycle_day, today).next().start


def _refuse(field: str, reason: str, code: str) -> ChangeRefused:
    return ChangeRefused(field, reason, code)


def check_account(account: CustomerAccount) -> None:
    if account.status == AccountStatus.SUSPENDED:
        raise _refuse(
            "account",
            _("The account is suspended: services cannot be changed until it is active again."),
            "account_suspended",
        )
    if account.status == AccountStatus.CLOSED:
        raise _refuse("account", _("The account is closed."), "account_closed")


def _service(account: CustomerAccount, subscription_id: int, *, lock: bool) -> Subscription:
    services = Subscription.objects.filter(account=account, pk=subscription_id)
    if lock:
        services = services.select_for_update(of=("self",))
    subscription = services.select_related("plan", "promotion").first()
    if subscription is None:
        raise _refuse("service", _("There is no such service on this account."), "no_service")
    return subscription


def _check_service(subscription: Subscription, today: dt.date) -> None:
    if Order.objects.filter(subscription=subscription, status=OrderStatus.PENDING).exists():
        raise _refuse(
            "service",
            _(
                "A change to this service is already waiting to take effect. Cancel it "
                "first to make another."
            ),
            "pending_change",
        )
    if subscription.status == SubscriptionStatus.CANCELLED or (
        subscription.ended_on is not None and subscription.ended_on < today
    ):
        raise _refuse("service", _("This service has ended."), "service_ended")
    if subscription.ended_on is not None:
        raise _refuse(
            "service", _("This service is ending: it cannot be changed."), "service_ending"
        )
    if subscription.status == SubscriptionStatus.SUSPENDED:
        raise _refuse("service", _("This service is suspended."), "service_suspended")
    if subscription.started_on > today:
        raise _refuse(
            "service",
            _("This service has not started yet: change it once it has."),
            "service_not_started",
        )


def is_upgrade(current: Plan, target: Plan) -> bool:
    """A plan that costs more is an upgrade; at the same price, a faster one is."""
    if target.monthly_price_cents != current.monthly_price_cents:
        return target.monthly_price_cents > current.monthly_price_cents
    return (target.download_mbps or 0) > (current.download_mbps or 0)


def available_plan_ids(account: CustomerAccount) -> set[int]:
    area = account.service_address.service_area_id
    return set(plans_available(service_area=area).values_list("pk", flat=True))


def plan_refusal(
    *,
    account: CustomerAccount,
    subscription: Subscription,
    plan: Plan,
    available: set[int],
    upgrade: bool,
    effective_on: dt.date,
) -> ChangeRefused | None:
    """Why ``subscription`` cannot move to ``plan`` (None when it can)."""
    if plan.kind != subscription.plan.kind:
        return _refuse("plan", _("Choose a plan for the same kind of service."), "other_kind")
    if plan.pk == subscription.plan_id:
        return _refuse("plan", _("The service is already on that plan."), "same_plan")
    if not plan.is_active or plan.currency != subscription.currency:
        return _refuse("plan", _("That plan is no longer on sale."), "not_on_sale")
    if plan.pk not in available:
        return _refuse(
            "plan", _("That plan is not available at your service address."), "not_available"
        )
    if not upgrade:
        ends = contract_ends_on(subscription)
        if ends is not None and effective_on < ends:
            return _refuse(
                "plan",
                _(
                    "Your contract for this plan runs until %(date)s: a lower plan can be "
                    "chosen from then on."
                )
                % {"date": display_date(ends - _ONE_DAY)},
                "contract",
            )
    return None


def contract_ends_on(subscription: Subscription) -> dt.date | None:
    """The day after the service's contract ends (its broadband label's length from the
    service's start); None when the plan has no contract."""
    if subscription.plan.kind != ServiceKind.INTERNET:
        return None
    label = getattr(subscription.plan, "broadband_label", None)
    months = label.contract_months if label is not None else None
    if not months:
        return None
    return add_months(subscription.started_on, months)


def equipment_needed(
    *, subscription: Subscription, plan: Plan, devices: list[Equipment] | None = None
) -> EquipmentNeed | ChangeRefused | None:
    """The cheapest device that handles ``plan``'s download speed when the service's
    modem or gateway does not (None when it does, or the customer uses their own)."""
    speed = plan.download_mbps
    if plan.kind != ServiceKind.INTERNET or not speed:
        return None
    if devices is None:
        devices = list(
            Equipment.objects.filter(
                subscription=subscription,
                model__kind__in=CARRIERS,
                status__in=(EquipmentStatus.ACTIVE, EquipmentStatus.SHIPPED),
                returned_on__isnull=True,
            )
            .select_related("model")
            .order_by("id")
        )
    if not devices:
        return None
    if any(
        d.model.max_download_mbps is None or d.model.max_download_mbps >= speed for d in devices
    ):
        return None
    replaced = devices[0]
    candidates = (
        EquipmentModel.objects.filter(kind__in=CARRIERS, currency=subscription.currency)
        .exclude(max_download_mbps__lt=speed)
        .order_by("monthly_rental_cents", "id")
    )
    same_kind = [m for m in candidates if m.kind == replaced.model.kind]
    model = same_kind[0] if same_kind else next(iter(candidates), None)
    if model is None:
        return _refuse(
            "plan",
            _("No device we supply handles that speed yet: please call us."),
            "no_equipment",
        )
    return EquipmentNeed(model=model, replaces=replaced)


def resolve(
    *,
    account: CustomerAccount,
    change: Change,
    today: dt.date,
    language: str,
    lock: bool = False,
) -> Resolved:
    """The change ``change`` asks for on ``account``, checked; ``ChangeRefused`` when it
    cannot be made. ``lock`` takes the service's row lock (placing)."""
    with translation.override(language):
        return _resolve(account=account, change=change, today=today, lock=lock)


def _resolve(*, account: CustomerAccount, change: Change, today: dt.date, lock: bool) -> Resolved:
    if change.action not in (CHANGE_PLAN, ADD_ADD_ON, REMOVE_ADD_ON):
        raise _refuse("action", _("Choose a change to make."), "unknown_action")
    check_account(account)
    subscription = _service(account, change.subscription_id, lock=lock)
    _check_service(subscription, today)
    plan: Plan | None = None
    add_on: AddOn | None = None
    row: SubscriptionAddOn | None = None
    need: EquipmentNeed | None = None
    if change.action == CHANGE_PLAN:
        plan = (
            Plan.objects.filter(code=change.plan_code)
            .select_related("broadband_label")
            .prefetch_related("promotions")
            .first()
            if change.plan_code
            else None
        )
        if plan is None:
            raise _refuse("plan", _("Choose a plan from the list."), "no_plan")
        upgrade = (
            is_upgrade(subscription.plan, plan) if plan.kind == subscription.plan.kind else True
        )
        timing = timing_for(is_upgrade=upgrade)
        effective_on = effective_date(account=account, timing=timing, today=today)
        refusal = plan_refusal(
            account=account,
            subscription=subscription,
            plan=plan,
            available=available_plan_ids(account),
            upgrade=upgrade,
            effective_on=effective_on,
        )
        if refusal is not None:
            raise refusal
        if effective_on <= subscription.started_on:
            raise _refuse(
                "service",
                _("This service started today: its plan can be changed from tomorrow."),
                "too_soon",
            )
        found = equipment_needed(subscription=subscription, plan=plan)
        if isinstance(found, ChangeRefused):
            raise found
        need = found
    else:
        add_on = (
            AddOn.objects.filter(code=change.add_on_code).first() if change.add_on_code else None
        )
        if add_on is None:
            raise _refuse("add_on", _("Choose an add-on from the list."), "no_add_on")
        if add_on.kind != subscription.plan.kind:
            raise _refuse("add_on", _("That add-on is not for this kind of service."), "other_kind")
        upgrade = change.action == ADD_ADD_ON
        timing = timing_for(is_upgrade=upgrade)
        effective_on = effective_date(account=account, timing=timing, today=today)
        existing = SubscriptionAddOn.objects.filter(
            subscription=subscription, add_on=add_on
        ).first()
        if upgrade:
            if existing is not None and (existing.ended_on is None or existing.ended_on >= today):
                raise _refuse("add_on", _("The service already has that add-on."), "add_on_present")
            if existing is not None:
                raise _refuse(
                    "add_on",
                    _("That add-on was on this service before: call us to add it again."),
                    "add_on_ended",
                )
            if not add_on.is_active or add_on.currency != subscription.currency:
                raise _refuse("add_on", _("That add-on is no longer on sale."), "not_on_sale")
        else:
            if existing is None or existing.ended_on is not None:
                raise _refuse(
                    "add_on", _("The service does not have that add-on."), "add_on_absent"
                )
            if effective_on - _ONE_DAY < existing.started_on:
                raise _refuse(
                    "add_on",
                    _("That add-on started today: it can be removed from tomorrow."),
                    "too_soon",
                )
            row = existing
    return Resolved(
        account=account,
        subscription=subscription,
        change=change,
        plan=plan,
        add_on=add_on,
        subscription_add_on=row,
        is_upgrade=upgrade,
        timing=timing,
        effective_on=effective_on,
        equipment=need,
    )


def offer_for(plan: Plan) -> tuple[int, int] | None:
    """The promotion a plan change brings: (monthly cents, months), from the plan's
    cheapest active promotion."""
    promotions = [p for p in plan.promotions.all() if p.is_active]
    promotions.sort(key=lambda p: (p.monthly_price_cents, p.pk))
    if not promotions:
        return None
    best = promotions[0]
    return best.monthly_price_cents, best.duration_months
