"""Reading FreeRADIUS's own PostgreSQL ``radacct`` table, incrementally.

FreeRADIUS's stock ``sql`` module (``mods-config/sql/main/postgresql/queries.conf``)
inserts a row per session at Start and updates it in place: every Interim-Update and
the Stop overwrite ``AcctInputOctets``/``AcctOutputOctets`` with the session's
cumulative counters (gigawords already folded in: ``(gigawords << 32) + octets``) and
set ``AcctUpdateTime`` (and ``AcctStopTime``) to the packet's Event-Timestamp. So a row
is a session's latest reading: read again, it adds nothing; read after an update, it
adds the difference (the ingest keeps the last counters counted per session).

Each run reads the rows whose latest time (``GREATEST(AcctStartTime, AcctUpdateTime,
AcctStopTime)``) is at or after the checkpoint less ``OVERLAP`` (for transactions that
committed a little after others with later times), oldest first, through a server-side
cursor in batches. Each batch goes to one ``ingest()`` call, and the checkpoint (the
last row's time, never past the database's own clock, so a NAS whose clock runs ahead
cannot make the reader skip what comes next) is saved in the same transaction: killed
at any point, the next run reads the unfinished batch again and counts nothing twice.
A row that cannot be read (no username, a key too long, a negative counter) is kept as
a rejection once and skipped.

One run per checkpoint name at a time: a PostgreSQL advisory lock on the radacct
connection makes a second run (cron starting the next minute's run while one is still
going) stop at once. Without an index on the expression above each run scans the
table; ``docs/OPERATIONS.md`` gives the index to add beside FreeRADIUS's own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from dropline.core import clock
from dropline.usage.errors import UsageError
from dropline.usage.ingest import ingest
from dropline.usage.models import ReaderCheckpoint, SessionStatus, Source
from dropline.usage.readings import Reading
from dropline.usage.rejections import record_rejection

DEFAULT_NAME = "radacct"
DEFAULT_BATCH = 5000
OVERLAP = dt.timedelta(minutes=2)
BEGINNING = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_KEY = 255
MAX_USERNAME = 253

CHANGED_AT = "GREATEST(acctstarttime, acctupdatetime, acctstoptime)"
# The status is worked out in the query, so each row brings one time, not four: a row
# with a stop time is a Stop; one with counters or updated since its start, an
# Interim-Update; otherwise a Start.
SELECT = f"""
SELECT acctuniqueid, username, host(nasipaddress),
       CASE WHEN acctstoptime IS NOT NULL THEN 'stop'
            WHEN acctinputoctets > 0 OR acctoutputoctets > 0
                 OR acctupdatetime > acctstarttime THEN 'interim'
            ELSE 'start' END,
       COALESCE(acctsessiontime, 0), COALESCE(acctinputoctets, 0),
       COALESCE(acctoutputoctets, 0), {CHANGED_AT}
  FROM radacct
 WHERE {CHANGED_AT} >= %s
 ORDER BY {CHANGED_AT}, radacctid
"""  # noqa: S608 - constant text, the only parameter is bound
COUNT = f"SELECT count(*) FROM radacct WHERE {CHANGED_AT} >= %s"  # noqa: S608


class RadacctBusyError(UsageError):
    """Another run with the same checkpoint name is reading."""


@dataclass(frozen=True, slots=True)
class ReadResult:
    rows: int  # rows read (including those read again inside the overlap)
    counted: int  # readings that added bytes
    counted_bytes: int
    rejected: int  # rows that could not be read, kept as rejections
    batches: int
    through: dt.datetime | None  # the checkpoint after the run


def read_radacct(
    *,
    dsn: str,
    name: str = DEFAULT_NAME,
    batch: int = DEFAULT_BATCH,
    on_batch: Callable[[int], object] | None = None,
) -> ReadResult:
    """Read what changed in ``radacct`` at ``dsn`` since the checkpoint ``name``."""
    import psycopg

    if batch < 1:
        raise UsageError("A batch is at least one row.", field="batch")
    checkpoint, _made = ReaderCheckpoint.objects.get_or_create(name=name)
    previous = checkpoint.updated_through
    since = previous - OVERLAP if previous is not None else BEGINNING
    rows = counted = counted_bytes = rejected = batches = 0
    through = previous
    with psycopg.connect(dsn, application_name=f"dropline {name}") as conn:
        if not _one(conn, "SELECT pg_try_advisory_lock(%s)", (_lock_key(name),)):
            raise RadacctBusyError(f"Another reader named {name} is running.", field="name")
        conn.commit()
        with conn.cursor(name="dropline_radacct", binary=True) as cursor:
            cursor.itersize = batch
            database_now = _one(conn, "SELECT now()", ())
            cursor.execute(SELECT, (since,))
            while chunk := cursor.fetchmany(batch):
                readings, bad = _readings(chunk, previous)
                latest = min(chunk[-1][7], database_now)
                through = latest if through is None else max(through, latest)
                result = _save_batch(name, readings, bad, len(chunk), through)
                rows += len(chunk)
                counted += result[0]
                counted_bytes += result[1]
                rejected += len(bad)
                batches += 1
                if on_batch is not None:
                    on_batch(len(chunk))
        conn.rollback()
    return ReadResult(rows, counted, counted_bytes, rejected, batches, through)


def pending_rows(*, dsn: str, name: str = DEFAULT_NAME) -> int:
    """How many rows the next run will read (for a progress bar)."""
    import psycopg

    checkpoint = ReaderCheckpoint.objects.filter(name=name).first()
    previous = checkpoint.updated_through if checkpoint is not None else None
    since = previous - OVERLAP if previous is not None else BEGINNING
    with psycopg.connect(dsn) as conn:
        return int(_one(conn, COUNT, (since,)))


def _one(conn: Any, sql: str, params: tuple[Any, ...]) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row is not None else None


def _lock_key(name: str) -> int:
    """A stable signed 64-bit number for the advisory lock of this reader's name."""
    return int.from_bytes(
        hashlib.sha256(f"dropline.radacct:{name}".encode()).digest()[:8], "big", signed=True
    )


def _save_batch(
    name: str,
    readings: Sequence[Reading],
    bad: Iterable[tuple[str, str]],
    row_count: int,
    through: dt.datetime | None,
) -> tuple[int, int]:
    """One batch and the checkpoint after it, in one transaction."""
    with transaction.atomic():
        counted = counted_bytes = 0
        if readings:
            result = ingest(readings, source=Source.RADACCT)
            counted, counted_bytes = result.counted, result.counted_bytes
        for reason, excerpt in bad:
            record_rejection(source=Source.RADACCT, reason=reason, excerpt=excerpt)
        ReaderCheckpoint.objects.filter(name=name).update(
            updated_through=through,
            rows_read=F("rows_read") + row_count,
            last_run_at=clock.now(),
        )
    return counted, counted_bytes


def _readings(
    chunk: Sequence[tuple[Any, ...]], previous: dt.datetime | None
) -> tuple[list[Reading], list[tuple[str, str]]]:
    """The rows as readings, and (reason, excerpt) for each row that cannot be one and
    was not seen before (a row inside the overlap was judged by the run before)."""
    readings: list[Reading] = []
    bad: list[tuple[str, str]] = []
    statuses = {s.value: s for s in SessionStatus}
    for key, username, nas, status, seconds, input_octets, output_octets, changed in chunk:
        reason = ""
        if not username:
            reason = "radacct: the row has no UserName."
        elif len(username) > MAX_USERNAME or len(key) > MAX_KEY:
            reason = "radacct: the UserName or AcctUniqueId is too long."
        elif input_octets < 0 or output_octets < 0 or seconds < 0:
            reason = "radacct: a counter is negative."
        if reason:
            if previous is None or changed >= previous:
                bad.append((reason, f"AcctUniqueId={key} UserName={username}"))
            continue
        readings.append(
            Reading(
                session_key=key,
                username=username,
                status=statuses[status],
                input_octets=input_octets,
                output_octets=output_octets,
                session_time=seconds,
                occurred_at=changed,
                nas=nas or "",
            )
        )
    return readings, bad
