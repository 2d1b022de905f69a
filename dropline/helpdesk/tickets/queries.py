"""Reads of tickets, always scoped: a customer's through their account (another
account's id finds nothing, a 404), staff's through the permission the edge checked."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.helpdesk.models import Ticket, TicketAttachment, TicketMessage, TicketStatus

ACTIVE_STATUSES = (TicketStatus.OPEN, TicketStatus.ANSWERED)


def tickets_for(*, account: CustomerAccount) -> QuerySet[Ticket]:
    """The account's tickets: open ones (waiting for us or for you) first, then closed and
    merged ones, each by last update, newest first."""
    return (
        Ticket.objects.filter(account=account)
        .annotate(
            finished=Case(
                When(status__in=ACTIVE_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("account", "merged_into")
        .order_by("finished", "-updated_at", "-id")
    )


def ticket_for(*, account: CustomerAccount, ticket_id: int) -> Ticket | None:
    """The account's ticket ``ticket_id``; None for another account's (a 404)."""
    return (
        Ticket.objects.filter(account=account, pk=ticket_id)
        .select_related("account", "merged_into", "appointment")
        .first()
    )


def customer_thread(ticket: Ticket) -> list[TicketMessage]:
    """The messages the customer sees, oldest first, with their files: never an internal
    note."""
    return list(
        ticket.messages.filter(internal=False)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def staff_thread(ticket: Ticket) -> list[TicketMessage]:
    """Every message, internal notes included, for staff."""
    return list(
        ticket.messages.select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def customer_thread_count(ticket: Ticket) -> int:
    """How many messages the customer sees in ``ticket``'s thread (a page's poll compares
    it)."""
    return ticket.messages.filter(internal=False).count()


def customer_attachment(
    *, account: CustomerAccount, ticket_id: int, attachment_id: int
) -> TicketAttachment | None:
    """A file the customer may download: on their own ticket, on a message they can see;
    None otherwise (a 404)."""
    return (
        TicketAttachment.objects.filter(
            pk=attachment_id,
            ticket_id=ticket_id,
            ticket__account=account,
            message__internal=False,
        )
        .select_related("ticket")
        .first()
    )


# Staff ---------------------------------------------------------------------------------


def staff_queue(
    *,
    status: str = "",
    category: str = "",
    assigned_to: int | None = None,
    overdue: bool = False,
) -> QuerySet[Ticket]:
    """The staff queue. ``status``: "" for the active ones (waiting for us or for the
    customer), "all", or one ``TicketStatus``; ``assigned_to``: a staff id, or 0 for
    nobody; ``overdue``: only those waiting for us past their due time. Those waiting for
    us come first, the soonest due first; the rest after, latest update first."""
    rows = Ticket.objects.select_related("account", "assigned_to", "opened_by")
    if status == "":
        rows = rows.filter(status__in=ACTIVE_STATUSES)
    elif status in TicketStatus.values:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if assigned_to is not None:
        rows = (
            rows.filter(assigned_to__isnull=True)
            if assigned_to == 0
            else rows.filter(assigned_to_id=assigned_to)
        )
    if overdue:
        rows = rows.filter(overdue_filter())
    return rows.annotate(
        waiting=Case(
            When(status=TicketStatus.OPEN, then=Value(0)),
            When(status=TicketStatus.ANSWERED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "due_at", "-updated_at", "-id")


def overdue_filter() -> Q:
    """Tickets waiting for the provider past their due time."""
    return Q(status=TicketStatus.OPEN, due_at__lt=clock.now())


def is_overdue(ticket: Ticket, *, now: dt.datetime) -> bool:
    """Waiting for the provider past its due time (the row ``overdue_filter`` finds)."""
    return ticket.status == TicketStatus.OPEN and ticket.due_at is not None and ticket.due_at < now


def overdue_count() -> int:
    """How many tickets wait for an answer past their due time (for a home tile)."""
    return Ticket.objects.filter(overdue_filter()).count()


def staff_ticket(*, ticket_id: int) -> Ticket | None:
    return (
        Ticket.objects.filter(pk=ticket_id)
        .select_related("account", "assigned_to", "opened_by", "merged_into", "appointment")
        .first()
    )


def staff_attachment(*, ticket_id: int, attachment_id: int) -> TicketAttachment | None:
    return TicketAttachment.objects.filter(pk=attachment_id, ticket_id=ticket_id).first()


def account_tickets(*, account: CustomerAccount, limit: int = 10) -> list[Ticket]:
    """The account's latest tickets, for the customer hub."""
    return list(
        Ticket.objects.filter(account=account)
        .select_related("assigned_to")
        .order_by("-updated_at", "-id")[:limit]
    )


def merge_targets(ticket: Ticket) -> list[Ticket]:
    """The tickets ``ticket`` may be merged into: the same account's other active ones."""
    return list(
        Ticket.objects.filter(account_id=ticket.account_id, status__in=ACTIVE_STATUSES)
        .exclude(pk=ticket.pk)
        .order_by("-updated_at", "-id")
    )
