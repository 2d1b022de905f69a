"""Closing a ticket (the customer or staff) and the customer's rating of the help.

A closed ticket waits for nothing: no due time. Its customer may still reply within
``replying.REOPEN_DAYS`` days (it reopens), and may rate it once, 1 to 5 stars with an
optional comment, while it is closed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.customers.models import CustomerAccount
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketStatus
from dropline.helpdesk.tickets import text
from dropline.helpdesk.tickets.locking import locked, refuse_merged


def _close(ticket: Ticket) -> None:
    refuse_merged(ticket)
    if ticket.status == TicketStatus.CLOSED:
        raise SupportError(_("This request is already closed."), code="closed")
    now = clock.now()
    ticket.status = TicketStatus.CLOSED
    ticket.closed_at = now
    ticket.due_at = None
    ticket.updated_at = now
    ticket.save(update_fields=["status", "closed_at", "due_at", "updated_at"])


def close(*, account: CustomerAccount, person: User, ticket_id: int) -> Ticket:
    """``person`` closes the account's ticket ``ticket_id``. Refusals (``SupportError``):
    ``not_found``, ``merged``, ``closed`` (already)."""
    with transaction.atomic():
        ticket = locked(ticket_id=ticket_id, account=account)
        _close(ticket)
    return ticket


def staff_close(*, ticket_id: int, by: User) -> Ticket:
    """``by`` closes ticket ``ticket_id`` (audited). Same refusals as ``close``."""
    with transaction.atomic():
        ticket = locked(ticket_id=ticket_id)
        _close(ticket)
        audit.record(
            action="ticket.closed",
            actor=by,
            target=ticket,
            account_number=ticket.account.number,
        )
    return ticket


def may_rate(ticket: Ticket) -> bool:
    """Whether the rating form shows: closed and not rated yet."""
    return ticket.status == TicketStatus.CLOSED and ticket.rating is None


def rate(
    *, account: CustomerAccount, person: User, ticket_id: int, rating: int, comment: str = ""
) -> Ticket:
    """``person`` rates the help on the account's closed ticket ``ticket_id``: ``rating``
    1 to 5, ``comment`` optional (at most 500 characters). Refusals (``SupportError``):
    ``not_found``, ``not_closed``, ``already_rated``, ``invalid`` naming ``rating`` or
    ``comment``."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise SupportError(_("Choose from 1 to 5 stars."), code="invalid", field="rating")
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > text.MAX_RATING_COMMENT:
        raise SupportError(
            _("Keep it to %(count)d characters or fewer.") % {"count": text.MAX_RATING_COMMENT},
            code="invalid",
            field="comment",
        )
    with transaction.atomic():
        ticket = locked(ticket_id=ticket_id, account=account)
        if ticket.status != TicketStatus.CLOSED:
            raise SupportError(
                _("You can rate the help once the request is closed."),
                code="not_closed",
                field="rating",
            )
        if ticket.rating is not None:
            raise SupportError(
                _("You already rated the help on this request."),
                code="already_rated",
                field="rating",
            )
        ticket.rating = rating
        ticket.rating_comment = comment
        ticket.rated_at = clock.now()
        ticket.save(update_fields=["rating", "rating_comment", "rated_at"])
    return ticket
