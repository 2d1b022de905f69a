"""Support tickets for tests: a household, a customer-care agent, tickets opened and
answered through the product's own writes, and the files of each kind (from disputes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dropline.accounts.models import User
from dropline.accounts.roles import CUSTOMER_CARE
from dropline.core.uploads import UploadLike
from dropline.helpdesk.models import Ticket, TicketMessage
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.helpdesk.tickets.replying import add_note, staff_reply
from dropline.notifications.models import Message
from tests.support.factories import Customer, make_customer
from tests.support.staff import make_staff

SECRET_NOTE = "Internal: the modem firmware is the buggy 4.2 build, do not tell them yet"


def customer(username: str = "rivera") -> Customer:
    return make_customer(username=username, devices=0)


def agent(username: str = "agent") -> User:
    return make_staff(username=username, role=CUSTOMER_CARE, first_name="Sam")


def a_ticket(
    who: Customer,
    *,
    category: str = "internet",
    subject: str = "Internet drops every evening",
    description: str = "Since Monday the connection drops around 8 p.m.",
    files: Sequence[UploadLike] = (),
) -> Ticket:
    return open_ticket(
        account=who.account,
        person=who.user,
        category=category,
        subject=subject,
        description=description,
        files=files,
    )


def answered_with_note(who: Customer, staff: User) -> Ticket:
    """A ticket staff answered, with an internal note the customer must never see."""
    ticket = a_ticket(who)
    add_note(ticket_id=ticket.pk, by=staff, body=SECRET_NOTE)
    staff_reply(ticket_id=ticket.pk, by=staff, body="We reset your line; please try tonight.")
    ticket.refresh_from_db()
    return ticket


def messages_of(account: Any, event: str) -> list[Message]:
    """The messages of ``event`` sent to the account's people."""
    return list(Message.objects.filter(account=account, event=event).order_by("id"))


def thread_bodies(messages: Sequence[TicketMessage]) -> list[str]:
    return [message.body for message in messages]


def sweep_objects(who: Customer) -> tuple[dict[str, list[Any]], dict[frozenset[str], list[Any]]]:
    """For the cross-account sweep: a request of ``who``'s with a file, and its ids."""
    from tests.support.disputes import a_pdf

    ticket = a_ticket(
        who,
        subject="Ned's private request",
        description="Ned's private request text",
        files=[a_pdf("ned-ticket.pdf")],
    )
    attachment = ticket.attachments.get()
    return (
        {"ticket_id": [ticket.pk]},
        {
            frozenset({"ticket_id", "attachment_id"}): [
                {"ticket_id": ticket.pk, "attachment_id": attachment.pk}
            ]
        },
    )


def sweep_rows(account: Any) -> dict[str, list[dict[str, Any]]]:
    """Everything of the account's requests a request could change."""
    from dropline.helpdesk.models import TicketAttachment

    def rows(model: Any, **lookup: Any) -> list[dict[str, Any]]:
        return list(model._default_manager.filter(**lookup).order_by("pk").values())

    return {
        "tickets": rows(Ticket, account=account),
        "ticket_messages": rows(TicketMessage, ticket__account=account),
        "ticket_attachments": rows(TicketAttachment, ticket__account=account),
    }
