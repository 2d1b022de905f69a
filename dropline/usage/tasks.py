"""Celery tasks of the usage domain: thin wrappers around its writes."""

from __future__ import annotations

from celery import shared_task

from dropline.usage import alerts
from dropline.usage.dispatch import CHECK_ALERTS

# Subscriptions checked per call of ``alerts.check`` in the sweep.
SWEEP_CHUNK = 500


@shared_task(name=CHECK_ALERTS)
def check_alerts_task(subscription_ids: list[int]) -> int:
    """After an ingest: tell the people of these services what their usage crossed."""
    return alerts.check(subscription_ids=subscription_ids)


@shared_task(name="usage.sweep_alerts")
def sweep_alerts_task() -> int:
    """Every 10 minutes: services at an alert level with no alert of it yet (a check
    that was lost), checked again. Returns the messages queued."""
    ids = alerts.due_for_check()
    return sum(
        alerts.check(subscription_ids=ids[i : i + SWEEP_CHUNK])
        for i in range(0, len(ids), SWEEP_CHUNK)
    )
