"""The ingest of a small batch of one session on PostgreSQL (the rlm_rest endpoint's
one packet a request) in a few round trips, without temporary tables or COPY:

1. the usernames' services and the session's row, locked (``SELECT ... FOR UPDATE``),
   in one round trip; a session not yet stored is then inserted as a placeholder
   (session time -1: nothing counted yet) with ``INSERT ... ON CONFLICT DO NOTHING
   RETURNING``, which also locks it;
2. after the readings are judged in memory, ONE statement (data-modifying common table
   expressions) writes the session back, keeps the records and adds to the hour, day
   and cycle roll-ups.

One session means one row lock, so two requests never wait for each other in a circle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from dropline.usage.ingest import resolve
from dropline.usage.ingest.compute import Batch, Service, SessionState
from dropline.usage.ingest.postgres import state_of
from dropline.usage.readings import Reading

# At most this many readings take the lean path (one statement's parameters each).
MOST = 32

_COLUMNS = (
    "id, key, session_time, input_octets, output_octets, stopped_at IS NOT NULL,"
    " subscription_id, counted_bytes"
)
_LOCK = f"SELECT {_COLUMNS} FROM usage_usagesession WHERE key = %s FOR UPDATE"  # noqa: S608
_PLACEHOLDER = (
    "INSERT INTO usage_usagesession (key, username, nas, source, started_at, updated_at,"  # noqa: S608
    " session_time, input_octets, output_octets, counted_bytes)"
    " VALUES (%s, %s, left(%s, 64), %s, %s, %s, -1, 0, 0, 0)"
    f" ON CONFLICT (key) DO NOTHING RETURNING {_COLUMNS}"
)


def _cursor() -> Any:
    connection.ensure_connection()
    return connection.connection.cursor()


def resolve_and_lock(
    key: str, group: list[Reading], *, source: str
) -> tuple[dict[str, list[Service]], dict[str, SessionState]]:
    """The services of the readings' usernames, and the session's stored state, its row
    locked till the commit: both asked in one round trip (psycopg's pipeline)."""
    names = sorted({reading.username for reading in group})
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as services_cursor, raw.cursor() as cursor:
        with raw.pipeline():
            services_cursor.execute(resolve.BY_RADIUS_USERNAME, [names])
            cursor.execute(_LOCK, [key])
        services = resolve.by_number(names, resolve.by_radius_username(services_cursor.fetchall()))
        row = cursor.fetchone()
        if row is None:
            first = min(reading.occurred_at for reading in group)
            reading = group[0]
            row = cursor.execute(
                _PLACEHOLDER, [key, reading.username, reading.nas, source, first, first]
            ).fetchone()
            if row is None:  # another request stored it a moment ago: wait for its lock
                row = cursor.execute(_LOCK, [key]).fetchone()
    return services, dict([state_of(row)])


def _values(rows: list[tuple[Any, ...]], casts: tuple[str, ...]) -> tuple[str, list[Any]]:
    one = "(" + ", ".join(f"%s{cast}" for cast in casts) + ")"
    return ", ".join([one] * len(rows)), [value for row in rows for value in row]


_TS, _DATE, _INT, _TEXT = "::timestamptz", "::date", "::bigint", "::text"


def _rollup(table: str, key: str, rows: list[tuple[Any, ...]], casts: tuple[str, ...],
            columns: str, extra: str = "") -> tuple[str, list[Any]]:  # fmt: skip
    values, params = _values(rows, casts)
    return (
        f"INSERT INTO {table} ({columns}{', credited_bytes' if extra else ''})"  # noqa: S608
        f" SELECT *{extra} FROM (VALUES {values}) AS t"
        f" ON CONFLICT ({key}) DO UPDATE SET"
        f" input_bytes = {table}.input_bytes + excluded.input_bytes,"
        f" output_bytes = {table}.output_bytes + excluded.output_bytes"
    ), params


def write(batch: Batch, *, received_at: dt.datetime, source: str, collector_id: int | None) -> None:
    """The session, the records and the roll-ups in one statement."""
    parts: list[str] = []
    params: list[Any] = []
    for s in batch.sessions:
        parts.append(
            "UPDATE usage_usagesession SET username = %s, subscription_id = %s,"
            " started_at = LEAST(started_at, %s), updated_at = %s,"
            " stopped_at = COALESCE(stopped_at, %s), session_time = %s, input_octets = %s,"
            " output_octets = %s, counted_bytes = %s WHERE id = %s"
        )
        params += [
            *(s.username, s.subscription_id, s.started_at, s.updated_at, s.stopped_at),
            *(s.session_time, s.input_octets, s.output_octets, s.counted_bytes, s.id),
        ]
    if batch.records:
        records = [
            (at, received_at, source, collector_id, key, user, sub, status, i, o, di, do)
            for at, key, user, sub, status, i, o, di, do in batch.records
        ]
        values, more = _values(
            records, (_TS, _TS, _TEXT, _INT, _TEXT, _TEXT, _INT, _TEXT, _INT, _INT, _INT, _INT)
        )
        parts.append(
            "INSERT INTO usage_usagerecord (occurred_at, received_at, source, collector_id,"  # noqa: S608
            " session_key, username, subscription_id, status, input_octets, output_octets,"
            f" input_delta, output_delta) VALUES {values}"
        )
        params += more
    if batch.hours:
        sql, more = _rollup(
            "usage_usagehour", "subscription_id, hour",
            sorted((sub, hour, i, o) for (sub, hour), (i, o) in batch.hours.items()),
            (_INT, _TS, _INT, _INT), "subscription_id, hour, input_bytes, output_bytes",
        )  # fmt: skip
        parts.append(sql)
        params += more
    if batch.days:
        sql, more = _rollup(
            "usage_usageday", "subscription_id, day",
            sorted((sub, day, i, o) for (sub, day), (i, o) in batch.days.items()),
            (_INT, _DATE, _INT, _INT), "subscription_id, day, input_bytes, output_bytes",
        )  # fmt: skip
        parts.append(sql)
        params += more
    if batch.cycles:
        sql, more = _rollup(
            "usage_usagecycle", "subscription_id, cycle_start",
            sorted((sub, start, end, i, o) for (sub, start, end), (i, o) in batch.cycles.items()),
            (_INT, _DATE, _DATE, _INT, _INT),
            "subscription_id, cycle_start, cycle_end, input_bytes, output_bytes", ", 0",
        )  # fmt: skip
        parts.append(sql)
        params += more
    if not parts:
        return
    if len(parts) == 1:
        statement = parts[0]
    else:
        ctes = ", ".join(f"w{n} AS ({part})" for n, part in enumerate(parts[:-1]))
        statement = f"WITH {ctes} {parts[-1]}"
    with _cursor() as cursor:
        cursor.execute(statement, params)
