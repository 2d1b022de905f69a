"""The usage ingest: every source (the rlm_rest endpoint, the radacct reader, usage
files, the demo) hands its readings to ``ingest``.

One transaction per batch, however many readings, in a fixed number of statements:

1. the usernames' services, in one query (``resolve``);
2. the sessions' last counted states, locked (``postgres.lock_sessions``);
3. in memory, each session's readings in counter order, judged by ``counters``
   (``compute``);
4. the sessions written back, every reading kept as a record (with the bytes it
   added; a username no service has is kept aside, its record without a service), and
   the bytes added to the hour, day (provider's time zone) and bill cycle of each
   service, additively, so batches in any order add up.

On PostgreSQL rows travel by binary COPY and are applied by set-based statements; on
SQLite by ``executemany``. After the commit the services whose usage changed are
queued for the alert check.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from dropline.core import clock
from dropline.usage import dispatch, partitions
from dropline.usage.errors import ReadingError
from dropline.usage.ingest import compute, generic, lean, postgres, resolve
from dropline.usage.models import SessionStatus, Source
from dropline.usage.readings import Reading

__all__ = ["IngestResult", "ingest"]

_STATUSES = frozenset(SessionStatus.values)


@dataclass(frozen=True, slots=True)
class IngestResult:
    readings: int  # given
    counted: int  # that added bytes
    repeated: int  # same counters as already counted (retransmits): added nothing
    stale: int  # older than what was counted: added nothing
    restarts: int  # counters lower than before on a newer packet: a new segment
    unknown: int  # for a username no service has: kept aside
    counted_bytes: int  # input + output added
    subscription_ids: frozenset[int]  # whose usage changed


def _check(readings: Sequence[Reading]) -> None:
    for reading in readings:
        if not reading.session_key or len(reading.session_key) > 255:
            raise ReadingError("A reading needs a session key of 1 to 255 characters.",
                               field="session_key")  # fmt: skip
        if not reading.username or len(reading.username) > 253:
            raise ReadingError("A reading needs a username of 1 to 253 characters.",
                               field="username")  # fmt: skip
        if reading.input_octets < 0 or reading.output_octets < 0 or reading.session_time < 0:
            raise ReadingError("Counters cannot be negative.", field="input_octets")
        if reading.occurred_at.tzinfo is None:
            raise ReadingError("A reading's time needs its time zone.", field="occurred_at")
        if reading.status not in _STATUSES:
            raise ReadingError("A reading is a start, an interim update or a stop.",
                               field="status")  # fmt: skip


@contextmanager
def _no_collection() -> Iterator[None]:
    """A batch makes tens of thousands of small tuples and no reference cycles: Python's
    cycle collector, set off by the count of new objects, would walk the whole heap
    again and again for nothing (half the time of a batch), so it waits till the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ingest(
    readings: Sequence[Reading],
    *,
    source: Source,
    collector_id: int | None = None,
    received_at: dt.datetime | None = None,
) -> IngestResult:
    """Count ``readings`` (any number, any order, repeats welcome) in one transaction."""
    if not readings:
        return IngestResult(0, 0, 0, 0, 0, 0, 0, frozenset())
    with _no_collection():
        return _ingest(readings, source=source, collector_id=collector_id, received_at=received_at)


def _ingest(
    readings: Sequence[Reading],
    *,
    source: Source,
    collector_id: int | None,
    received_at: dt.datetime | None,
) -> IngestResult:
    _check(readings)
    received = received_at or clock.now()
    source_value = str(source)
    groups = compute.group_by_session(readings)
    postgresql = connection.vendor == "postgresql"
    partitions.ensure_for({reading.occurred_at for reading in readings})
    nested = connection.in_atomic_block
    with transaction.atomic():
        zone = timezone.get_default_timezone()
        if postgresql and len(groups) == 1 and len(readings) <= lean.MOST:
            # One session (a request's packet): a few round trips, no temporary tables.
            [(key, group)] = groups.items()
            services, states = lean.resolve_and_lock(key, group, source=source_value)
            batch = compute.compute(groups, states=states, services=services, zone=zone)
            lean.write(batch, received_at=received, source=source_value, collector_id=collector_id)
        else:
            services = resolve.services_for({reading.username for reading in readings})
            if postgresql:
                postgres.prepare(nested=nested)
                states = postgres.lock_sessions(groups, source=source_value)
            else:
                states = generic.load_sessions(groups)
            batch = compute.compute(groups, states=states, services=services, zone=zone)
            store = postgres if postgresql else generic
            store.write_sessions(batch.sessions, source=source_value)
            store.write_records(
                batch, received_at=received, source=source_value, collector_id=collector_id
            )
            store.add_rollups(batch)
        changed = frozenset(batch.subscription_ids)
        if changed:
            dispatch.check_alerts_after_commit(changed)
    return IngestResult(
        readings=len(readings),
        counted=batch.counted,
        repeated=batch.repeated,
        stale=batch.stale,
        restarts=batch.restarts,
        unknown=batch.unknown,
        counted_bytes=batch.counted_bytes,
        subscription_ids=changed,
    )
