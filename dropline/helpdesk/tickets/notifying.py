"""Telling the other side of a ticket's conversation.

- The customer: opened ("we got your request", with the number and when to expect an
  answer), answered by staff, merged into another, a technician visit booked for it.
- Staff: a customer's reply reaches the person handling the ticket (``tell_staff``):
  whoever it is assigned to, else whoever answered it last. A ticket nobody has taken or
  answered waits in the queue, due by its service level.

Internal notes never tell anyone. Sentences are lazy, so each recipient's message is said
in their language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core.formatting import display_datetime
from dropline.field.describe import window_label
from dropline.helpdesk.models import Ticket, TicketMessage
from dropline.notifications.categories import Category, Channel
from dropline.notifications.outbox import notify, notify_addresses
from dropline.notifications.preferences import channels_for

TICKET_OPENED = "ticket_opened"
TICKET_REPLY = "ticket_reply"
TICKET_MERGED = "ticket_merged"
TICKET_VISIT = "ticket_visit"
TICKET_CUSTOMER_REPLY = "ticket_customer_reply"
EVENTS = (TICKET_OPENED, TICKET_REPLY, TICKET_MERGED, TICKET_VISIT, TICKET_CUSTOMER_REPLY)
TICKETS_PATH = "/support/tickets/"
STAFF_TICKETS_PATH = "/backoffice/tickets/"


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
    elif event == TICKET_CUSTOMER_REPLY:
        text = _("The customer replied to request %(number)s, “%(subject)s”.")
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


def _handles_tickets(user: User | None) -> bool:
    return bool(user is not None and user.is_active and user.is_staff)


def staff_to_tell(ticket: Ticket) -> User | None:
    """Who hears of the customer's reply: the assignee, else the last staff member who
    answered in the thread (not a note), if they are still active staff; else nobody."""
    if ticket.assigned_to_id is not None:
        assignee = ticket.assigned_to
        return assignee if _handles_tickets(assignee) else None
    last = (
        TicketMessage.objects.filter(ticket=ticket, from_staff=True, internal=False)
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )
    author = last.author if last is not None else None
    return author if _handles_tickets(author) else None


def tell_staff(ticket: Ticket, message: TicketMessage) -> None:
    """Email the staff member handling ``ticket`` that the customer wrote ``message``:
    the request's number, subject and a link to it in the back-office, never what the
    customer wrote. The address is their sign-in email; the email's unsubscribe link
    switches support emails off in their preferences, and then none is sent."""
    staff = staff_to_tell(ticket)
    if staff is None or not staff.email:
        return
    if Channel.EMAIL not in channels_for(user=staff, category=Category.SUPPORT):
        return
    path = f"{STAFF_TICKETS_PATH}{ticket.pk}/"
    notify_addresses(
        event=TICKET_CUSTOMER_REPLY,
        category=Category.SUPPORT,
        subject_key=f"ticket_customer_reply:{message.pk}",
        context={
            "sentence": _lazy_sentence(ticket, TICKET_CUSTOMER_REPLY, {}),
            "number": ticket.number,
            "provider_name": settings.DROPLINE_PROVIDER_NAME,
            "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + path,
        },
        user=staff,
        addresses=[(Channel.EMAIL, staff.email)],
        key_by_address=False,
        link=path,
    )
