"""Celery tasks of the field domain: thin wrappers around its writes."""

from __future__ import annotations

from celery import shared_task

from dropline.field import reminders, windows


@shared_task(name="field.open_windows")
def open_windows_task() -> int:
    """Nightly: the booking horizon moved a day; open its windows. Returns rows written."""
    return windows.open_windows()


@shared_task(name="field.send_due_reminders")
def send_due_reminders_task() -> int:
    """Every five minutes: the visit reminders due now. Returns the messages recorded."""
    return reminders.send_due_reminders()
