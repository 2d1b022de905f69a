"""Applying a scheduled catalogue price to the services that already have the plan.

``schedule`` records the price (``catalog.price_schedule``) and, when it applies to
existing subscribers, cuts the plan's current services into chunks of contiguous ids
in the same transaction. ``apply_chunk`` handles one chunk in one transaction: each
service whose price changes gets a dated ``SubscriptionPrice`` from the new price's day
(and its first row, the price it was ordered at, if it had none), each account's
people get a ``price_change_notice`` through the outbox, and the chunk is marked done.
Rows go in through ``core.bulk.insert_rows`` and messages through
``notifications.bulk_notify.notify_many``: a fixed number of queries per chunk,
whatever its size, and no model instance per service.

Re-runnable: a chunk done is never done again, a service that already has a price on
that day is left out, and a notice's idempotency key (the price change and the
service) is recorded once, so nothing is written or sent twice. Rating reads the dated
rows, so bills change on the day itself and the days before keep the old price.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest

from dropline.catalog.models import (
    AddOn,
    ApplyStatus,
    ChunkState,
    EquipmentModel,
    Plan,
    PriceChangeChunk,
    ScheduledPrice,
)
from dropline.catalog.price_schedule import schedule_price
from dropline.core import audit, bulk, clock, read_models
from dropline.core.money import Money
from dropline.notifications.bulk_notify import Notice, notify_many
from dropline.notifications.categories import Category
from dropline.subscriptions.models import Subscription, SubscriptionPrice
from dropline.subscriptions.queries import CURRENT_STATUSES

log = logging.getLogger(__name__)

EVENT = "price_change_notice"
APPLY_CHUNK_TASK = "subscriptions.apply_price_chunk"
DEFAULT_CHUNK_SIZE = 1000
MAX_ATTEMPTS = 3
POLL_SECONDS = 0.5
SERVICES_PATH = "/services/"
FIRST_PRICE_REASON = "Price when ordered"
PRICE_COLUMNS = ("subscription_id", "effective_on", "monthly_price_cents", "reason")

Progress = Callable[[ScheduledPrice], None]


def services_to_reprice(schedule: ScheduledPrice) -> QuerySet[Subscription]:
    """The plan's services still current on the new price's day: started before it,
    not canceled, not ended before it."""
    day = schedule.effective_on
    return Subscription.objects.filter(
        plan_id=schedule.plan_id or 0, status__in=CURRENT_STATUSES, started_on__lt=day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def _chunk_bounds(schedule: ScheduledPrice, chunk_size: int) -> list[tuple[int, int, int]]:
    ids = services_to_reprice(schedule).order_by("id").values_list("id", flat=True)
    bounds: list[tuple[int, int, int]] = []
    after = 0
    while True:
        page = list(ids.filter(id__gt=after)[:chunk_size])
        if not page:
            return bounds
        bounds.append((page[0], page[-1], len(page)))
        after = page[-1]


def start_apply(*, schedule: ScheduledPrice, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
    """Cut the services to reprice into chunks (once: a schedule that has its chunks
    keeps them); returns how many chunks it has. Call inside the scheduling
    transaction."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if schedule.chunks.exists():
        return schedule.chunks.count()
    bounds = _chunk_bounds(schedule, chunk_size)
    PriceChangeChunk.objects.bulk_create(
        PriceChangeChunk(schedule=schedule, index=index, first_id=first, last_id=last)
        for index, (first, last, _) in enumerate(bounds)
    )
    now = clock.now()
    schedule.chunks_total = len(bounds)
    schedule.services_total = sum(count for _, _, count in bounds)
    schedule.apply_started_at = now
    schedule.apply_status = ApplyStatus.RUNNING if bounds else ApplyStatus.DONE
    schedule.apply_finished_at = None if bounds else now
    schedule.save(
        update_fields=[
            "chunks_total",
            "services_total",
            "apply_started_at",
            "apply_status",
            "apply_finished_at",
        ]
    )
    return len(bounds)


def schedule(
    *,
    item: Plan | AddOn | EquipmentModel,
    effective_on: dt.date,
    monthly_price_cents: int,
    reason: str,
    applies_to_subscribers: bool = False,
    actor: Any = None,
    request: HttpRequest | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    queue: bool = True,
) -> ScheduledPrice:
    """Schedule ``item``'s new price (see ``catalog.price_schedule.schedule_price`` for
    the refusals) and, when it applies to existing subscribers, cut their services into
    chunks in the same transaction and (``queue``) hand the chunks to the workers once
    it commits. Without a broker they run at once, in this process."""
    with transaction.atomic():
        scheduled = schedule_price(
            item=item,
            effective_on=effective_on,
            monthly_price_cents=monthly_price_cents,
            reason=reason,
            applies_to_subscribers=applies_to_subscribers,
            actor=actor,
            request=request,
        )
        if applies_to_subscribers:
            start_apply(schedule=scheduled, chunk_size=chunk_size)
            if queue:
                transaction.on_commit(lambda: queue_pending_chunks(scheduled))
    return scheduled


def pending_chunk_ids(schedule: ScheduledPrice) -> list[int]:
    return list(
        PriceChangeChunk.objects.filter(schedule=schedule, status=ChunkState.PENDING)
        .order_by("index")
        .values_list("id", flat=True)
    )


def queue_pending_chunks(schedule: ScheduledPrice) -> int:
    """One task per pending chunk; a chunk queued twice is applied once."""
    pending = pending_chunk_ids(schedule)
    for chunk_id in pending:
        current_app.signature(APPLY_CHUNK_TASK, args=(chunk_id,)).apply_async()
    return len(pending)


def _lock_pending(chunk_id: int) -> PriceChangeChunk | None:
    chunks = PriceChangeChunk.objects.select_related(
        "schedule", "schedule__plan", "schedule__scheduled_by"
    )
    if connection.features.has_select_for_update_skip_locked:
        chunks = chunks.select_for_update(skip_locked=True, of=("self",))
    else:
        chunks = chunks.select_for_update()
    chunk = chunks.filter(pk=chunk_id).first()
    if chunk is None or chunk.status != ChunkState.PENDING:
        return None
    return chunk


def apply_chunk(*, chunk_id: int) -> str:
    """Apply one chunk in one transaction; returns "done", "busy" (done already or held
    by another process), "retry" (raised, left pending) or "failed" (raised on its last
    attempt)."""
    with transaction.atomic():
        chunk = _lock_pending(chunk_id)
        if chunk is None:
            return "busy"
        PriceChangeChunk.objects.filter(pk=chunk_id).update(attempts=F("attempts") + 1)
        attempts = chunk.attempts + 1
    try:
        with transaction.atomic():
            chunk = _lock_pending(chunk_id)
            if chunk is None:
                return "busy"
            changed = _reprice(chunk)
            _finish(chunk, status=ChunkState.DONE, changed=changed)
    except Exception as exc:
        log.exception("price change chunk %s failed (attempt %s)", chunk_id, attempts)
        if attempts < MAX_ATTEMPTS:
            return "retry"
        with transaction.atomic():
            chunk = _lock_pending(chunk_id)
            if chunk is None:
                return "busy"
            _finish(chunk, status=ChunkState.FAILED, changed=0, error=str(exc))
        return "failed"
    return "done"


def _reprice(chunk: PriceChangeChunk) -> int:
    """The chunk's dated prices and notices; returns how many services changed."""
    scheduled = chunk.schedule
    day = scheduled.effective_on
    new_cents = scheduled.monthly_price_cents
    earlier = (
        SubscriptionPrice.objects.filter(subscription=OuterRef("pk"), effective_on__lt=day)
        .order_by("-effective_on")
        .values("monthly_price_cents")[:1]
    )
    first = (
        SubscriptionPrice.objects.filter(subscription=OuterRef("pk"))
        .order_by("effective_on")
        .values("monthly_price_cents")[:1]
    )
    on_the_day = SubscriptionPrice.objects.filter(subscription=OuterRef("pk"), effective_on=day)
    services = (
        services_to_reprice(scheduled)
        .filter(id__gte=chunk.first_id, id__lte=chunk.last_id)
        .annotate(earlier=Subquery(earlier), first=Subquery(first), taken=Exists(on_the_day))
        .filter(taken=False)
        .order_by("id")
        .values_list("id", "account_id", "started_on", "monthly_price_cents", "earlier", "first")
    )
    rows: list[tuple[Any, ...]] = []
    notices: list[Notice] = []
    plan = scheduled.plan
    assert plan is not None
    base = settings.DROPLINE_PUBLIC_URL.rstrip("/")
    context = {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "plan_name": plan.name,
        "plan_name_es": plan.name_es or plan.name,
    }
    new_price = Money(new_cents, scheduled.currency).format()
    for service_id, account_id, started_on, stored, earlier_cents, first_cents in services:
        before = (
            earlier_cents
            if earlier_cents is not None
            else (first_cents if first_cents is not None else stored)
        )
        if before == new_cents:
            continue
        if earlier_cents is None:
            # Its price until the day must be on record for rating to keep charging it.
            rows.append((service_id, started_on, before, FIRST_PRICE_REASON))
        rows.append((service_id, day, new_cents, scheduled.reason))
        notices.append(
            Notice(
                account_id=account_id,
                subject_key=f"price_change:{scheduled.pk}:{service_id}",
                link=SERVICES_PATH,
                context=context,
                values={
                    "date": day,
                    "old_price": Money(before, scheduled.currency).format(),
                    "new_price": new_price,
                    "url": f"{base}{SERVICES_PATH}",
                },
            )
        )
    if rows:
        bulk.insert_rows(SubscriptionPrice, PRICE_COLUMNS, rows)
        read_models.accounts_changed(notice.account_id for notice in notices)
    messages = notify_many(event=EVENT, category=Category.BILLING, notices=notices)
    ScheduledPrice.objects.filter(pk=scheduled.pk).update(notices=F("notices") + messages)
    return len(notices)


def _finish(chunk: PriceChangeChunk, *, status: str, changed: int, error: str = "") -> None:
    now = clock.now()
    PriceChangeChunk.objects.filter(pk=chunk.pk).update(
        status=status, changed=changed, error=error[:300], finished_at=now
    )
    ScheduledPrice.objects.filter(pk=chunk.schedule_id).update(
        chunks_done=F("chunks_done") + (1 if status == ChunkState.DONE else 0),
        services_changed=F("services_changed") + changed,
    )
    _close_if_finished(chunk.schedule_id, now)


def _close_if_finished(schedule_id: int, now: dt.datetime) -> None:
    chunks = PriceChangeChunk.objects.filter(schedule_id=schedule_id)
    if chunks.filter(status=ChunkState.PENDING).exists():
        return
    failed = chunks.filter(status=ChunkState.FAILED).exists()
    closed = ScheduledPrice.objects.filter(pk=schedule_id, apply_status=ApplyStatus.RUNNING).update(
        apply_status=ApplyStatus.FAILED if failed else ApplyStatus.DONE, apply_finished_at=now
    )
    if closed:
        finished = ScheduledPrice.objects.select_related("plan").get(pk=schedule_id)
        audit.record(
            action="catalog.price_applied",
            target=finished,
            data={
                "code": finished.priced.code,
                "effective_on": finished.effective_on.isoformat(),
                "services_changed": finished.services_changed,
                "messages": finished.notices,
                "failed": failed,
            },
        )


def retry_failed(*, schedule: ScheduledPrice) -> int:
    """Make the failed chunks pending again (their cause fixed); returns how many."""
    with transaction.atomic():
        reopened = PriceChangeChunk.objects.filter(
            schedule=schedule, status=ChunkState.FAILED
        ).update(status=ChunkState.PENDING, attempts=0, error="", finished_at=None)
        if reopened:
            ScheduledPrice.objects.filter(pk=schedule.pk).update(
                apply_status=ApplyStatus.RUNNING, apply_finished_at=None
            )
    return reopened


def run_apply(*, schedule: ScheduledPrice, progress: Progress | None = None) -> ScheduledPrice:
    """Apply every pending chunk here, calling ``progress`` after each; waits for the
    chunks another process holds. Returns the schedule as it ends."""
    while pending := pending_chunk_ids(schedule):
        worked = False
        for chunk_id in pending:
            result = apply_chunk(chunk_id=chunk_id)
            worked = worked or result != "busy"
            if progress is not None:
                schedule.refresh_from_db()
                progress(schedule)
        if not worked:
            time.sleep(POLL_SECONDS)
    _close_if_finished(schedule.pk, clock.now())
    schedule.refresh_from_db()
    if progress is not None:
        progress(schedule)
    return schedule
