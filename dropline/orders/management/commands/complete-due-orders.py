# ruff: noqa: N999 - the command is named as the product documents it
"""``dropline complete-due-orders``: mark the orders whose day came as completed and tell
the customers (Celery beat runs the same every morning). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dropline.orders.applying import complete_due_orders


class Command(BaseCommand):
    help = "Complete the plan and add-on changes whose day came, and tell the customers."

    def handle(self, *args: Any, **options: Any) -> None:
        done = complete_due_orders()
        self.stdout.write(f"{done} order(s) took effect.")
