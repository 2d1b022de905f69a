"""Reads of orders, scoped to the account asking."""

from __future__ import annotations

from django.db.models import QuerySet

from dropline.customers.models import CustomerAccount
from dropline.orders.models import Order, OrderStatus

ORDERS_SHOWN = 50


def _orders(account: CustomerAccount) -> QuerySet[Order]:
    return Order.objects.filter(account=account).select_related(
        "subscription__plan", "from_plan", "to_plan", "add_on", "placed_by", "cancelled_by"
    )


def orders_for(*, account: CustomerAccount, limit: int = ORDERS_SHOWN) -> list[Order]:
    """The account's orders, newest first, in one query."""
    return list(_orders(account).order_by("-placed_at", "-id")[:limit])


def order_for(*, account: CustomerAccount, order_id: int) -> Order | None:
    """One of the account's orders; None for an order of another account."""
    return _orders(account).filter(pk=order_id).first()


def pending_orders(*, account: CustomerAccount) -> dict[int, Order]:
    """The account's pending orders by the service they change, in one query."""
    return {
        order.subscription_id: order
        for order in _orders(account).filter(status=OrderStatus.PENDING)
    }
