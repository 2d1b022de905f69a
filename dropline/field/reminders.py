"""Visit reminders: the evening before (``DROPLINE_VISIT_EVENING_REMINDER_HOUR``) and the
morning of the visit (``DROPLINE_VISIT_MORNING_REMINDER_HOUR``), on the provider's clocks.

A reminder is due at its hour and is sent by the first run after it, unless the visit was
booked (or moved to its window) after that moment: a visit booked at 20:00 for tomorrow
gets the morning reminder, not the evening one. The evening reminder is stale at midnight,
the morning one once the window starts. Only scheduled visits are reminded, each reminder
once per window: the outbox's key names the visit, the reminder and the window's start, so
a rescheduled visit gets reminders of its own.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q

from dropline.core import clock
from dropline.field import notices
from dropline.field.models import (
    Appointment,
    AppointmentEvent,
    AppointmentEventKind,
    AppointmentStatus,
)
from dropline.field.windows import local_moment, provider_zone

EVENING = "evening"
MORNING = "morning"


def due_at(kind: str, window_date: dt.date) -> dt.datetime:
    """When the ``kind`` reminder of a visit on ``window_date`` is due."""
    if kind == EVENING:
        hour, day = settings.DROPLINE_VISIT_EVENING_REMINDER_HOUR, window_date - dt.timedelta(1)
    else:
        hour, day = settings.DROPLINE_VISIT_MORNING_REMINDER_HOUR, window_date
    return local_moment(day, dt.time(hour))


def _window_key(appointment: Appointment) -> str:
    return f"{appointment.window.starts_at.astimezone(dt.UTC):%Y%m%dT%H%MZ}"


def _candidates(now: dt.datetime) -> list[tuple[str, Appointment]]:
    """The (reminder, visit) pairs due now and not stale."""
    today = now.astimezone(provider_zone()).date()
    tomorrow = today + dt.timedelta(days=1)
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
        .select_related("window", "account", "address", "technician")
        .order_by("window__starts_at", "pk")
    )
    found: list[tuple[str, Appointment]] = []
    for visit in visits:
        placed_at = visit.placed_at or visit.created_at
        kind = EVENING if visit.window.date == tomorrow else MORNING
        due = due_at(kind, visit.window.date)
        if now < due or placed_at > due:
            continue
        if kind == MORNING and now >= visit.window.starts_at:
            continue
        found.append((kind, visit))
    return found


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Send the reminders due at ``now``; returns the messages recorded."""
    moment = now or clock.now()
    sent = 0
    for kind, visit in _candidates(moment):
        key = f"{kind}:{_window_key(visit)}"
        with transaction.atomic():
            already = AppointmentEvent.objects.filter(
                appointment=visit, kind=AppointmentEventKind.REMINDED, detail__reminder=key
            ).exists()
            if already:
                continue
            messages = notices.tell(visit, event=notices.REMINDER, extra_key=key, kind=kind)
            AppointmentEvent.objects.create(
                appointment=visit,
                kind=AppointmentEventKind.REMINDED,
                at=moment,
                detail={"reminder": key, "messages": len(messages)},
            )
            sent += len(messages)
    return sent
