"""Background tasks: deliver messages, sweep for due ones, fan announcements out."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from dropline.notifications.announcements import fan_out_chunk
from dropline.notifications.delivery import deliver, due_message_ids


@shared_task(name="notifications.deliver_messages", acks_late=True)
def deliver_messages(message_ids: list[int]) -> dict[str, int]:
    """Deliver a batch. Failures wait for the sweep, which retries them when due."""
    tally: dict[str, int] = {}
    for message_id in message_ids:
        outcome = deliver(message_id)
        tally[outcome.status] = tally.get(outcome.status, 0) + 1
    return tally


@shared_task(name="notifications.deliver_due")
def deliver_due() -> int:
    """Deliver what is due: retries whose backoff ended, SMS held by quiet hours, lost leases.

    Run every minute by Celery beat (``dropline notifications sweep`` does the same by hand).
    """
    delivered = 0
    while True:
        ids = due_message_ids(limit=500)
        if not ids:
            return delivered
        deliver_messages(ids) if settings.CELERY_TASK_ALWAYS_EAGER else deliver_messages.delay(ids)
        delivered += len(ids)
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return delivered


@shared_task(name="notifications.fan_out_announcement", acks_late=True)
def fan_out_announcement(announcement_id: int, phase: str, after_account_id: int) -> None:
    """One chunk per task when a broker is set, so any worker can take the next one;
    without a broker, the chunks run one after another in this process."""
    cursor: int | None = after_account_id
    while cursor is not None:
        cursor = fan_out_chunk(
            announcement_id=announcement_id, phase=phase, after_account_id=cursor
        )
        if cursor is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
            fan_out_announcement.delay(announcement_id, phase, cursor)
            return
