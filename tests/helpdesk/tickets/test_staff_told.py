"""A customer's reply reaches the staff member handling the request, by email through the
outbox: the assignee, else whoever answered last; never a note's author, an inactive
account, or anyone when nobody has taken or answered the request."""

import pytest

from dropline.helpdesk.tickets.desk import assign
from dropline.helpdesk.tickets.replying import add_note, customer_reply, staff_reply
from dropline.notifications.categories import Category
from dropline.notifications.models import Message
from dropline.notifications.preferences import preference_grid, set_preferences
from tests.support.tickets import SECRET_NOTE, a_ticket, agent, customer

pytestmark = pytest.mark.django_db

EVENT = "ticket_customer_reply"


def _told() -> list[Message]:
    return list(Message.objects.filter(event=EVENT).order_by("id"))


def _reply(who, ticket, body: str = "It dropped again at 8 p.m.") -> None:
    customer_reply(account=who.account, person=who.user, ticket_id=ticket.pk, body=body)


def test_the_assignee_is_emailed_of_each_customer_reply():
    who = customer()
    sam, kim = agent("sam"), agent("kim")
    ticket = a_ticket(who)
    staff_reply(ticket_id=ticket.pk, by=kim, body="Please restart the modem.")
    assign(ticket_id=ticket.pk, assignee_id=sam.pk, by=kim)
    _reply(who, ticket)
    _reply(who, ticket, "Still dropping.")
    told = _told()
    assert [(m.user_id, m.channel, m.to_address) for m in told] == [
        (sam.pk, "email", sam.email),
        (sam.pk, "email", sam.email),
    ]
    first = told[0]
    assert first.category == Category.SUPPORT
    assert first.account_id is None
    assert first.subject == f"Request {ticket.number}: the customer replied"
    assert first.link == f"/backoffice/tickets/{ticket.pk}/"
    assert f"/backoffice/tickets/{ticket.pk}/" in first.body_text
    # Who wrote what stays in the back-office: the customer's words are not in the email.
    assert "dropped again" not in first.body_text + first.body_html
    assert not Message.objects.filter(event=EVENT, user=who.user).exists()


def test_without_an_assignee_the_last_to_answer_is_told_not_a_notes_author():
    who = customer()
    kim, lee = agent("kim"), agent("lee")
    ticket = a_ticket(who)
    staff_reply(ticket_id=ticket.pk, by=kim, body="Please restart the modem.")
    add_note(ticket_id=ticket.pk, by=lee, body=SECRET_NOTE)
    _reply(who, ticket)
    assert [m.user_id for m in _told()] == [kim.pk]


def test_a_request_nobody_took_or_answered_tells_nobody():
    who = customer()
    ticket = a_ticket(who)
    _reply(who, ticket)
    assert _told() == []


def test_an_assignee_who_left_is_not_emailed():
    who = customer()
    sam = agent("sam")
    ticket = a_ticket(who)
    assign(ticket_id=ticket.pk, assignee_id=sam.pk, by=sam)
    sam.is_active = False
    sam.save(update_fields=["is_active"])
    _reply(who, ticket)
    assert _told() == []


def test_staff_who_switched_support_emails_off_are_not_emailed():
    who = customer()
    sam = agent("sam")
    ticket = a_ticket(who)
    assign(ticket_id=ticket.pk, assignee_id=sam.pk, by=sam)
    grid = preference_grid(user=sam)
    grid[Category.SUPPORT]["email"] = False
    set_preferences(user=sam, grid=grid)
    _reply(who, ticket)
    assert _told() == []


def test_staff_are_told_in_their_own_language():
    who = customer()
    sam = agent("sam")
    sam.preferred_language = "es"
    sam.save(update_fields=["preferred_language"])
    ticket = a_ticket(who, subject="Internet drops")
    assign(ticket_id=ticket.pk, assignee_id=sam.pk, by=sam)
    _reply(who, ticket)
    (told,) = _told()
    assert told.language == "es"
    assert told.subject == f"Solicitud {ticket.number}: el cliente respondió"
    assert f"El cliente respondió en la solicitud {ticket.number}, «Internet drops»." in (
        told.body_text
    )
