"""The ingest's reads and writes on databases other than PostgreSQL (SQLite in
development and tests): plain statements with ``executemany``, no model instances.

SQLite lets one writer in at a time, so the sessions read here cannot change under the
batch before it commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from dropline.usage.counters import Counted
from dropline.usage.ingest.compute import Batch, SessionState, SessionWrite

_CHUNK = 5000

SESSION_COLUMNS = (
    "id, key, session_time, input_octets, output_octets, updated_at, stopped_at,"
    " subscription_id, counted_bytes, started_at"
)


def aware(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def state_from_row(row: tuple[object, ...]) -> tuple[str, SessionState]:
    """A session's state from its row (``SESSION_COLUMNS``); a session time below zero
    marks a row just made for the batch, with nothing counted yet."""
    (pk, key, session_time, input_octets, output_octets, updated_at, stopped_at,
     subscription_id, counted_bytes, started_at) = row  # fmt: skip
    stopped = aware(stopped_at)
    counted = None
    if int(session_time) >= 0:  # type: ignore[call-overload]
        updated = aware(updated_at)
        assert updated is not None
        counted = Counted(
            int(session_time),  # type: ignore[call-overload]
            int(input_octets),  # type: ignore[call-overload]
            int(output_octets),  # type: ignore[call-overload]
            updated,
            stopped is not None,
        )
    return str(key), SessionState(
        id=int(pk),  # type: ignore[call-overload]
        counted=counted,
        subscription_id=None if subscription_id is None else int(subscription_id),  # type: ignore[call-overload]
        counted_bytes=int(counted_bytes),  # type: ignore[call-overload]
        started_at=aware(started_at),
        stopped_at=stopped,
    )


def load_sessions(keys: Iterable[str]) -> dict[str, SessionState]:
    ordered = sorted(keys)
    states: dict[str, SessionState] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {SESSION_COLUMNS} FROM usage_usagesession WHERE key IN ({marks})",  # noqa: S608
                chunk,
            )
            for row in cursor.fetchall():
                key, state = state_from_row(row)
                states[key] = state
    return states


def write_sessions(sessions: list[SessionWrite], *, source: str) -> None:
    when = connection.ops.adapt_datetimefield_value
    new = [s for s in sessions if s.id is None]
    old = [s for s in sessions if s.id is not None]
    with connection.cursor() as cursor:
        if new:
            cursor.executemany(
                "INSERT INTO usage_usagesession (key, username, subscription_id, nas, source,"
                " started_at, updated_at, stopped_at, session_time, input_octets,"
                " output_octets, counted_bytes) VALUES"
                " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        s.key,
                        s.username,
                        s.subscription_id,
                        s.nas[:64],
                        source,
                        when(s.started_at),
                        when(s.updated_at),
                        when(s.stopped_at),
                        s.session_time,
                        s.input_octets,
                        s.output_octets,
                        s.counted_bytes,
                    )
                    for s in new
                ],
            )
        if old:
            cursor.executemany(
                "UPDATE usage_usagesession SET username = %s, subscription_id = %s,"
                " started_at = %s, updated_at = %s, stopped_at = %s, session_time = %s,"
                " input_octets = %s, output_octets = %s, counted_bytes = %s WHERE id = %s",
                [
                    (
                        s.username,
                        s.subscription_id,
                        when(s.started_at),
                        when(s.updated_at),
                        when(s.stopped_at),
                        s.session_time,
                        s.input_octets,
                        s.output_octets,
                        s.counted_bytes,
                        s.id,
                    )
                    for s in old
                ],
            )


RECORD_INSERT = (
    "INSERT INTO usage_usagerecord (occurred_at, received_at, source, collector_id,"
    " session_key, username, subscription_id, status, input_octets, output_octets,"
    " input_delta, output_delta) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def write_records(
    batch: Batch, *, received_at: dt.datetime, source: str, collector_id: int | None
) -> None:
    when = connection.ops.adapt_datetimefield_value
    received = when(received_at)
    with connection.cursor() as cursor:
        cursor.executemany(
            RECORD_INSERT,
            [
                (when(at), received, source, collector_id, key, user, sub, status, i, o, di, do)
                for (at, key, user, sub, status, i, o, di, do) in batch.records
            ],
        )


HOUR_UPSERT = (
    "INSERT INTO usage_usagehour (subscription_id, hour, input_bytes, output_bytes)"
    " VALUES (%s, %s, %s, %s) ON CONFLICT (subscription_id, hour) DO UPDATE SET"
    " input_bytes = usage_usagehour.input_bytes + excluded.input_bytes,"
    " output_bytes = usage_usagehour.output_bytes + excluded.output_bytes"
)
DAY_UPSERT = (
    "INSERT INTO usage_usageday (subscription_id, day, input_bytes, output_bytes)"
    " VALUES (%s, %s, %s, %s) ON CONFLICT (subscription_id, day) DO UPDATE SET"
    " input_bytes = usage_usageday.input_bytes + excluded.input_bytes,"
    " output_bytes = usage_usageday.output_bytes + excluded.output_bytes"
)
CYCLE_UPSERT = (
    "INSERT INTO usage_usagecycle (subscription_id, cycle_start, cycle_end, input_bytes,"
    " output_bytes, credited_bytes) VALUES (%s, %s, %s, %s, %s, 0)"
    " ON CONFLICT (subscription_id, cycle_start) DO UPDATE SET"
    " input_bytes = usage_usagecycle.input_bytes + excluded.input_bytes,"
    " output_bytes = usage_usagecycle.output_bytes + excluded.output_bytes"
)


def add_rollups(batch: Batch) -> None:
    when = connection.ops.adapt_datetimefield_value
    day_value = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        if batch.hours:
            cursor.executemany(
                HOUR_UPSERT,
                [(sub, when(hour), i, o) for (sub, hour), (i, o) in sorted(batch.hours.items())],
            )
        if batch.days:
            cursor.executemany(
                DAY_UPSERT,
                [(sub, day_value(day), i, o) for (sub, day), (i, o) in sorted(batch.days.items())],
            )
        if batch.cycles:
            cursor.executemany(
                CYCLE_UPSERT,
                [
                    (sub, day_value(start), day_value(end), i, o)
                    for (sub, start, end), (i, o) in sorted(batch.cycles.items())
                ],
            )
