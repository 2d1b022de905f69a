"""Orders whose day came: completed, and the customer told."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dropline.core import clock, read_models
from dropline.orders import notifying
from dropline.orders.models import Order, OrderStatus
from dropline.subscriptions.models import Subscription, SubscriptionStatus


def complete_due_orders(*, today: dt.date | None = None) -> int:
    """Mark pending orders whose effective date has come as completed (the ended
    service of a plan change as cancelled) and tell the customer the change took effect.
    Returns how many; idempotent, for a daily job."""
    day = today or clock.today()
    done = 0
    ids = list(
        Order.objects.filter(status=OrderStatus.PENDING, effective_on__lte=day)
        .order_by("effective_on", "id")
        .values_list("pk", flat=True)
    )
    for order_id in ids:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(of=("self",))
                .filter(pk=order_id, status=OrderStatus.PENDING)
                .select_related("subscription__plan", "to_plan", "add_on", "account")
                .first()
            )
            if order is None:
                continue
            if order.new_subscription_id is not None:
                Subscription.objects.filter(pk=order.subscription_id, ended_on__lt=day).update(
                    status=SubscriptionStatus.CANCELLED
                )
            read_models.accounts_changed([order.account_id])
            order.status = OrderStatus.COMPLETED
            order.completed_at = clock.now()
            order.save(update_fields=["status", "completed_at"])
            notifying.tell(order, notifying.ORDER_EFFECTIVE)
            done += 1
    return done
