"""Background tasks: one bill run chunk, and the daily jobs."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from dropline.billing.bill_runs import MAX_ATTEMPTS, ChunkResult, run_chunk
from dropline.billing.due_jobs import run_due_jobs


@shared_task(name="billing.run_chunk", bind=True, acks_late=True, max_retries=MAX_ATTEMPTS)
def run_bill_run_chunk(self: Task[Any, Any], chunk_id: int) -> str:
    """Bill one chunk of a bill run. A chunk that raised is left pending and tried again
    later (``run_chunk`` counts the attempts and gives up after the last)."""
    # The worker's name (``dropline worker --hostname``), recorded on the chunk; none
    # when the task runs in the calling process (no broker).
    taken_by = str(self.request.hostname or "")
    result = run_chunk(chunk_id=chunk_id, taken_by=taken_by)
    while result == ChunkResult.RETRY and self.request.is_eager:
        result = run_chunk(chunk_id=chunk_id, taken_by=taken_by)  # no broker: again, here
    if result == ChunkResult.RETRY:
        raise self.retry(countdown=5 * (self.request.retries + 1))
    return result.value


@shared_task(name="billing.run_due_jobs")
def run_due_jobs_task() -> dict[str, int]:
    """Daily (Celery beat): due prices, then today's bill run, its chunks queued for the
    workers (this task does not wait for them: it may hold the only worker)."""
    done = run_due_jobs(wait=False)
    return {"runs": len(done.runs), "prices_changed": done.prices_changed}
