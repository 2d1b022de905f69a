"""Background tasks: one chunk of a catalogue price applied to subscribers."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from dropline.subscriptions.repricing import MAX_ATTEMPTS, apply_chunk


@shared_task(
    name="subscriptions.apply_price_chunk", bind=True, acks_late=True, max_retries=MAX_ATTEMPTS
)
def apply_price_chunk(self: Task[Any, Any], chunk_id: int) -> str:
    """Apply a scheduled price to one chunk of services; a chunk that raised is left
    pending and tried again (``apply_chunk`` counts the attempts and gives up after the
    last)."""
    result = apply_chunk(chunk_id=chunk_id)
    while result == "retry" and self.request.is_eager:
        result = apply_chunk(chunk_id=chunk_id)
    if result == "retry":
        raise self.retry(countdown=5 * (self.request.retries + 1))
    return result
