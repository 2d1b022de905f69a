"""Reads for the ingest status page and the back-office home: records received per
minute, lag, each collector's last record, the usernames whose usage is kept aside,
recent rejections and usage files.

Every read is bounded whatever the size of ``UsageRecord`` (hundreds of millions of
rows, partitioned by month on PostgreSQL): it walks an index over a short window
(``usage_record_received``), the records kept aside (the partial index
``usage_record_unknown``), or a small table (collectors, checkpoints), and never scans
the raw records. A minute with more than ``EXACT_UP_TO`` records is not counted row by
row: its count is estimated from the record ids (one sequence, handed out in order),
and said to be an estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Max, Min, QuerySet, Sum

from dropline.core import clock
from dropline.usage.models import (
    Collector,
    ReaderCheckpoint,
    Rejection,
    UsageImport,
    UsageRecord,
)

MINUTES = 15
# A collector with no record for this long is silent (the home tile counts it).
SILENT_AFTER = dt.timedelta(minutes=15)
# Rows counted one by one in a minute, at most; past this the count is estimated.
EXACT_UP_TO = 10_000
# How many of the latest records say the lag.
LAG_SAMPLE = 100
UNKNOWN_LIMIT = 100
RECENT_REJECTIONS = 50
RECENT_IMPORTS = 20
REJECTIONS_WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Minute:
    start: dt.datetime
    records: int
    estimated: bool  # more than EXACT_UP_TO: estimated from the record ids


@dataclass(frozen=True)
class Lag:
    """Between a record's occurrence and its arrival, over the latest records."""

    latest_received_at: dt.datetime | None
    median: dt.timedelta | None
    longest: dt.timedelta | None
    sample: int


@dataclass(frozen=True)
class ReaderLag:
    name: str
    updated_through: dt.datetime | None
    last_run_at: dt.datetime | None
    rows_read: int
    behind: dt.timedelta | None  # now - updated_through


@dataclass(frozen=True)
class CollectorState:
    id: int
    name: str
    created_at: dt.datetime
    last_record_at: dt.datetime | None
    revoked_at: dt.datetime | None
    silent: bool

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class KeptUsername:
    """A username nobody's service has, with the usage kept aside under it."""

    username: str
    records: int
    bytes: int
    first_seen: dt.datetime
    last_seen: dt.datetime


def _records_between(start: dt.datetime, end: dt.datetime) -> int:
    """Records received in [start, end), counted up to EXACT_UP_TO + 1 (an index range
    scan that stops there)."""
    window = (
        UsageRecord.objects.filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .values("received_at")[: EXACT_UP_TO + 1]
    )
    sql, params = window.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS window_rows", params)  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _first_id_from(moment: dt.datetime) -> int | None:
    """The lowest id of the first records received at or after ``moment`` (a batch's
    records share their arrival time)."""
    return (
        UsageRecord.objects.filter(received_at__gte=moment)
        .order_by("received_at", "id")
        .values_list("id", flat=True)
        .first()
    )


def _last_id() -> int | None:
    return UsageRecord.objects.order_by("-received_at", "-id").values_list("id", flat=True).first()


def records_per_minute(*, now: dt.datetime | None = None) -> list[Minute]:
    """Records received in each of the last ``MINUTES`` minutes, oldest first; the last
    one is the minute going on now."""
    now = now or clock.now()
    current = now.replace(second=0, microsecond=0)
    starts = [current - dt.timedelta(minutes=back) for back in range(MINUTES - 1, -1, -1)]
    minutes = []
    for start in starts:
        end = start + dt.timedelta(minutes=1)
        counted = _records_between(start, end)
        if counted <= EXACT_UP_TO:
            minutes.append(Minute(start=start, records=counted, estimated=False))
            continue
        first = _first_id_from(start)
        after = _first_id_from(end)
        if after is None:
            last = _last_id()
            after = None if last is None else last + 1
        spread = (after - first) if first is not None and after is not None else 0
        minutes.append(Minute(start=start, records=max(counted, spread), estimated=True))
    return minutes


def lag(*, now: dt.datetime | None = None) -> Lag:
    """How late the latest records arrived after they occurred (never negative)."""
    latest = list(
        UsageRecord.objects.order_by("-received_at").values_list("received_at", "occurred_at")[
            :LAG_SAMPLE
        ]
    )
    if not latest:
        return Lag(latest_received_at=None, median=None, longest=None, sample=0)
    delays = sorted(max(dt.timedelta(0), received - occurred) for received, occurred in latest)
    return Lag(
        latest_received_at=latest[0][0],
        median=delays[len(delays) // 2],
        longest=delays[-1],
        sample=len(delays),
    )


def readers(*, now: dt.datetime | None = None) -> list[ReaderLag]:
    """Each reader of an outside table, and how far behind now it has read."""
    now = now or clock.now()
    return [
        ReaderLag(
            name=checkpoint.name,
            updated_through=checkpoint.updated_through,
            last_run_at=checkpoint.last_run_at,
            rows_read=checkpoint.rows_read,
            behind=(
                None
                if checkpoint.updated_through is None
                else max(dt.timedelta(0), now - checkpoint.updated_through)
            ),
        )
        for checkpoint in ReaderCheckpoint.objects.order_by("name")
    ]


def _is_silent(collector: Collector, now: dt.datetime) -> bool:
    if collector.revoked_at is not None:
        return False
    heard = collector.last_record_at or collector.created_at
    return now - heard > SILENT_AFTER


def collectors(*, now: dt.datetime | None = None) -> list[CollectorState]:
    """Every collector, active ones first; ``silent`` when an active one has sent
    nothing for more than ``SILENT_AFTER`` (since it was added, if never)."""
    now = now or clock.now()
    rows = Collector.objects.order_by(F("revoked_at").desc(nulls_first=True), "name")
    return [
        CollectorState(
            id=collector.pk,
            name=collector.name,
            created_at=collector.created_at,
            last_record_at=collector.last_record_at,
            revoked_at=collector.revoked_at,
            silent=_is_silent(collector, now),
        )
        for collector in rows
    ]


def silent_collectors_count(*, now: dt.datetime | None = None) -> int:
    now = now or clock.now()
    return sum(
        1
        for collector in Collector.objects.filter(revoked_at__isnull=True)
        if _is_silent(collector, now)
    )


def _kept_aside() -> QuerySet[UsageRecord]:
    # ``subscription IS NULL`` is the partial index ``usage_record_unknown``'s condition.
    return UsageRecord.objects.filter(subscription__isnull=True)


def kept_usernames(*, limit: int = UNKNOWN_LIMIT, username: str = "") -> list[KeptUsername]:
    """Usernames with usage kept aside, the most recently seen first: their records,
    bytes, and first and last records' times. ``username`` narrows to one."""
    rows = _kept_aside()
    if username:
        rows = rows.filter(username=username)
    grouped = (
        rows.order_by()
        .values("username")
        .annotate(
            records=Count("id"),
            kept_bytes=Sum(F("input_delta") + F("output_delta")),
            first_seen=Min("occurred_at"),
            last_seen=Max("occurred_at"),
        )
        .order_by("-last_seen", "username")[:limit]
    )
    return [
        KeptUsername(
            username=row["username"],
            records=row["records"],
            bytes=row["kept_bytes"] or 0,
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
        )
        for row in grouped
    ]


def kept_usernames_count() -> int:
    """How many usernames have usage kept aside."""
    return _kept_aside().order_by().values("username").distinct().count()


def recent_rejections(*, limit: int = RECENT_REJECTIONS) -> list[Rejection]:
    return list(Rejection.objects.select_related("collector").order_by("-received_at")[:limit])


def rejections_since(*, since: dt.datetime) -> int:
    return Rejection.objects.filter(received_at__gte=since).count()


def rejections_last_hour(*, now: dt.datetime | None = None) -> int:
    return rejections_since(since=(now or clock.now()) - REJECTIONS_WINDOW)


def recent_imports(*, limit: int = RECENT_IMPORTS) -> list[UsageImport]:
    return list(UsageImport.objects.select_related("imported_by").order_by("-created_at")[:limit])
