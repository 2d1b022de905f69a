"""Queueing the notification tasks by their names.

The tasks (``dropline.notifications.tasks``) call the domain (delivery, the
announcement fan-out); the domain asks for them here, by name, so it never imports
the tasks module and the two import each other nowhere. Without a broker
(``CELERY_TASK_ALWAYS_EAGER``) a task runs at once in this process, as ``delay``
does: the app's ``ready`` registers the tasks.
"""

from __future__ import annotations

from celery import current_app

DELIVER_MESSAGES = "notifications.deliver_messages"
FAN_OUT_ANNOUNCEMENT = "notifications.fan_out_announcement"

# Messages per delivery task.
DELIVERY_BATCH = 100


def deliver_later(message_ids: list[int]) -> None:
    """Queue the delivery of ``message_ids``, ``DELIVERY_BATCH`` to a task."""
    for start in range(0, len(message_ids), DELIVERY_BATCH):
        batch = message_ids[start : start + DELIVERY_BATCH]
        current_app.signature(DELIVER_MESSAGES, args=(batch,)).apply_async()


def fan_out_later(announcement_id: int, phase: str, after_account_id: int) -> None:
    """Queue the announcement's fan-out from the account after ``after_account_id``."""
    current_app.signature(
        FAN_OUT_ANNOUNCEMENT, args=(announcement_id, phase, after_account_id)
    ).apply_async()
