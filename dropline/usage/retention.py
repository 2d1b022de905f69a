"""Removing raw usage past its retention, in bulk.

Raw records are kept ``DROPLINE_USAGE_RAW_RETENTION_DAYS`` days, hourly roll-ups
``DROPLINE_USAGE_HOURLY_RETENTION_DAYS``; days and cycles are kept (the meter's history
and the bills read them). On PostgreSQL a month of records goes as one ``DROP TABLE``
of its partition, once every day of the month is past retention: no row-by-row delete,
no bloat. Elsewhere one ``DELETE`` removes the same months' records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dropline.core import clock
from dropline.usage import partitions
from dropline.usage.models import UsageHour, UsageRecord

_PARTITION = re.compile(rf"^{partitions.PARENT}_y(\d{{4}})m(\d{{2}})$")


@dataclass(frozen=True, slots=True)
class PruneResult:
    partitions: int  # monthly partitions dropped (PostgreSQL)
    records: int  # raw records removed
    hours: int  # hourly roll-ups removed


def records_kept_from(today: dt.date) -> dt.datetime:
    """The first instant whose records are kept: the start (UTC) of the month holding the
    oldest day within retention, so only whole months go."""
    oldest = today - dt.timedelta(days=settings.DROPLINE_USAGE_RAW_RETENTION_DAYS)
    return dt.datetime(oldest.year, oldest.month, 1, tzinfo=dt.UTC)


def hours_kept_from(today: dt.date) -> dt.datetime:
    oldest = today - dt.timedelta(days=settings.DROPLINE_USAGE_HOURLY_RETENTION_DAYS)
    return dt.datetime.combine(oldest, dt.time(), tzinfo=timezone.get_default_timezone())


def _drop_partitions(before: dt.datetime) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent"
            " WHERE p.relname = %s ORDER BY c.relname",
            [partitions.PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
        dropped = records = 0
        for name in names:
            match = _PARTITION.match(name)
            if match is None:
                continue
            _start, end = partitions.month_bounds(int(match[1]), int(match[2]))
            if end > before:
                continue
            cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - our own partition
            records += cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {name}")
            dropped += 1
    return dropped, records


def prune(*, today: dt.date | None = None) -> PruneResult:
    """Remove raw records and hourly roll-ups past their retention; returns what went."""
    day = today or clock.today()
    before = records_kept_from(day)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            dropped, records = _drop_partitions(before)
            transaction.on_commit(partitions.forget)
        else:
            dropped = 0
            records, _by_model = UsageRecord.objects.filter(occurred_at__lt=before).delete()
        hours, _by_model = UsageHour.objects.filter(hour__lt=hours_kept_from(day)).delete()
    return PruneResult(partitions=dropped, records=records, hours=hours)
