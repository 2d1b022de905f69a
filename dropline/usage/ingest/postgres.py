"""The ingest's reads and writes on PostgreSQL: one statement per step, rows streamed
with binary COPY (into the records table, or into temporary tables that set-based
statements then apply), never a model instance per row.

Two batches may carry packets of the same session at once. Each locks its sessions'
rows (``SELECT ... FOR UPDATE``, in key order) before judging the packets, so the
second waits for the first and judges against what the first counted. A session not
yet stored is first inserted as a placeholder (session time -1: nothing counted yet),
also in key order and before any row lock is taken, so two batches never wait for
each other in a circle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from dropline.usage.counters import Counted
from dropline.usage.ingest.compute import Batch, SessionState, SessionWrite
from dropline.usage.readings import Reading

# Temporary tables of the connection, emptied at every commit.
_TEMPORARY = """
CREATE TEMPORARY TABLE IF NOT EXISTS usage_ingest_session (
    id bigint, username text, subscription_id bigint, started_at timestamptz,
    updated_at timestamptz, stopped_at timestamptz, session_time bigint,
    input_octets bigint, output_octets bigint, counted_bytes bigint
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS usage_ingest_hour (
    subscription_id bigint, hour timestamptz, input_bytes bigint, output_bytes bigint
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS usage_ingest_day (
    subscription_id bigint, day date, input_bytes bigint, output_bytes bigint
) ON COMMIT DELETE ROWS;
CREATE TEMPORARY TABLE IF NOT EXISTS usage_ingest_cycle (
    subscription_id bigint, cycle_start date, cycle_end date, input_bytes bigint,
    output_bytes bigint
) ON COMMIT DELETE ROWS
"""
_EMPTY = "TRUNCATE usage_ingest_session, usage_ingest_hour, usage_ingest_day, usage_ingest_cycle"


# The stored state's instant is not read back (only a new state's is written).
_NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _raw() -> Any:
    """The psycopg connection under Django's (server-side parameters, COPY)."""
    connection.ensure_connection()
    return connection.connection


def prepare(*, nested: bool) -> None:
    """Make the temporary tables; empty them when an outer transaction may have used
    them already (they empty themselves at every commit)."""
    with _raw().cursor() as cursor:
        cursor.execute(_TEMPORARY)
        if nested:
            cursor.execute(_EMPTY)


_SEPARATOR = "\x1f"  # the ASCII unit separator: in no session key or username seen


def text_array(values: Sequence[str]) -> tuple[str, object]:
    """SQL for a text array parameter and its value: one string split by the server
    (much cheaper to send than a list of thousands), or the list when a value holds the
    separator."""
    if any(_SEPARATOR in value for value in values):
        return "%s::text[]", list(values)
    return "string_to_array(%s, chr(31))", _SEPARATOR.join(values)


def state_of(row: tuple[Any, ...]) -> tuple[str, SessionState]:
    pk, key, session_time, input_octets, output_octets, stopped, subscription_id, counted = row
    return key, SessionState(
        id=pk,
        # A session time below zero: a row just made for this batch, nothing counted yet.
        counted=None
        if session_time < 0
        else Counted(session_time, input_octets, output_octets, _NEVER, stopped),
        subscription_id=subscription_id,
        counted_bytes=counted,
        started_at=None,  # kept by the update (the earlier of the two)
        stopped_at=None,  # likewise (the first stop)
    )


_LOCK = (
    "SELECT id, key, session_time, input_octets, output_octets, stopped_at IS NOT NULL,"
    " subscription_id, counted_bytes FROM usage_usagesession WHERE key = ANY({array})"
    " ORDER BY key FOR UPDATE"
)


def lock_sessions(groups: dict[str, list[Reading]], *, source: str) -> dict[str, SessionState]:
    keys = sorted(groups)
    array, value = text_array(keys)
    with _raw().cursor() as cursor:
        cursor.execute(
            f"SELECT key FROM usage_usagesession WHERE key = ANY({array})",  # noqa: S608
            [value],
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [key for key in keys if key not in present]
        if missing:
            firsts = [min(r.occurred_at for r in groups[key]) for key in missing]
            cursor.execute(
                "INSERT INTO usage_usagesession (key, username, nas, source, started_at,"
                " updated_at, session_time, input_octets, output_octets, counted_bytes)"
                " SELECT k, u, left(n, 64), %s, f, f, -1, 0, 0, 0"
                " FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[])"
                " AS t(k, u, n, f) ORDER BY k ON CONFLICT (key) DO NOTHING",
                [
                    source,
                    missing,
                    [groups[key][0].username for key in missing],
                    [groups[key][0].nas for key in missing],
                    firsts,
                ],
            )
        cursor.execute(
            _LOCK.format(array=array),
            [value],
        )
        return dict(map(state_of, cursor.fetchall()))


def write_sessions(sessions: list[SessionWrite], *, source: str) -> None:
    if not sessions:
        return
    with _raw().cursor() as cursor:
        with cursor.copy("COPY usage_ingest_session FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(
                ["int8", "text", "int8", "timestamptz", "timestamptz", "timestamptz"] + ["int8"] * 4
            )
            for s in sessions:
                copy.write_row(
                    (
                        s.id,
                        s.username,
                        s.subscription_id,
                        s.started_at,
                        s.updated_at,
                        s.stopped_at,
                        s.session_time,
                        s.input_octets,
                        s.output_octets,
                        s.counted_bytes,
                    )
                )
        cursor.execute(
            "UPDATE usage_usagesession s SET username = t.username,"
            " subscription_id = t.subscription_id,"
            " started_at = LEAST(s.started_at, t.started_at), updated_at = t.updated_at,"
            " stopped_at = COALESCE(s.stopped_at, t.stopped_at),"
            " session_time = t.session_time, input_octets = t.input_octets,"
            " output_octets = t.output_octets, counted_bytes = t.counted_bytes"
            " FROM usage_ingest_session t WHERE s.id = t.id"
        )


_RECORD_TYPES = [
    "timestamptz",
    "timestamptz",
    "text",
    "int8",
    "text",
    "text",
    "int8",
    "text",
    "int8",
    "int8",
    "int8",
    "int8",
]


def write_records(
    batch: Batch, *, received_at: dt.datetime, source: str, collector_id: int | None
) -> None:
    with (
        _raw().cursor() as cursor,
        cursor.copy(
            "COPY usage_usagerecord (occurred_at, received_at, source, collector_id,"
            " session_key, username, subscription_id, status, input_octets, output_octets,"
            " input_delta, output_delta) FROM STDIN (FORMAT BINARY)"
        ) as copy,
    ):
        copy.set_types(_RECORD_TYPES)
        write = copy.write_row
        for at, key, user, sub, status, i, o, di, do in batch.records:
            write((at, received_at, source, collector_id, key, user, sub, status, i, o, di, do))


def add_rollups(batch: Batch) -> None:
    with _raw().cursor() as cursor:
        if batch.hours:
            with cursor.copy("COPY usage_ingest_hour FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "timestamptz", "int8", "int8"])
                for (sub, hour), (i, o) in batch.hours.items():
                    copy.write_row((sub, hour, i, o))
            cursor.execute(
                "INSERT INTO usage_usagehour (subscription_id, hour, input_bytes, output_bytes)"
                " SELECT * FROM usage_ingest_hour ORDER BY subscription_id, hour"
                " ON CONFLICT (subscription_id, hour) DO UPDATE SET"
                " input_bytes = usage_usagehour.input_bytes + excluded.input_bytes,"
                " output_bytes = usage_usagehour.output_bytes + excluded.output_bytes"
            )
        if batch.days:
            with cursor.copy("COPY usage_ingest_day FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "date", "int8", "int8"])
                for (sub, day), (i, o) in batch.days.items():
                    copy.write_row((sub, day, i, o))
            cursor.execute(
                "INSERT INTO usage_usageday (subscription_id, day, input_bytes, output_bytes)"
                " SELECT * FROM usage_ingest_day ORDER BY subscription_id, day"
                " ON CONFLICT (subscription_id, day) DO UPDATE SET"
                " input_bytes = usage_usageday.input_bytes + excluded.input_bytes,"
                " output_bytes = usage_usageday.output_bytes + excluded.output_bytes"
            )
        if batch.cycles:
            with cursor.copy("COPY usage_ingest_cycle FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "date", "date", "int8", "int8"])
                for (sub, start, end), (i, o) in batch.cycles.items():
                    copy.write_row((sub, start, end, i, o))
            cursor.execute(
                "INSERT INTO usage_usagecycle (subscription_id, cycle_start, cycle_end,"
                " input_bytes, output_bytes, credited_bytes)"
                " SELECT subscription_id, cycle_start, cycle_end, input_bytes, output_bytes, 0"
                " FROM usage_ingest_cycle ORDER BY subscription_id, cycle_start"
                " ON CONFLICT (subscription_id, cycle_start) DO UPDATE SET"
                " input_bytes = usage_usagecycle.input_bytes + excluded.input_bytes,"
                " output_bytes = usage_usagecycle.output_bytes + excluded.output_bytes"
            )
