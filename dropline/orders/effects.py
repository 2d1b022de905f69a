"""Writing a change to the service's dated history, and undoing it.

``apply`` is what placing an order writes (and what a preview writes inside a
savepoint it always rolls back): the plan change, add-on or device through the
subscriptions and network writes, dated, so that rating bills it from its day.
``undo`` removes every trace of a pending change, so the history is what it was.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from dropline.core import read_models
from dropline.core.dates import add_months
from dropline.network.installation import install_equipment
from dropline.network.models import Equipment, EquipmentStatus
from dropline.orders.changes import ADD_ADD_ON, CHANGE_PLAN
from dropline.orders.rules import Resolved, offer_for
from dropline.subscriptions import pricing
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionPrice

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Applied:
    """What a change wrote, for the order to remember (and undo)."""

    service_id: int  # the service carrying the change from its date (a new one for a plan)
    new_subscription: Subscription | None
    subscription_add_on: SubscriptionAddOn | None
    new_equipment: Equipment | None
    replaced_equipment: Equipment | None


def _serial() -> str:
    return f"DRO{secrets.token_hex(6).upper()}"


def apply(*, resolved: Resolved, actor: Any, request: HttpRequest | None) -> Applied:
    """Write ``resolved`` to the history. Call inside a transaction."""
    read_models.accounts_changed([resolved.account.pk])
    on = resolved.effective_on
    subscription = resolved.subscription
    new: Subscription | None = None
    row: SubscriptionAddOn | None = None
    if resolved.change.action == CHANGE_PLAN:
        assert resolved.plan is not None
        new = pricing.change_plan(
            subscription=subscription, plan=resolved.plan, on=on, actor=actor, request=request
        )
        offer = offer_for(resolved.plan)
        if offer is not None:
            _cents, months = offer
            promotion = (
                resolved.plan.promotions.filter(is_active=True)
                .order_by("monthly_price_cents", "id")
                .first()
            )
            new.promotion = promotion
            new.promotion_ends_on = add_months(on, months) - _ONE_DAY
            new.save(update_fields=["promotion", "promotion_ends_on"])
        # The service's devices go with it to its new plan.
        Equipment.objects.filter(subscription=subscription, returned_on__isnull=True).update(
            subscription=new
        )
    elif resolved.change.action == ADD_ADD_ON:
        assert resolved.add_on is not None
        row = pricing.add_add_on(
            subscription=subscription,
            add_on=resolved.add_on,
            started_on=on,
            actor=actor,
            request=request,
        )
    else:
        assert resolved.subscription_add_on is not None
        row = pricing.end_add_on(
            subscription_add_on=resolved.subscription_add_on,
            ended_on=on - _ONE_DAY,
            actor=actor,
            request=request,
        )
    carrier = new or subscription
    device: Equipment | None = None
    replaced: Equipment | None = None
    if resolved.equipment is not None:
        replaced = Equipment.objects.get(pk=resolved.equipment.replaces.pk)
        replaced.returned_on = on - _ONE_DAY
        replaced.save(update_fields=["returned_on"])
        device = install_equipment(
            account=resolved.account,
            model=resolved.equipment.model,
            serial_number=_serial(),
            installed_on=on,
            subscription=carrier,
        )
        device.status = EquipmentStatus.SHIPPED
        device.save(update_fields=["status"])
    return Applied(
        service_id=carrier.pk,
        new_subscription=new,
        subscription_add_on=row,
        new_equipment=device,
        replaced_equipment=replaced,
    )


def undo(
    *,
    subscription: Subscription,
    new_subscription: Subscription | None,
    subscription_add_on: SubscriptionAddOn | None,
    kind_is_add: bool,
    new_equipment: Equipment | None,
    replaced_equipment: Equipment | None,
) -> None:
    """Take a pending change back out of the history. Call inside a transaction, with the
    service locked."""
    read_models.accounts_changed([subscription.account_id])
    if new_equipment is not None:
        new_equipment.delete()
    if replaced_equipment is not None:
        replaced_equipment.returned_on = None
        replaced_equipment.save(update_fields=["returned_on"])
    if new_subscription is not None:
        old_rows = {
            row.add_on_id: row
            for row in SubscriptionAddOn.objects.filter(subscription=subscription)
        }
        for copy in SubscriptionAddOn.objects.filter(subscription=new_subscription):
            original = old_rows.get(copy.add_on_id)
            if original is not None:
                original.ended_on = copy.ended_on
                original.save(update_fields=["ended_on"])
            else:  # it was to start with the new plan: it moves back
                SubscriptionAddOn.objects.create(
                    subscription=subscription,
                    add_on_id=copy.add_on_id,
                    monthly_price_cents=copy.monthly_price_cents,
                    currency=copy.currency,
                    started_on=copy.started_on,
                    ended_on=copy.ended_on,
                )
        Equipment.objects.filter(subscription=new_subscription).update(subscription=subscription)
        SubscriptionAddOn.objects.filter(subscription=new_subscription).delete()
        SubscriptionPrice.objects.filter(subscription=new_subscription).delete()
        new_subscription.delete()
        subscription.ended_on = None
        subscription.save(update_fields=["ended_on"])
    elif subscription_add_on is not None:
        if kind_is_add:
            subscription_add_on.delete()
        else:
            subscription_add_on.ended_on = None
            subscription_add_on.save(update_fields=["ended_on"])
