"""Usage rows for the back-office's usage pages: raw records (kept aside or counted),
collectors, rejections and checkpoints, written directly (the ingest is tested on its
own), and staff in each role."""

from __future__ import annotations

import datetime as dt
import hashlib
from itertools import count

from dropline.core import clock
from dropline.usage import partitions
from dropline.usage.models import (
    Collector,
    ReaderCheckpoint,
    Rejection,
    SessionStatus,
    Source,
    UsageRecord,
)

_serial = count(1)


def records(
    *,
    username: str,
    occurred_at: dt.datetime,
    received_at: dt.datetime | None = None,
    count: int = 1,
    bytes_each: int = 1000,
    subscription_id: int | None = None,
    collector: Collector | None = None,
) -> list[UsageRecord]:
    """``count`` raw records of ``bytes_each`` bytes (input and output halves) under
    ``username``; kept aside unless ``subscription_id``."""
    partitions.ensure_for([occurred_at])
    rows = []
    for _ in range(count):
        serial = next(_serial)
        rows.append(
            UsageRecord(
                occurred_at=occurred_at,
                received_at=received_at or occurred_at,
                source=Source.RLM_REST,
                collector=collector,
                session_key=f"s{serial}",
                username=username,
                subscription_id=subscription_id,
                status=SessionStatus.INTERIM,
                input_octets=bytes_each // 2,
                output_octets=bytes_each - bytes_each // 2,
                input_delta=bytes_each // 2,
                output_delta=bytes_each - bytes_each // 2,
            )
        )
    return UsageRecord.objects.bulk_create(rows)


def collector(
    *,
    name: str,
    created_at: dt.datetime | None = None,
    last_record_at: dt.datetime | None = None,
    revoked_at: dt.datetime | None = None,
) -> Collector:
    return Collector.objects.create(
        name=name,
        password_digest=hashlib.sha256(name.encode()).hexdigest(),
        created_at=created_at or clock.now(),
        last_record_at=last_record_at,
        revoked_at=revoked_at,
    )


def rejection(*, reason: str, received_at: dt.datetime | None = None) -> Rejection:
    return Rejection.objects.create(
        source=Source.RLM_REST,
        received_at=received_at or clock.now(),
        reason=reason,
        excerpt='{"User-Name": ...}',
    )


def checkpoint(*, name: str, updated_through: dt.datetime | None) -> ReaderCheckpoint:
    return ReaderCheckpoint.objects.create(
        name=name, updated_through=updated_through, rows_read=10, last_run_at=clock.now()
    )
