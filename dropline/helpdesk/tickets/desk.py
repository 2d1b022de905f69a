"""Staff's writes on a ticket beyond replying: assigning, merging duplicates, escalating
to a technician visit. Each is one transaction and audited.

- Assign: to an active staff user who holds ``helpdesk.change_ticket``, or to nobody.
- Merge: a ticket into another active ticket of the same account (not into itself, not
  into a merged or closed one; a merged ticket cannot be merged again). The merged ticket
  keeps its thread (still readable), becomes ``merged`` and points at the target; the
  target gets a message the customer sees saying what was merged, and takes over the
  earlier due time if the merged one was waiting for us. The customer is told.
- Escalate: books a visit through ``field.booking.book`` (its refusals come back as
  ``SupportError`` with the same code), links it to the ticket and posts a message with
  the visit's window, which the customer is told about.

Messages the customer reads are written in the account's language.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.customers.models import MemberRole
from dropline.field import booking
from dropline.field.describe import window_label
from dropline.field.errors import AppointmentError
from dropline.field.models import Appointment
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketMessage, TicketStatus
from dropline.helpdesk.tickets import notifying
from dropline.helpdesk.tickets.locking import locked, refuse_merged

TICKET_PERMISSION = "helpdesk.change_ticket"


def may_take_tickets(user: User) -> bool:
    """Whether ``user`` may be given tickets: active staff with the ticket permission."""
    return bool(user.is_active and user.is_staff and user.has_perm(TICKET_PERMISSION))


def assign(*, ticket_id: int, assignee_id: int | None, by: User) -> Ticket:
    """Give ticket ``ticket_id`` to staff ``assignee_id`` (None: nobody). Refusals
    (``SupportError``): ``not_found``, ``merged``, ``invalid`` naming ``assignee_id`` (not
    staff who handle tickets)."""
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id).first()
        if assignee is None or not may_take_tickets(assignee):
            raise SupportError(
                _("Choose a staff member who handles support requests."),
                code="invalid",
                field="assignee_id",
            )
    with transaction.atomic():
        ticket = locked(ticket_id=ticket_id)
        refuse_merged(ticket, field="assignee_id")
        ticket.assigned_to = assignee
        ticket.save(update_fields=["assigned_to"])
        audit.record(
            action="ticket.assigned",
            actor=by,
            target=ticket,
            account_number=ticket.account.number,
            data={"assigned_to": assignee.get_username() if assignee is not None else ""},
        )
    return ticket


def merge(*, ticket_id: int, into_ticket_id: int, by: User) -> Ticket:
    """Merge ticket ``ticket_id`` into ``into_ticket_id``; returns the target. Refusals
    (``SupportError``): ``not_found``, ``invalid`` naming ``into_ticket_id`` (itself,
    another account's, a merged or closed target), ``merged`` (already merged)."""
    if ticket_id == into_ticket_id:
        raise SupportError(
            _("Choose another request to merge this one into."),
            code="invalid",
            field="into_ticket_id",
        )
    with transaction.atomic():
        # Lock both rows in id order, so two merges the other way round cannot deadlock.
        rows = {
            row.pk: row
            for row in Ticket.objects.select_for_update()
            .filter(pk__in=[ticket_id, into_ticket_id])
            .order_by("pk")
        }
        source = rows.get(ticket_id)
        target = rows.get(into_ticket_id)
        if source is None:
            raise SupportError(_("We could not find that request."), code="not_found")
        refuse_merged(source)
        if (
            target is None
            or target.account_id != source.account_id
            or target.status not in (TicketStatus.OPEN, TicketStatus.ANSWERED)
        ):
            raise SupportError(
                _("Merge only into an open request of the same account."),
                code="invalid",
                field="into_ticket_id",
            )
        now = clock.now()
        if source.status == TicketStatus.OPEN:
            target.status = TicketStatus.OPEN
            dues = [due for due in (source.due_at, target.due_at) if due is not None]
            target.due_at = min(dues) if dues else target.due_at
        with translation.override(target.account.preferred_language or "en"):
            note = _(
                "We merged your request %(number)s (“%(subject)s”) into this one, so we "
                "answer both here. Its messages are still on its own page."
            ) % {"number": source.number, "subject": source.subject}
        TicketMessage.objects.create(
            ticket=target, author=by, from_staff=True, body=note, created_at=now
        )
        target.updated_at = now
        target.save(update_fields=["status", "due_at", "updated_at"])
        source.status = TicketStatus.MERGED
        source.merged_into = target
        source.due_at = None
        source.updated_at = now
        source.save(update_fields=["status", "merged_into", "due_at", "updated_at"])
        audit.record(
            action="ticket.merged",
            actor=by,
            target=source,
            account_number=target.account.number,
            data={"into": target.number},
        )
        notifying.tell(
            target,
            notifying.TICKET_MERGED,
            subject=f"ticket_merged:{source.pk}",
            extra={"merged": source.number},
        )
    return target


def _customer_of(ticket: Ticket) -> User:
    """Who the visit is booked for: whoever opened the ticket, else the account's holder."""
    if (
        ticket.opened_by is not None
        and ticket.account.members.filter(user=ticket.opened_by).exists()
    ):
        return ticket.opened_by
    members = ticket.account.members.select_related("user")
    member = members.filter(role=MemberRole.HOLDER).first() or members.order_by("pk").first()
    if member is None:
        raise SupportError(
            _("This account has nobody to book a visit for."), code="invalid", field="ticket_id"
        )
    return member.user


def escalate_to_visit(*, ticket_id: int, window_id: int, reason: str, by: User) -> Appointment:
    """Book a technician visit for ticket ``ticket_id`` in window ``window_id`` for
    ``reason`` (a ``VisitReason``), as staff ``by``: the ticket links the visit and its
    thread gets a message with the visit's window; the customer is told (the booking's
    own confirmation too). Refusals (``SupportError``): ``not_found``, ``merged``,
    ``closed``, and the booking's own (``full``, ``past_cutoff``, ``invalid``,
    ``not_found``, ``already_booked``...) with the same code and field; the booking's
    error is the refusal's ``__cause__`` (its ``alternatives`` offer other windows)."""
    with transaction.atomic():
        ticket = locked(ticket_id=ticket_id)
        refuse_merged(ticket, field="window_id")
        if ticket.status == TicketStatus.CLOSED:
            raise SupportError(
                _("This request is closed. Book the visit from the customer's page instead."),
                code="closed",
                field="window_id",
            )
        try:
            appointment = booking.book(
                account=ticket.account,
                person=_customer_of(ticket),
                window_id=window_id,
                reason=reason,
                details=_("Support request %(number)s: %(subject)s")
                % {"number": ticket.number, "subject": ticket.subject},
                by_staff=by,
            )
        except AppointmentError as refused:
            raise SupportError(
                refused.message, code=refused.code, field=refused.field or "window_id"
            ) from refused
        now = clock.now()
        with translation.override(ticket.account.preferred_language or "en"):
            body = _(
                "We booked a technician visit for this request: %(window)s. You can see, "
                "move or cancel it on your technician visits page."
            ) % {"window": window_label(appointment.window)}
        TicketMessage.objects.create(
            ticket=ticket, author=by, from_staff=True, body=body, created_at=now
        )
        ticket.appointment = appointment
        ticket.status = TicketStatus.ANSWERED
        ticket.due_at = None
        ticket.updated_at = now
        ticket.save(update_fields=["appointment", "status", "due_at", "updated_at"])
        audit.record(
            action="ticket.escalated",
            actor=by,
            target=ticket,
            account_number=ticket.account.number,
            data={"appointment": appointment.pk, "window": window_id, "reason": reason},
        )
        notifying.tell(ticket, notifying.TICKET_VISIT, subject=f"ticket_visit:{appointment.pk}")
    return appointment
