"""Queueing the usage tasks by their names.

The tasks (``dropline.usage.tasks``) call the domain; the domain asks for them here, by
name, so it never imports the tasks module. Without a broker
(``CELERY_TASK_ALWAYS_EAGER``) a task runs at once in this process.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import current_app

CHECK_ALERTS = "usage.check_alerts"


def check_alerts_later(subscription_ids: Iterable[int]) -> None:
    """Queue the alert check of the services whose usage just changed."""
    ids = sorted(set(subscription_ids))
    if not ids:
        return
    if CHECK_ALERTS not in current_app.tasks:
        # The task is registered by ``dropline.usage.tasks``; until it is, nothing checks.
        return
    current_app.signature(CHECK_ALERTS, args=(ids,)).apply_async()
