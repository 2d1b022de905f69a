"""The demo provider, loaded step by step; each domain adds its own step.

Every step is idempotent: it looks records up by their natural key (a code, a
serial number, a username) and creates only what is missing, so a second run
adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from dropline.seeding.demo import (
    appointments,
    availability,
    billing,
    catalogue,
    equipment,
    household,
    notifications,
    orders,
    outages,
    payments,
    prices,
    speed_tests,
    staff,
    tickets,
    unclaimed,
)

STEPS: list[tuple[str, Callable[[], int]]] = [
    ("catalogue", catalogue.load),
    ("plan availability and labels", availability.load),
    ("household", household.load),
    ("customer without a login", unclaimed.load),
    ("staff", staff.load),
    ("notification contacts", notifications.load),
    ("taxes and bills", billing.load),
    ("catalog prices", prices.load),
    ("a change made online", orders.load),
    ("late payment outcomes", payments.load),
    ("equipment under device management", equipment.load),
    ("speed tests", speed_tests.load),
    ("outages and maintenance", outages.load),
    ("technician visits", appointments.load),
    ("support requests", tickets.load),
]

DEMO_CUSTOMER = ("demo", "dropline-demo")
DEMO_STAFF = ("admin", "dropline-admin")


def load_demo(*, report: Callable[[str, int], None] | None = None) -> int:
    """Load every step in one transaction; returns how many records were created."""
    created = 0
    # Tasks run in process while the demo loads (deliveries, alert checks): the seed
    # command sums the load up rather than logging each task.
    tasks = logging.getLogger("celery.app.trace")
    level = tasks.level
    tasks.setLevel(logging.WARNING)
    try:
        with transaction.atomic():
            for name, step in STEPS:
                count = step()
                created += count
                if report is not None:
                    report(name, count)
    finally:
        tasks.setLevel(level)
    return created
