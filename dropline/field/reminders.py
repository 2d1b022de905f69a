"""Visit reminders: the evening before (``DROPLINE_VISIT_EVENING_REMINDER_HOUR``) and the
morning of the visit (``DROPLINE_VISIT_MORNING_REMINDER_HOUR``), on the provider's clocks.

A reminder is due at its hour and is sent by the first run after it, unless the visit was
booked (or moved to its window) after that moment: a visit booked at 20:00 for tomorrow
gets the morning reminder, not the evening one. The evening reminder is stale at midnight,
the morning one once the window starts. Only scheduled visits are reminded, each reminder
once per window: the outbox's key names the visit, the reminder and the window's start, so
a rescheduled visit gets reminders of its own.

A run is a bulk path: a fixed number of queries whatever the number of visits. It reads
the visits due and the reminders already recorded for them (a run after the evening's
leaves every visit out in those two queries), then goes through the rest a thousand
visits at a time, each in one transaction: lock the chunk's visits (those another run
holds are left to it), read again which were reminded meanwhile, write every message
with ``bulk_notify.notify_many`` and a ``reminded`` event per visit in one insert. The
messages and their events commit together or not at all, and two runs at once never
remind a visit twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q

from dropline.core import bulk, clock
from dropline.customers.models import address_lines
from dropline.field import notices
from dropline.field.describe import lazy_eta_label, lazy_window_label
from dropline.field.models import (
    Appointment,
    AppointmentEvent,
    AppointmentEventKind,
    AppointmentStatus,
    VisitReason,
)
from dropline.field.windows import local_moment, provider_zone
from dropline.notifications.bulk_notify import Notice, notify_many
from dropline.notifications.categories import Category

EVENING = "evening"
MORNING = "morning"

# Visits reminded per transaction.
CHUNK = 1000
EVENT_COLUMNS = ("appointment_id", "kind", "at", "actor_id", "detail")


def due_at(kind: str, window_date: dt.date) -> dt.datetime:
    """When the ``kind`` reminder of a visit on ``window_date`` is due."""
    if kind == EVENING:
        hour, day = settings.DROPLINE_VISIT_EVENING_REMINDER_HOUR, window_date - dt.timedelta(1)
    else:
        hour, day = settings.DROPLINE_VISIT_MORNING_REMINDER_HOUR, window_date
    return local_moment(day, dt.time(hour))


def _window_key(starts_at: dt.datetime) -> str:
    return f"{starts_at.astimezone(dt.UTC):%Y%m%dT%H%MZ}"


@dataclass(frozen=True, slots=True)
class _Due:
    """A reminder due now: the visit, in which window, and the reminder's key."""

    appointment_id: int
    window_id: int
    kind: str
    key: str  # "<kind>:<window start, UTC>", in the event and in the outbox's keys


@dataclass(frozen=True, slots=True)
class _Span:
    starts_at: dt.datetime
    ends_at: dt.datetime


def _candidates(now: dt.datetime) -> tuple[list[_Due], dict[int, _Span]]:
    """The reminders due now and not stale, and the windows they are in (one query)."""
    today, tomorrow = _days(now)
    visits = (
        Appointment.objects.filter(
            status=AppointmentStatus.SCHEDULED, window__date__in=[today, tomorrow]
        )
        .annotate(
            placed_at=Max(
                "events__at",
                filter=Q(
                    events__kind__in=[
                        AppointmentEventKind.BOOKED,
                        AppointmentEventKind.RESCHEDULED,
                    ]
                ),
            )
        )
        .order_by("window__starts_at", "pk")
        .values_list(
            "pk",
            "created_at",
            "placed_at",
            "window_id",
            "window__date",
            "window__starts_at",
            "window__ends_at",
        )
    )
    found: list[_Due] = []
    windows: dict[int, _Span] = {}
    for pk, created_at, placed_at, window_id, day, starts_at, ends_at in visits:
        placed_at = placed_at or created_at
        kind = EVENING if day == tomorrow else MORNING
        due = due_at(kind, day)
        if now < due or placed_at > due:
            continue
        if kind == MORNING and now >= starts_at:
            continue
        found.append(_Due(pk, window_id, kind, f"{kind}:{_window_key(starts_at)}"))
        windows.setdefault(window_id, _Span(starts_at, ends_at))
    return found, windows


def _days(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """Today and tomorrow on the provider's clocks: the days of the visits reminded."""
    today = now.astimezone(provider_zone()).date()
    return today, today + dt.timedelta(days=1)


def _reminded(**among: Any) -> set[tuple[int, str]]:
    """(visit, reminder key) for the reminders recorded ``among`` these events' visits
    (one query)."""
    events = (
        AppointmentEvent.objects.filter(kind=AppointmentEventKind.REMINDED, **among)
        .order_by()
        .values_list("appointment_id", "detail")
    )
    return {(pk, detail.get("reminder", "")) for pk, detail in events if detail}


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Send the reminders due at ``now``; returns the messages recorded."""
    moment = now or clock.now()
    due, windows = _candidates(moment)
    if not due:
        return 0
    # Every reminder of the visits that may be due: a join, not a list of their ids.
    done = _reminded(
        appointment__status=AppointmentStatus.SCHEDULED,
        appointment__window__date__in=_days(moment),
    )
    due = [r for r in due if (r.appointment_id, r.key) not in done]
    # One lazy label per window, shared by its visits: worded once per language.
    labels = {pk: lazy_window_label(span) for pk, span in windows.items()}
    sent = 0
    for start in range(0, len(due), CHUNK):
        sent += _send_chunk(due[start : start + CHUNK], labels, moment)
    return sent


def _send_chunk(due: list[_Due], labels: dict[int, str], moment: dt.datetime) -> int:
    """Remind the chunk's visits that are still scheduled in the same window and not
    reminded by another run meanwhile; messages and events in one transaction."""
    with transaction.atomic():
        visits = Appointment.objects.filter(
            pk__in=bulk.many([reminder.appointment_id for reminder in due]),
            status=AppointmentStatus.SCHEDULED,
        )
        if connection.features.has_select_for_update_skip_locked:
            # A visit another run (or a booking) holds is not waited for: that run
            # reminds it, or the next one does.
            visits = visits.select_for_update(skip_locked=True, of=("self",))
        rows = {
            row[0]: row
            for row in visits.order_by("pk").values_list(
                "pk",
                "window_id",
                "account_id",
                "number",
                "reason",
                "eta",
                "technician__name",
                "address__line1",
                "address__line2",
                "address__city",
                "address__region",
                "address__postal_code",
            )
        }
        # The ids as a list: an index probe each, whatever the statistics say.
        done = _reminded(appointment_id__in=list(rows)) if rows else set()
        told: list[tuple[_Due, Notice]] = []
        for reminder in due:
            row = rows.get(reminder.appointment_id)
            if row is None or row[1] != reminder.window_id:
                continue  # canceled, moved or held by another run since it was read
            if (reminder.appointment_id, reminder.key) in done:
                continue
            told.append((reminder, _notice(reminder, row, labels)))
        if not told:
            return 0
        tally: Counter[str] = Counter()
        sent = notify_many(
            event=notices.REMINDER,
            category=Category.APPOINTMENTS,
            notices=[notice for _, notice in told],
            tally=tally,
        )
        bulk.insert_rows(
            AppointmentEvent,
            EVENT_COLUMNS,
            [
                (
                    reminder.appointment_id,
                    AppointmentEventKind.REMINDED.value,
                    moment,
                    None,
                    json.dumps({"reminder": reminder.key, "messages": tally[notice.subject_key]}),
                )
                for reminder, notice in told
            ],
        )
    return sent


def _notice(reminder: _Due, row: tuple[Any, ...], labels: dict[int, str]) -> Notice:
    _, window_id, account_id, number, reason, eta, technician, *address = row
    return notices.reminder(
        appointment_id=reminder.appointment_id,
        account_id=account_id,
        kind=reminder.kind,
        extra_key=reminder.key,
        number=number,
        reason=VisitReason(reason).label,
        window_label=labels[window_id],
        address=", ".join(address_lines(*address)),
        eta_label=lazy_eta_label(eta) if eta else "",
        technician=technician.split()[0] if technician and technician.split() else "",
    )
