"""Usage files: mobile and other usage records as CSV, imported whole or not at all.

    record_id,identifier,started_at,ended_at,input_bytes,output_bytes
    r-1001,demo-internet,2026-12-01T00:00:00+00:00,2026-12-01T01:00:00+00:00,1000,250000

The first line is that header. ``identifier`` is a RADIUS username or a mobile number
in E.164; times are ISO 8601 with their offset; bytes are whole numbers. Every line is
checked before anything is counted: one bad line refuses the whole file, the import is
kept as refused with each bad line's number and reason (the first ``MAX_ERRORS``), and
``ImportRefusedError`` says them. A good file is counted in one transaction, a batch
per ``ingest()`` call; each record is a session of one Stop reading keyed
``csv:<record_id>``, so importing the same file (or an overlapping one) again counts
nothing twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from django.db import transaction

from dropline.core import clock
from dropline.usage.errors import ImportRefusedError
from dropline.usage.ingest import ingest
from dropline.usage.models import ImportStatus, SessionStatus, Source, UsageImport
from dropline.usage.readings import Reading

if TYPE_CHECKING:
    from dropline.accounts.models import User

COLUMNS = ("record_id", "identifier", "started_at", "ended_at", "input_bytes", "output_bytes")
HEADER = ",".join(COLUMNS)
BATCH = 5000
MAX_ERRORS = 100
MAX_RECORD_ID = 200  # "csv:" + the id is a session key of at most 255
MAX_IDENTIFIER = 253
MAX_BYTES = 2**63 - 1
KEY_PREFIX = "csv:"
_STOP = SessionStatus.STOP  # looked up once, not per line
_SECOND = dt.timedelta(seconds=1)


def import_usage_file(
    *,
    file_name: str,
    data: bytes,
    actor: User | None,
    progress: Callable[[int], object] | None = None,
) -> UsageImport:
    """Check every line, then count the whole file or refuse it (recorded either way).
    ``progress`` is told how many records each batch counted."""
    readings, errors = parse_usage_file(data)
    digest = hashlib.sha256(data).hexdigest()
    if errors:
        UsageImport.objects.create(
            file_name=file_name[:255],
            sha256=digest,
            status=ImportStatus.REFUSED,
            lines=len(readings) + len(errors),
            errors=[[line, reason] for line, reason in errors],
            imported_by=actor,
            created_at=clock.now(),
        )
        raise ImportRefusedError(errors)
    received_at = clock.now()
    counted_bytes = 0
    with transaction.atomic():
        for start in range(0, len(readings), BATCH):
            batch = readings[start : start + BATCH]
            result = ingest(batch, source=Source.CSV, received_at=received_at)
            counted_bytes += result.counted_bytes
            if progress is not None:
                progress(len(batch))
        return UsageImport.objects.create(
            file_name=file_name[:255],
            sha256=digest,
            status=ImportStatus.IMPORTED,
            lines=len(readings),
            counted_bytes=counted_bytes,
            imported_by=actor,
            created_at=received_at,
        )


def parse_usage_file(data: bytes) -> tuple[list[Reading], list[tuple[int, str]]]:
    """Every record as a reading, and (line number, reason) for the lines at fault (the
    first ``MAX_ERRORS``, then one saying how many more)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [(line, "The file is not UTF-8 text.")]
    readings: list[Reading] = []
    errors: list[tuple[int, str]] = []
    more = 0
    seen: dict[str, int] = {}
    lines = _lines(text)
    header = next(lines, None)
    if header is None:
        return [], [(1, "The file is empty.")]
    if tuple(cell.strip().lower() for cell in header[1]) != COLUMNS:
        return [], [(1, f"The first line must be the header {HEADER}.")]
    for number, cells in lines:
        if not cells or cells == [""]:
            continue
        try:
            reading = _reading(cells)
            if (first := seen.setdefault(reading.session_key, number)) != number:
                raise ValueError(f"record_id is the same as on line {first}.")
        except ValueError as exc:
            if len(errors) < MAX_ERRORS:
                errors.append((number, str(exc)))
            else:
                more += 1
            continue
        readings.append(reading)
    if more:
        errors.append((0, f"{more} more line(s) have errors."))
    if not readings and not errors:
        errors.append((2, "The file has no records."))
    return readings, errors


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells); a line number counts physical lines, as an editor does."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, ["\0csv", str(exc)]
            continue
        yield reader.line_num, cells


def _reading(cells: list[str]) -> Reading:
    if cells[:1] == ["\0csv"]:
        raise ValueError(f"The line is not valid CSV ({cells[1]}).")
    if len(cells) != len(COLUMNS):
        raise ValueError(f"The line has {len(cells)} columns; a record has {len(COLUMNS)}.")
    record_id, identifier, started, ended, input_bytes, output_bytes = (c.strip() for c in cells)
    if not record_id:
        raise ValueError("record_id is empty.")
    if len(record_id) > MAX_RECORD_ID:
        raise ValueError(f"record_id is longer than {MAX_RECORD_ID} characters.")
    if not identifier:
        raise ValueError("identifier is empty.")
    if len(identifier) > MAX_IDENTIFIER:
        raise ValueError(f"identifier is longer than {MAX_IDENTIFIER} characters.")
    started_at = _moment("started_at", started)
    ended_at = _moment("ended_at", ended)
    if ended_at < started_at:
        raise ValueError("ended_at is before started_at.")
    return Reading(
        session_key=KEY_PREFIX + record_id,
        username=identifier,
        status=_STOP,
        input_octets=_bytes("input_bytes", input_bytes),
        output_octets=_bytes("output_bytes", output_bytes),
        session_time=(ended_at - started_at) // _SECOND,
        occurred_at=ended_at,
    )


def _moment(column: str, text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text[:40]!r} is not an ISO 8601 date and time.") from None
    if moment.tzinfo is None:
        raise ValueError(f"{column} has no offset (e.g. +00:00).")
    return moment


def _bytes(column: str, text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"{column} {text[:40]!r} is not a whole number of bytes.")
    value = int(text)
    if value > MAX_BYTES:
        raise ValueError(f"{column} is too large.")
    return value
