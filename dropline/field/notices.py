"""Telling the household about its visit through the outbox: booked, rescheduled,
canceled (each email with the calendar invitation), reminders, and the technician on
the way. Every message links to the visit's page, where it can be rescheduled."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from dropline.field.calendar import ics_attachment, visit_path, visit_url
from dropline.field.describe import lazy_eta_label, lazy_window_label
from dropline.field.models import Appointment, VisitReason
from dropline.notifications.categories import Category
from dropline.notifications.models import Message
from dropline.notifications.outbox import notify

BOOKED = "appointment.booked"
RESCHEDULED = "appointment.rescheduled"
CANCELED = "appointment.canceled"
ON_THE_WAY = "appointment.on_the_way"
REMINDER = "appointment.reminder"

# The events whose email carries the invitation (new, moved or withdrawn).
WITH_INVITATION = {BOOKED, RESCHEDULED, CANCELED}


def _subject_key(appointment: Appointment, event: str, extra: str) -> str:
    key = f"appointment:{appointment.pk}:{event.rsplit('.', 1)[-1]}"
    return f"{key}:{extra}" if extra else key


def tell(
    appointment: Appointment, *, event: str, extra_key: str = "", **context: Any
) -> list[Message]:
    """Notify the account's people of ``event``; ``extra_key`` tells apart messages of
    one event for one visit (a reschedule's sequence, a reminder's kind and window)."""
    window = appointment.window
    values: dict[str, Any] = {
        "appointment": appointment,
        "number": appointment.number,
        "reason": VisitReason(appointment.reason).label,
        "window_label": lazy_window_label(window),
        "address": str(appointment.address),
        "eta_label": lazy_eta_label(appointment.eta),
        "technician": appointment.technician.name.split()[0] if appointment.technician else "",
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "url": visit_url(appointment),
        **context,
    }
    return notify(
        event=event,
        category=Category.APPOINTMENTS,
        subject_key=_subject_key(appointment, event, extra_key),
        context=values,
        account=appointment.account,
        link=visit_path(appointment),
        attachments=[ics_attachment(appointment)] if event in WITH_INVITATION else (),
    )
