"""Messages in a ticket's thread: the customer's, staff's replies and staff's internal notes.

- A customer message puts the ticket back to "waiting for us" (``open``) and sets its due
  time from the category's service level, unless it was already due sooner.
- A customer may reply to a closed ticket within ``REOPEN_DAYS`` of its closing: it reopens.
  Later, they open a new request. A merged ticket takes no messages: its target does.
- A staff reply puts the ticket to "waiting for you" (``answered``), clears the due time
  and tells the customer (a closed ticket is reopened by it).
- A customer message tells the staff member handling the ticket (``notifying.tell_staff``).
- An internal note changes nothing the customer sees, and tells nobody.

Staff writes are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.core.uploads import UploadLike
from dropline.customers.models import CustomerAccount
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketAttachment, TicketMessage, TicketStatus
from dropline.helpdesk.tickets import files as ticket_files
from dropline.helpdesk.tickets import notifying, sla, text
from dropline.helpdesk.tickets.locking import locked, refuse_merged

REOPEN_DAYS = 7


def may_reopen(ticket: Ticket, *, now: dt.datetime | None = None) -> bool:
    """Whether the customer may still reply to closed ``ticket`` (and so reopen it)."""
    if ticket.status != TicketStatus.CLOSED or ticket.closed_at is None:
        return False
    moment = now or clock.now()
    return moment <= ticket.closed_at + dt.timedelta(days=REOPEN_DAYS)


def may_reply(ticket: Ticket, *, now: dt.datetime | None = None) -> bool:
    """Whether the customer may write in ``ticket``'s thread (the reply form shows)."""
    if ticket.status in (TicketStatus.OPEN, TicketStatus.ANSWERED):
        return True
    return may_reopen(ticket, now=now)


def _attachments_count(ticket: Ticket) -> int:
    return TicketAttachment.objects.filter(ticket_id=ticket.pk).count()


def customer_reply(
    *,
    account: CustomerAccount,
    person: User,
    ticket_id: int,
    body: str,
    files: Sequence[UploadLike] = (),
) -> TicketMessage:
    """``person`` writes in the account's ticket ``ticket_id``. Refusals
    (``SupportError``): ``not_found`` (another account's ticket), ``merged``, ``closed``
    (closed more than ``REOPEN_DAYS`` days ago), ``invalid`` naming ``body``, and the
    files' ``file_type``, ``file_too_large``, ``too_many_files``."""
    body = text.body(body)
    found = Ticket.objects.filter(pk=ticket_id, account=account).first()
    if found is None:
        raise SupportError(_("We could not find that request."), code="not_found")
    with (
        ticket_files.staged_files(files=files, already=_attachments_count(found)) as staged,
        transaction.atomic(),
    ):
        ticket = locked(ticket_id=ticket_id, account=account)
        refuse_merged(ticket, field="body")
        now = clock.now()
        if ticket.status == TicketStatus.CLOSED and not may_reopen(ticket, now=now):
            raise SupportError(
                _(
                    "This request was closed more than %(days)d days ago. "
                    "Open a new request instead."
                )
                % {"days": REOPEN_DAYS},
                code="closed",
                field="body",
            )
        message = TicketMessage.objects.create(
            ticket=ticket, author=person, body=body, created_at=now
        )
        ticket_files.save(ticket=ticket, message=message, staged=staged)
        ticket.due_at = sla.next_due(
            waiting_since_due=ticket.due_at if ticket.status == TicketStatus.OPEN else None,
            moment=now,
            hours=sla.response_hours(ticket.category),
        )
        ticket.status = TicketStatus.OPEN
        ticket.closed_at = None
        ticket.updated_at = now
        ticket.save(update_fields=["status", "due_at", "closed_at", "updated_at"])
        notifying.tell_staff(ticket, message)
    return message


def staff_reply(
    *, ticket_id: int, by: User, body: str, files: Sequence[UploadLike] = ()
) -> TicketMessage:
    """``by`` answers ticket ``ticket_id``: the customer sees it and is told. Refusals
    (``SupportError``): ``not_found``, ``merged``, ``invalid`` naming ``body``, and the
    files' refusals."""
    body = text.body(body)
    found = Ticket.objects.filter(pk=ticket_id).first()
    if found is None:
        raise SupportError(_("We could not find that request."), code="not_found")
    with (
        ticket_files.staged_files(files=files, already=_attachments_count(found)) as staged,
        transaction.atomic(),
    ):
        ticket = locked(ticket_id=ticket_id)
        refuse_merged(ticket, field="body")
        now = clock.now()
        message = TicketMessage.objects.create(
            ticket=ticket, author=by, from_staff=True, body=body, created_at=now
        )
        ticket_files.save(ticket=ticket, message=message, staged=staged)
        reopened = ticket.status == TicketStatus.CLOSED
        ticket.status = TicketStatus.ANSWERED
        ticket.due_at = None
        ticket.closed_at = None
        ticket.updated_at = now
        ticket.save(update_fields=["status", "due_at", "closed_at", "updated_at"])
        audit.record(
            action="ticket.replied",
            actor=by,
            target=ticket,
            account_number=ticket.account.number,
            data={"message": message.pk, "files": len(staged), "reopened": reopened},
        )
        notifying.tell(ticket, notifying.TICKET_REPLY, subject=f"ticket_reply:{message.pk}")
    return message


def add_note(*, ticket_id: int, by: User, body: str) -> TicketMessage:
    """``by`` leaves an internal note on ticket ``ticket_id``: staff only, never shown to
    the customer or sent anywhere; the ticket's status and due time stay as they were."""
    body = text.body(body)
    with transaction.atomic():
        ticket = locked(ticket_id=ticket_id)
        message = TicketMessage.objects.create(
            ticket=ticket,
            author=by,
            from_staff=True,
            internal=True,
            body=body,
            created_at=clock.now(),
        )
        audit.record(
            action="ticket.note_added",
            actor=by,
            target=ticket,
            account_number=ticket.account.number,
            data={"message": message.pk},
        )
    return message
