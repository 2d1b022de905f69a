"""A household with an internet plan of known speeds, and tests of its connection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dropline.catalog.models import Plan, ServiceKind
from dropline.network.models import SpeedTest
from dropline.network.speed_tests import record_speed_test
from dropline.subscriptions.ordering import subscribe
from tests.support.factories import Customer, make_customer

FIGURES: dict[str, Any] = {
    "latency_ms": 18,
    "jitter_ms": 3,
    "download_kbps": 480_000,
    "upload_kbps": 48_000,
    "streams": 4,
    "connection": "wired",
}


def internet_500() -> Plan:
    plan, _ = Plan.objects.get_or_create(
        code="speed-500",
        defaults={
            "kind": ServiceKind.INTERNET,
            "name": "Internet 500",
            "monthly_price_cents": 6000,
            "download_mbps": 500,
            "upload_mbps": 50,
        },
    )
    return plan


def household(username: str, *, plan: Plan | None = None) -> Customer:
    """A household on Internet 500 (500 Mbps down, 50 up), no other service."""
    customer = make_customer(username=username, services=0, devices=0)
    subscribe(account=customer.account, plan=plan or internet_500(), started_on=dt.date(2025, 6, 1))
    return customer


def a_test(customer: Customer, **figures: Any) -> SpeedTest:
    return record_speed_test(account=customer.account, user=customer.user, **{**FIGURES, **figures})
