"""Bill runs: bill every account whose cycle starts on a day, in chunks, crash-safe.

``start_run`` records the run and cuts its accounts into chunks (contiguous id
ranges) in one transaction; it is idempotent, so starting a run again returns the
same run. ``run_chunk`` bills one chunk in one transaction: the invoices, their
lines, their ledger postings, the problems, the "your bill is ready" messages and
the chunk's ``done`` mark commit together or not at all. A process killed at any
moment leaves every chunk either done or untouched, and running the day again
finishes the ones left. ``run_bill_run`` starts (or resumes) and finishes a run,
in this process or, with a broker, by queueing a task per chunk for any worker.

Counters: ``billed`` counts the accounts that have a bill for the cycle when their
chunk is done, including those already billed before the run (a void-and-reissue,
an earlier manual bill): on a re-run they are normal, not a problem. ``skipped``
and ``failed`` count the accounts with a ``BillRunProblem`` saying why. A run ends
``completed``, or ``failed`` ("Stopped with failures") when any account or chunk
failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from enum import StrEnum

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet

from dropline.billing.invoicing import SkipReason, issue_invoices
from dropline.billing.models import (
    BillRun,
    BillRunChunk,
    BillRunProblem,
    BillRunStatus,
    ChunkStatus,
    RunOutcome,
)
from dropline.billing.notifying import notify_bills_ready
from dropline.core import clock
from dropline.customers.cycles import anchor_days_starting_on
from dropline.customers.models import AccountStatus, CustomerAccount

log = logging.getLogger(__name__)

RUN_CHUNK_TASK = "billing.run_chunk"
# Accounts per chunk when a run starts: ``DROPLINE_BILL_RUN_CHUNK_SIZE`` (this default).
DEFAULT_CHUNK_SIZE = 1000
# A chunk is tried this many times (an error, or a process that died holding it) before
# it is marked failed; the other chunks go on.
MAX_ATTEMPTS = 3
# Seconds between looks at the database while other processes bill.
POLL_SECONDS = 0.5
# Seconds without a chunk finishing before the pending chunks are queued again.
REQUEUE_SECONDS = 120.0

Progress = Callable[[BillRun], None]


class ChunkResult(StrEnum):
    DONE = "done"  # billed now
    BUSY = "busy"  # already finished, or another process holds it
    RETRY = "retry"  # raised; left pending for another attempt
    FAILED = "failed"  # raised on its last attempt; marked failed


def accounts_to_bill(run_on: dt.date) -> QuerySet[CustomerAccount]:
    """Accounts whose cycle starts on ``run_on`` (clamped anchors included), opened by
    then and not closed."""
    return CustomerAccount.objects.filter(
        bill_cycle_day__in=anchor_days_starting_on(run_on), opened_on__lte=run_on
    ).exclude(status=AccountStatus.CLOSED)


def _chunk_bounds(run_on: dt.date, chunk_size: int, after: int = 0) -> list[tuple[int, int, int]]:
    """(first id, last id, count) of each chunk of the ids above ``after``: keyset pages
    over the ids, ids only."""
    ids = accounts_to_bill(run_on).order_by("id").values_list("id", flat=True)
    bounds: list[tuple[int, int, int]] = []
    while True:
        page = list(ids.filter(id__gt=after)[:chunk_size])
        if not page:
            return bounds
        bounds.append((page[0], page[-1], len(page)))
        after = page[-1]


def configured_chunk_size() -> int:
    """Accounts per chunk for a run started without saying (the scheduler, the
    back-office): the ``DROPLINE_BILL_RUN_CHUNK_SIZE`` setting."""
    return int(settings.DROPLINE_BILL_RUN_CHUNK_SIZE)


def this_process() -> str:
    """The name a chunk billed in this process (no worker) records as its taker."""
    return f"pid{os.getpid()}@{socket.gethostname()}"


def start_run(*, run_on: dt.date, chunk_size: int | None = None) -> BillRun:
    """The bill run for ``run_on``: the existing one, or a new one with its chunks
    (``chunk_size`` accounts each, by default the setting's), made in one transaction.
    Two callers at once get the same run."""
    if chunk_size is None:
        chunk_size = configured_chunk_size()
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    existing = BillRun.objects.filter(run_on=run_on).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = BillRun.objects.create(run_on=run_on, started_at=clock.now())
            bounds = _chunk_bounds(run_on, chunk_size)
            BillRunChunk.objects.bulk_create(
                BillRunChunk(run=run, index=index, first_account_id=first, last_account_id=last)
                for index, (first, last, _) in enumerate(bounds)
            )
            run.accounts_total = sum(count for _, _, count in bounds)
            run.chunks_total = len(bounds)
            if not bounds:
                run.status = BillRunStatus.COMPLETED
                run.finished_at = run.started_at
            run.save(update_fields=["accounts_total", "chunks_total", "status", "finished_at"])
    except IntegrityError:
        # Another process made the run first (PostgreSQL waited for it to commit).
        return BillRun.objects.get(run_on=run_on)
    log.info("bill run %s started: %s accounts", run_on, run.accounts_total)
    return run


def extend_run(run: BillRun, *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
    """Chunks for the run's accounts that came after it was made (ids above its last
    chunk's: accounts imported since), and the run running again when there are any.
    Returns how many chunks were added; a run with nothing new is left as it is."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    with transaction.atomic():
        locked = BillRun.objects.select_for_update().get(pk=run.pk)
        chunks = BillRunChunk.objects.filter(run=locked)
        after = max(chunks.values_list("last_account_id", flat=True), default=0)
        bounds = _chunk_bounds(locked.run_on, chunk_size, after)
        if not bounds:
            return 0
        first_index = chunks.count()
        BillRunChunk.objects.bulk_create(
            BillRunChunk(
                run=locked, index=first_index + i, first_account_id=first, last_account_id=last
            )
            for i, (first, last, _) in enumerate(bounds)
        )
        BillRun.objects.filter(pk=locked.pk).update(
            accounts_total=F("accounts_total") + sum(count for _, _, count in bounds),
            chunks_total=F("chunks_total") + len(bounds),
            status=BillRunStatus.RUNNING,
            finished_at=None,
        )
    log.info("bill run %s: %s chunk(s) added for new accounts", run.run_on, len(bounds))
    return len(bounds)


def _lock_pending_chunk(chunk_id: int) -> BillRunChunk | None:
    """The chunk, row-locked, if it is pending and no other process holds it."""
    chunks = BillRunChunk.objects.select_related("run")
    if connection.features.has_select_for_update_skip_locked:
        chunks = chunks.select_for_update(skip_locked=True, of=("self",))
    else:
        chunks = chunks.select_for_update()  # SQLite: one writer at a time anyway
    chunk = chunks.filter(pk=chunk_id).first()
    if chunk is None or chunk.status != ChunkStatus.PENDING:
        return None
    return chunk


def run_chunk(*, chunk_id: int, taken_by: str = "") -> ChunkResult:
    """Bill one chunk in one transaction; a chunk already done (or held by another
    process) is left alone. An error leaves it pending for another attempt, up to
    ``MAX_ATTEMPTS``, then marks it failed with the reason. ``taken_by`` names the
    worker (Celery's ``name@host``; by default this process), recorded on the chunk."""
    with transaction.atomic():
        chunk = _lock_pending_chunk(chunk_id)
        if chunk is None:
            return ChunkResult.BUSY
        # Counted before the work, in its own transaction: a process killed while
        # billing this chunk has used an attempt too. The taker is recorded with it, so
        # a chunk being billed shows who holds it.
        BillRunChunk.objects.filter(pk=chunk_id).update(
            attempts=F("attempts") + 1, taken_by=(taken_by or this_process())[:255]
        )
        attempts = chunk.attempts + 1
    if attempts > MAX_ATTEMPTS:
        return _give_up(chunk_id, f"Stopped after {MAX_ATTEMPTS} attempts.")
    try:
        with transaction.atomic():
            chunk = _lock_pending_chunk(chunk_id)
            if chunk is None:
                return ChunkResult.BUSY
            _bill(chunk)
    except Exception as exc:
        log.exception("bill run chunk %s failed (attempt %s)", chunk_id, attempts)
        if attempts >= MAX_ATTEMPTS:
            return _give_up(chunk_id, f"Could not be billed: {exc}")
        return ChunkResult.RETRY
    return ChunkResult.DONE


def _bill(chunk: BillRunChunk) -> None:
    run = chunk.run
    account_ids = list(
        accounts_to_bill(run.run_on)
        .filter(id__gte=chunk.first_account_id, id__lte=chunk.last_account_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    outcome = issue_invoices(account_ids=account_ids, cycle_start=run.run_on, bill_run_id=run.pk)
    billed_before = [a for a, r in outcome.skipped.items() if r == SkipReason.ALREADY_BILLED]
    problems = [
        BillRunProblem(run_id=run.pk, account_id=a, outcome=RunOutcome.SKIPPED, reason=r)
        for a, r in outcome.skipped.items()
        if r != SkipReason.ALREADY_BILLED
    ]
    problems += [
        BillRunProblem(run_id=run.pk, account_id=a, outcome=RunOutcome.FAILED, reason=r[:300])
        for a, r in outcome.failed.items()
    ]
    BillRunProblem.objects.bulk_create(problems, ignore_conflicts=True)
    notify_bills_ready(invoice_ids=outcome.invoice_ids)
    _finish_chunk(
        chunk,
        status=ChunkStatus.DONE,
        billed=len(outcome.invoice_ids) + len(billed_before),
        skipped=len(problems) - len(outcome.failed),
        failed=len(outcome.failed),
    )


def _give_up(chunk_id: int, reason: str) -> ChunkResult:
    """Mark the chunk failed, every account in it with the reason."""
    with transaction.atomic():
        chunk = _lock_pending_chunk(chunk_id)
        if chunk is None:
            return ChunkResult.BUSY
        account_ids = list(
            accounts_to_bill(chunk.run.run_on)
            .filter(id__gte=chunk.first_account_id, id__lte=chunk.last_account_id)
            .values_list("id", flat=True)
        )
        BillRunProblem.objects.bulk_create(
            (
                BillRunProblem(
                    run_id=chunk.run_id,
                    account_id=account_id,
                    outcome=RunOutcome.FAILED,
                    reason=reason[:300],
                )
                for account_id in account_ids
            ),
            ignore_conflicts=True,
        )
        _finish_chunk(
            chunk, status=ChunkStatus.FAILED, billed=0, skipped=0, failed=len(account_ids)
        )
    return ChunkResult.FAILED


def _finish_chunk(
    chunk: BillRunChunk, *, status: str, billed: int, skipped: int, failed: int
) -> None:
    """Mark the chunk, add to the run's counters, and close the run after its last
    chunk. The counter UPDATE locks the run's row, so of two chunks finishing at once
    the second sees the first as finished and closes the run."""
    now = clock.now()
    BillRunChunk.objects.filter(pk=chunk.pk).update(status=status, finished_at=now)
    BillRun.objects.filter(pk=chunk.run_id).update(
        chunks_done=F("chunks_done") + (1 if status == ChunkStatus.DONE else 0),
        billed=F("billed") + billed,
        skipped=F("skipped") + skipped,
        failed=F("failed") + failed,
    )
    _close_if_finished(chunk.run_id, now)


def _close_if_finished(run_id: int, now: dt.datetime) -> None:
    chunks = BillRunChunk.objects.filter(run_id=run_id)
    if chunks.filter(status=ChunkStatus.PENDING).exists():
        return
    failed = (
        chunks.filter(status=ChunkStatus.FAILED).exists()
        or BillRun.objects.filter(pk=run_id, failed__gt=0).exists()
    )
    BillRun.objects.filter(pk=run_id, status=BillRunStatus.RUNNING).update(
        status=BillRunStatus.FAILED if failed else BillRunStatus.COMPLETED, finished_at=now
    )


def reopen_failed_chunks(run: BillRun) -> int:
    """Give the run's failed chunks another go once their cause is fixed: each is
    pending again with its attempts cleared, its accounts' failures are taken off the
    run, and the run is running again. Returns how many chunks were reopened."""
    with transaction.atomic():
        locked = BillRun.objects.select_for_update().get(pk=run.pk)
        chunks = list(
            BillRunChunk.objects.filter(run=locked, status=ChunkStatus.FAILED).values_list(
                "id", "first_account_id", "last_account_id"
            )
        )
        if not chunks:
            return 0
        removed = 0
        for _, first, last in chunks:
            removed += BillRunProblem.objects.filter(
                run=locked,
                outcome=RunOutcome.FAILED,
                account_id__gte=first,
                account_id__lte=last,
            ).delete()[0]
        BillRunChunk.objects.filter(pk__in=[chunk_id for chunk_id, _, _ in chunks]).update(
            status=ChunkStatus.PENDING, attempts=0, finished_at=None
        )
        BillRun.objects.filter(pk=locked.pk).update(
            failed=F("failed") - removed, status=BillRunStatus.RUNNING, finished_at=None
        )
    log.info("bill run %s: %s failed chunk(s) reopened", run.run_on, len(chunks))
    return len(chunks)


def pending_chunk_ids(run: BillRun) -> list[int]:
    return list(
        BillRunChunk.objects.filter(run=run, status=ChunkStatus.PENDING)
        .order_by("index")
        .values_list("id", flat=True)
    )


def run_bill_run(
    *,
    run_on: dt.date,
    progress: Progress | None = None,
    in_process: bool | None = None,
    chunk_size: int | None = None,
    requeue_after: float = REQUEUE_SECONDS,
    retry_failed: bool = False,
) -> BillRun:
    """Start (or resume) the run for ``run_on`` and see it to its end.

    In this process when there is no broker (or ``in_process``), calling ``progress``
    after each chunk; otherwise one task per pending chunk for the workers, watching
    the database until every chunk is done or failed, and queueing the pending chunks
    again when none has finished for ``requeue_after`` seconds (a worker was killed
    holding one). With ``retry_failed``, chunks that failed before are tried again.
    Returns the finished run.
    """
    run = start_run(run_on=run_on, chunk_size=chunk_size)
    if retry_failed:
        reopen_failed_chunks(run)
    if in_process is None:
        in_process = settings.CELERY_TASK_ALWAYS_EAGER
    if in_process:
        _run_here(run, progress)
    else:
        _run_on_workers(run, progress, requeue_after)
    run.refresh_from_db()
    if progress is not None:
        progress(run)
    return run


def _run_here(run: BillRun, progress: Progress | None) -> None:
    while pending := pending_chunk_ids(run):
        worked = False
        for chunk_id in pending:
            result = run_chunk(chunk_id=chunk_id)
            worked = worked or result != ChunkResult.BUSY
            if progress is not None:
                run.refresh_from_db()
                progress(run)
        if not worked:
            time.sleep(POLL_SECONDS)  # another process holds what is left: wait for it
    _close_if_finished(run.pk, clock.now())


def queue_pending_chunks(run: BillRun) -> int:
    """One task per pending chunk for any worker to take; returns how many. A chunk
    queued twice is billed once: the second task finds it done or held."""
    pending = pending_chunk_ids(run)
    for chunk_id in pending:
        current_app.signature(RUN_CHUNK_TASK, args=(chunk_id,)).apply_async()
    return len(pending)


def _run_on_workers(run: BillRun, progress: Progress | None, requeue_after: float) -> None:
    queue_pending_chunks(run)
    done = -1
    changed = time.monotonic()
    while True:
        run.refresh_from_db()
        finished = run.chunks_total - len(pending_chunk_ids(run))
        if finished != done:
            changed = time.monotonic()
            if progress is not None:
                progress(run)
        done = finished
        if finished >= run.chunks_total:
            break
        if time.monotonic() - changed > requeue_after:
            # A worker killed with its task unacknowledged may not hand it back for a
            # long time (the broker's visibility timeout): queue what is left again.
            log.warning(
                "bill run %s: no progress for %ss, queueing again", run.run_on, REQUEUE_SECONDS
            )
            queue_pending_chunks(run)
            changed = time.monotonic()
        time.sleep(POLL_SECONDS)
    _close_if_finished(run.pk, clock.now())
