"""Background tasks: thin wrappers that call the payments' writes (Celery beat runs them)."""

from __future__ import annotations

from celery import shared_task

from dropline.payments import methods, paying, refunds
from dropline.payments.gateways import simulator


@shared_task(name="payments.send_due_scheduled")
def send_due_scheduled_task() -> int:
    """Daily: the scheduled payments whose day has come."""
    return paying.send_due_scheduled()


@shared_task(name="payments.warn_expiring")
def warn_expiring_task() -> int:
    """Daily: cards that expire within a month, each warned about once."""
    return methods.warn_expiring()


@shared_task(name="payments.resolve_unknown")
def resolve_unknown_task() -> int:
    """Every minute: payments and refunds whose gateway answer never came, asked again."""
    return paying.resolve_unknown() + refunds.resolve_unknown_refunds()


@shared_task(name="payments.release_simulator_events")
def release_simulator_events_task() -> int:
    """Every minute: the simulator's late outcomes that fell due, sent as webhooks."""
    return simulator.release_due_events()
