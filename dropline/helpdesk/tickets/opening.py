"""Opening a ticket: a category, a subject, a description and up to five files.

The description is the thread's first message. The ticket's number comes from the
``ticket`` sequence (``T-000123``); its answer is due after the category's service level
(``sla.py``). The customer is sent a "we got your request" confirmation with the number and
the expected answer time.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import clock, sequences
from dropline.core.uploads import UploadLike
from dropline.customers.models import CustomerAccount
from dropline.helpdesk.models import Ticket, TicketMessage, TicketStatus
from dropline.helpdesk.tickets import files as ticket_files
from dropline.helpdesk.tickets import notifying, sla, text


def ticket_number(value: int) -> str:
    return f"T-{value:06d}"


def open_ticket(
    *,
    account: CustomerAccount,
    person: User,
    category: str,
    subject: str,
    description: str,
    files: Sequence[UploadLike] = (),
) -> Ticket:
    """Open a ticket for ``account`` written by ``person`` (a member of it: the edge chose
    the account through the person's membership). Refusals (``SupportError``): ``invalid``
    naming ``category``, ``subject`` (1 to 120 characters) or ``description`` (1 to 5000),
    and the files' ``file_type``, ``file_too_large``, ``too_many_files``. Nothing is
    written when refused."""
    category = text.category(category)
    subject = text.checked(
        subject,
        field="subject",
        empty=_("Give your request a short subject."),
        limit=text.MAX_SUBJECT,
    )
    description = text.checked(
        description,
        field="description",
        empty=_("Tell us what you need help with."),
        limit=text.MAX_BODY,
    )
    with ticket_files.staged_files(files=files) as staged, transaction.atomic():
        now = clock.now()
        ticket = Ticket.objects.create(
            number=ticket_number(sequences.reserve(name="ticket")[0]),
            account=account,
            opened_by=person,
            category=category,
            subject=subject,
            status=TicketStatus.OPEN,
            due_at=sla.due_after(now, category=category),
            created_at=now,
            updated_at=now,
        )
        message = TicketMessage.objects.create(
            ticket=ticket, author=person, body=description, created_at=now
        )
        ticket_files.save(ticket=ticket, message=message, staged=staged)
        notifying.tell(ticket, notifying.TICKET_OPENED)
    return ticket
