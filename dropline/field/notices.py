"""Telling the household about its visit through the outbox: booked, rescheduled,
canceled (each email with the calendar invitation), reminders, and the technician on
the way. Every message links to the visit's page, where it can be rescheduled."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import Promise

from dropline.field.calendar import ics_attachment, path_of_visit, url_of, visit_path, visit_url
from dropline.field.describe import lazy_eta_label, lazy_window_label
from dropline.field.models import Appointment, VisitReason
from dropline.notifications.bulk_notify import Notice
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


def subject_key(appointment_id: int, event: str, extra: str = "") -> str:
    """What the messages of ``event`` about one visit are about, in their outbox keys."""
    key = f"appointment:{appointment_id}:{event.rsplit('.', 1)[-1]}"
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
        subject_key=subject_key(appointment.pk, event, extra_key),
        context=values,
        account=appointment.account,
        link=visit_path(appointment),
        attachments=[ics_attachment(appointment)] if event in WITH_INVITATION else (),
    )


def reminder(
    *,
    appointment_id: int,
    account_id: int,
    kind: str,
    extra_key: str,
    number: str,
    reason: str | Promise,
    window_label: str | Promise,
    address: str,
    eta_label: str | Promise,
    technician: str,
) -> Notice:
    """One visit's reminder for ``bulk_notify.notify_many``: what ``tell`` gives the
    templates, as the visit's own values (the labels lazy, so each recipient reads them
    in their language) and the context reminders share (the kind, the provider). Its
    messages have the keys ``tell`` gives them, so neither way repeats the other."""
    path = path_of_visit(appointment_id)
    return Notice(
        account_id=account_id,
        subject_key=subject_key(appointment_id, REMINDER, extra_key),
        link=path,
        context={"kind": kind, "provider_name": settings.DROPLINE_PROVIDER_NAME},
        values={
            "number": number,
            "reason": reason,
            "window_label": window_label,
            "address": address,
            "eta_label": eta_label,
            "technician": technician,
            "url": url_of(path),
        },
    )
