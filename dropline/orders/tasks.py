"""Celery tasks of orders: thin wrappers around the writes."""

from __future__ import annotations

from celery import shared_task

from dropline.orders.applying import complete_due_orders


@shared_task(name="orders.complete_due_orders")
def complete_due_orders_task() -> int:
    return complete_due_orders()
