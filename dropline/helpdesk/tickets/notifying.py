"""Telling the customer about their ticket: opened ("we got your request", with the
number and when to expect an answer), answered by staff, merged into another, a technician
visit booked for it. Internal notes never tell anyone.

Sentences are lazy, so each recipient's message is said in their language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dropline.core.formatting import display_datetime
from dropline.field.describe import window_label
from dropline.helpdesk.models import Ticket
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify

TICKET_OPENED = "ticket_opened"
TICKET_REPLY = "ticket_reply"
TICKET_MERGED = "ticket_merged"
TICKET_VISIT = "ticket_visit"
EVENTS = (TICKET_OPENED, TICKET_REPLY, TICKET_MERGED, TICKET_VISIT)
TICKETS_PATH = "/support/tickets/"


def ticket_page(ticket: Ticket) -> str:
    """The ticket's page in the portal."""
    return f"{TICKETS_PATH}{ticket.pk}/"


def _sentence(ticket: Ticket, event: str, extra: dict[str, str]) -> str:
    values = {
        "number": ticket.number,
        "subject": ticket.subject,
        "due": display_datetime(ticket.due_at),
        **extra,
    }
    if event == TICKET_OPENED:
        if ticket.due_at is None:
            text = _("We got your request %(number)s, “%(subject)s”.")
        else:
            text = _("We got your request %(number)s, “%(subject)s”. We will answer by %(due)s.")
    elif event == TICKET_REPLY:
        text = _("We replied to your request %(number)s, “%(subject)s”.")
    elif event == TICKET_MERGED:
        text = _(
            "Your request %(merged)s is now part of your request %(number)s, so we answer "
            "both in one place."
        )
    else:
        window = ticket.appointment.window if ticket.appointment is not None else None
        values["window"] = window_label(window) if window is not None else ""
        text = _("We booked a technician visit for your request %(number)s: %(window)s.")
    return text % values


_lazy_sentence = lazy(_sentence, str)


def tell(
    ticket: Ticket, event: str, *, subject: str = "", extra: dict[str, str] | None = None
) -> None:
    """Queue ``event`` for the account's people; ``subject`` tells apart several messages
    of one event (each staff reply)."""
    path = ticket_page(ticket)
    context: dict[str, Any] = {
        "sentence": _lazy_sentence(ticket, event, extra or {}),
        "number": ticket.number,
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + path,
    }
    notify(
        event=event,
        category=Category.SUPPORT,
        subject_key=subject or f"ticket:{ticket.pk}",
        context=context,
        account=ticket.account,
        link=path,
    )
