"""The ticket row a write works on, locked for its transaction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dropline.customers.models import CustomerAccount
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketStatus


def not_found() -> SupportError:
    return SupportError(_("We could not find that request."), code="not_found")


def locked(*, ticket_id: int, account: CustomerAccount | None = None) -> Ticket:
    """Ticket ``ticket_id`` locked (``select_for_update``), only the account's when
    ``account`` is given; ``SupportError`` ``not_found`` otherwise. Call inside
    ``transaction.atomic``."""
    rows = Ticket.objects.select_for_update().filter(pk=ticket_id)
    if account is not None:
        rows = rows.filter(account=account)
    found = rows.first()
    if found is None:
        raise not_found()
    return found


def refuse_merged(ticket: Ticket, *, field: str = "") -> None:
    if ticket.status == TicketStatus.MERGED:
        raise SupportError(
            _("This request was merged into %(number)s. Write there instead.")
            % {"number": ticket.merged_into.number if ticket.merged_into else ""},
            code="merged",
            field=field,
        )
