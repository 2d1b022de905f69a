"""The ingest's arithmetic for one batch, in memory: given the readings, the services
their usernames belong to and the sessions' last counted states, what each reading
adds, the records to keep, the roll-ups to add to and the sessions to write back.

No database here; the stores (``postgres``, ``generic``) read and write in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dropline.customers.cycles import cycle_containing
from dropline.usage.counters import Counted, Outcome, advance
from dropline.usage.models import SessionStatus
from dropline.usage.readings import Reading

_UTC = dt.UTC


@dataclass(frozen=True, slots=True)
class Service:
    """A subscription a username may belong to, with what the roll-ups need."""

    subscription_id: int
    anchor_day: int  # the account's bill cycle day
    started_on: dt.date
    ended_on: dt.date | None

    def current_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


def choose(services: Sequence[Service], day: dt.date) -> Service:
    """The service current on ``day``, else the one that started last."""
    if len(services) == 1:
        return services[0]
    for service in services:
        if service.current_on(day):
            return service
    return max(services, key=lambda service: (service.started_on, service.subscription_id))


@dataclass(slots=True)
class SessionState:
    """A session as stored: its row id (None when new) and what was counted."""

    id: int | None
    counted: Counted | None  # None: nothing counted yet
    subscription_id: int | None
    counted_bytes: int
    started_at: dt.datetime | None
    stopped_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class SessionWrite:
    """A session's row after the batch."""

    id: int | None
    key: str
    username: str
    nas: str
    subscription_id: int | None
    started_at: dt.datetime
    updated_at: dt.datetime
    stopped_at: dt.datetime | None
    session_time: int
    input_octets: int
    output_octets: int
    counted_bytes: int


# occurred_at, session_key, username, subscription_id, status, input, output, input_delta,
# output_delta (the store adds received_at, source and collector).
RecordRow = tuple[dt.datetime, str, str, int | None, str, int, int, int, int]


@dataclass(slots=True)
class Batch:
    records: list[RecordRow] = field(default_factory=list)
    hours: defaultdict[tuple[int, dt.datetime], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    days: defaultdict[tuple[int, dt.date], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    # (subscription, cycle start, cycle end) -> [input, output]
    cycles: defaultdict[tuple[int, dt.date, dt.date], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    sessions: list[SessionWrite] = field(default_factory=list)
    counted: int = 0
    repeated: int = 0
    stale: int = 0
    restarts: int = 0
    unknown: int = 0
    counted_bytes: int = 0
    subscription_ids: set[int] = field(default_factory=set)


def group_by_session(readings: Sequence[Reading]) -> dict[str, list[Reading]]:
    """The batch's readings per session key, each session's in counter order (session
    time, then when they were read)."""
    groups: dict[str, list[Reading]] = defaultdict(list)
    for reading in readings:
        groups[reading.session_key].append(reading)
    for group in groups.values():
        if len(group) > 1:
            group.sort(key=lambda r: (r.session_time, r.occurred_at))
    return groups


class _Calendar:
    """The hour, local day and bill cycle of instants, remembered within a batch."""

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self.utc_zone = zone in (_UTC, ZoneInfo("UTC"))
        self._days: dict[dt.datetime, dt.date] = {}
        self._cycles: dict[tuple[int, dt.date], tuple[dt.date, dt.date]] = {}

    def day(self, at: dt.datetime) -> dt.date:
        day = self._days.get(at)
        if day is None:
            day = at.astimezone(self.zone).date()
            self._days[at] = day
        return day

    @staticmethod
    def hour(at: dt.datetime) -> dt.datetime:
        if at.tzinfo is not _UTC:
            at = at.astimezone(_UTC)
        return at.replace(minute=0, second=0, microsecond=0)

    def cycle(self, anchor_day: int, day: dt.date) -> tuple[dt.date, dt.date]:
        key = (anchor_day, day)
        bounds = self._cycles.get(key)
        if bounds is None:
            cycle = cycle_containing(anchor_day, day)
            bounds = (cycle.start, cycle.end)
            self._cycles[key] = bounds
        return bounds


def compute(
    groups: dict[str, list[Reading]],
    *,
    states: dict[str, SessionState],
    services: dict[str, list[Service]],
    zone: dt.tzinfo,
) -> Batch:
    """Judge every reading against its session's state, in session order."""
    batch = Batch()
    calendar = _Calendar(zone)
    records = batch.records
    hours, days, cycles = batch.hours, batch.days, batch.cycles
    stop = SessionStatus.STOP
    for key in sorted(groups):
        group = groups[key]
        stored = states.get(key)
        counted = stored.counted if stored is not None else None
        session_subscription = stored.subscription_id if stored is not None else None
        counted_bytes = stored.counted_bytes if stored is not None else 0
        stopped_at = stored.stopped_at if stored is not None else None
        changed = stored is None or stored.id is None or stored.counted is None
        last: Reading = group[-1]
        for reading in group:
            at = reading.occurred_at
            candidates = services.get(reading.username)
            service = None
            if candidates is not None:
                service = (
                    candidates[0] if len(candidates) == 1 else choose(candidates, calendar.day(at))
                )
            new, outcome, restart, added_in, added_out = advance(
                counted,
                session_time=reading.session_time,
                input_octets=reading.input_octets,
                output_octets=reading.output_octets,
                occurred_at=at,
                stop=reading.status == stop,
            )
            if new is not None:
                if new.stopped and (counted is None or not counted.stopped):
                    stopped_at = at
                counted = new
                changed = True
                last = reading
            if outcome is Outcome.COUNTED:
                batch.counted += 1
            elif outcome is Outcome.REPEATED:
                batch.repeated += 1
            elif outcome is Outcome.STALE:
                batch.stale += 1
            if restart:
                batch.restarts += 1
            subscription_id = None if service is None else service.subscription_id
            if service is None:
                batch.unknown += 1
            else:
                session_subscription = subscription_id
            added = added_in + added_out
            records.append(
                (
                    at,
                    key,
                    reading.username,
                    subscription_id,
                    reading.status,
                    reading.input_octets,
                    reading.output_octets,
                    added_in,
                    added_out,
                )
            )
            if not added:
                continue
            counted_bytes += added
            batch.counted_bytes += added
            if service is None or subscription_id is None:
                continue
            batch.subscription_ids.add(subscription_id)
            hour = hours[(subscription_id, calendar.hour(at))]
            hour[0] += added_in
            hour[1] += added_out
            local_day = calendar.day(at)
            day = days[(subscription_id, local_day)]
            day[0] += added_in
            day[1] += added_out
            start, end = calendar.cycle(service.anchor_day, local_day)
            cycle = cycles[(subscription_id, start, end)]
            cycle[0] += added_in
            cycle[1] += added_out
        if not changed or counted is None:
            continue
        first_at = min(reading.occurred_at for reading in group)
        started_at = stored.started_at if stored is not None else None
        batch.sessions.append(
            SessionWrite(
                id=stored.id if stored is not None else None,
                key=key,
                username=last.username,
                nas=last.nas,
                subscription_id=session_subscription,
                started_at=first_at if started_at is None else min(started_at, first_at),
                updated_at=counted.occurred_at,
                stopped_at=stopped_at,
                session_time=counted.session_time,
                input_octets=counted.input_octets,
                output_octets=counted.output_octets,
                counted_bytes=counted_bytes,
            )
        )
    return batch
