"""Queueing the usage tasks by their names.

The tasks (``dropline.usage.tasks``) call the domain; the domain asks for them here, by
name, so it never imports the tasks module. Without a broker
(``CELERY_TASK_ALWAYS_EAGER``) a task runs at once in this process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from celery import current_app
from django.db import transaction

CHECK_ALERTS = "usage.check_alerts"

_pending = threading.local()


def check_alerts_later(subscription_ids: Iterable[int]) -> None:
    """Queue the alert check of the services whose usage just changed."""
    ids = sorted(set(subscription_ids))
    if ids:
        current_app.signature(CHECK_ALERTS, args=(ids,)).apply_async()


def check_alerts_after_commit(subscription_ids: Iterable[int]) -> None:
    """Queue the alert check once the current transaction commits: however many
    batches one transaction ingests (a usage file, the demo's year), one check of
    every service they touched. Nothing is queued if it rolls back."""
    ids: set[int] | None = getattr(_pending, "ids", None)
    waiting = any(func is _flush for _, func, _ in transaction.get_connection().run_on_commit)
    if ids is None or not waiting:
        # A rolled-back transaction dropped the earlier callback: start again (checking
        # a service whose usage did not change after all only reads).
        ids = _pending.ids = set(subscription_ids)
        transaction.on_commit(_flush)
        return
    ids.update(subscription_ids)


def _flush() -> None:
    ids: set[int] = getattr(_pending, "ids", None) or set()
    _pending.ids = None
    check_alerts_later(ids)
