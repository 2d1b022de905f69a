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
from typing import NamedTuple

from dropline.customers.cycles import cycle_containing
from dropline.usage.counters import Counted, Outcome, advance
from dropline.usage.models import SessionStatus
from dropline.usage.readings import Reading

_UTC = dt.UTC


class Service(NamedTuple):
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


class SessionState(NamedTuple):
    """A session as stored: its row id (None when new) and what was counted."""

    id: int | None
    counted: Counted | None  # None: nothing counted yet
    subscription_id: int | None
    counted_bytes: int
    started_at: dt.datetime | None
    stopped_at: dt.datetime | None


class SessionWrite(NamedTuple):
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

    def add(
        self,
        subscription_id: int,
        hour: dt.datetime,
        day: dt.date,
        cycle: tuple[dt.date, dt.date],
        input_bytes: int,
        output_bytes: int,
    ) -> None:
        """Add bytes to a service's hour, day and cycle."""
        self.subscription_ids.add(subscription_id)
        self.counted_bytes += input_bytes + output_bytes
        for totals in (
            self.hours[(subscription_id, hour)],
            self.days[(subscription_id, day)],
            self.cycles[(subscription_id, *cycle)],
        ):
            totals[0] += input_bytes
            totals[1] += output_bytes


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


class Calendar:
    """The hour, local day and bill cycle of instants, remembered within a batch: most
    hours fall on one local day, so the time zone is consulted once an hour."""

    _HOUR_END = dt.timedelta(minutes=59, seconds=59, microseconds=999_999)

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self._hour_days: dict[dt.datetime, dt.date | None] = {}
        self._cycles: dict[tuple[int, dt.date], tuple[dt.date, dt.date]] = {}

    @staticmethod
    def hour(at: dt.datetime) -> dt.datetime:
        """The first instant of ``at``'s hour, in UTC."""
        if at.tzinfo is not _UTC:
            at = at.astimezone(_UTC)
        return at.replace(minute=0, second=0, microsecond=0)

    def day_in(self, at: dt.datetime, hour: dt.datetime) -> dt.date:
        """``at``'s local day, ``hour`` being its hour."""
        try:
            day = self._hour_days[hour]
        except KeyError:
            first = hour.astimezone(self.zone).date()
            last = (hour + self._HOUR_END).astimezone(self.zone).date()
            day = self._hour_days[hour] = first if first == last else None
        return day if day is not None else at.astimezone(self.zone).date()

    def day(self, at: dt.datetime) -> dt.date:
        return self.day_in(at, self.hour(at))

    def cycle(self, anchor_day: int, day: dt.date) -> tuple[dt.date, dt.date]:
        key = (anchor_day, day)
        bounds = self._cycles.get(key)
        if bounds is None:
            cycle = cycle_containing(anchor_day, day)
            bounds = self._cycles[key] = (cycle.start, cycle.end)
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
    calendar = Calendar(zone)
    records = batch.records
    append = records.append
    hours, days, cycles = batch.hours, batch.days, batch.cycles
    subscription_ids = batch.subscription_ids
    hour_of, day_in, cycle_of = calendar.hour, calendar.day_in, calendar.cycle
    outcomes = {Outcome.COUNTED: 0, Outcome.REPEATED: 0, Outcome.STALE: 0, Outcome.OPENED: 0}
    stop = SessionStatus.STOP
    restarts = unknown = 0
    kept_bytes = 0
    for key in sorted(groups):
        group = groups[key]
        stored = states.get(key)
        if stored is None:
            counted = session_subscription = stopped_at = started_at = None
            counted_bytes = 0
            changed = True
        else:
            counted = stored.counted
            session_subscription = stored.subscription_id
            counted_bytes = stored.counted_bytes
            stopped_at, started_at = stored.stopped_at, stored.started_at
            changed = counted is None
        last: Reading = group[-1]
        for reading in group:
            at = reading.occurred_at
            candidates = services.get(reading.username)
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
            outcomes[outcome] += 1
            if restart:
                restarts += 1
            if candidates is None:
                unknown += 1
                append(
                    (at, key, reading.username, None, reading.status, reading.input_octets,
                     reading.output_octets, added_in, added_out)
                )  # fmt: skip
                counted_bytes += added_in + added_out
                kept_bytes += added_in + added_out
                continue
            hour = hour_of(at)
            local_day = day_in(at, hour)
            service = candidates[0] if len(candidates) == 1 else choose(candidates, local_day)
            subscription_id = session_subscription = service.subscription_id
            append(
                (at, key, reading.username, subscription_id, reading.status,
                 reading.input_octets, reading.output_octets, added_in, added_out)
            )  # fmt: skip
            if not (added_in or added_out):
                continue
            counted_bytes += added_in + added_out
            subscription_ids.add(subscription_id)
            for totals in (
                hours[(subscription_id, hour)],
                days[(subscription_id, local_day)],
                cycles[(subscription_id, *cycle_of(service.anchor_day, local_day))],
            ):
                totals[0] += added_in
                totals[1] += added_out
        if not changed or counted is None:
            continue
        first_at = group[0].occurred_at if len(group) == 1 else min(r.occurred_at for r in group)
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
    batch.counted = outcomes[Outcome.COUNTED]
    batch.repeated = outcomes[Outcome.REPEATED]
    batch.stale = outcomes[Outcome.STALE]
    batch.restarts = restarts
    batch.unknown = unknown
    batch.counted_bytes = kept_bytes + sum(i + o for i, o in days.values())
    return batch
