"""Staff's side: internal notes the customer never sees or hears of, assigning, merging
duplicates, closing and the customer's rating."""

import pytest

from dropline.core.models import AuditEvent
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TicketMessage, TicketStatus
from dropline.helpdesk.tickets.closing import close, rate, staff_close
from dropline.helpdesk.tickets.desk import assign, merge
from dropline.helpdesk.tickets.queries import customer_thread, staff_queue, tickets_for
from dropline.helpdesk.tickets.replying import add_note, customer_reply
from dropline.notifications.models import Message
from tests.support.factories import make_user
from tests.support.tickets import (
    SECRET_NOTE,
    a_ticket,
    agent,
    answered_with_note,
    customer,
    messages_of,
    thread_bodies,
)

pytestmark = pytest.mark.django_db


def test_an_internal_note_is_never_in_the_thread_nor_in_any_message():
    who = customer()
    staff = agent()
    ticket = answered_with_note(who, staff)
    assert SECRET_NOTE not in thread_bodies(customer_thread(ticket))
    assert TicketMessage.objects.filter(ticket=ticket, internal=True).count() == 1
    for message in Message.objects.all():
        assert "firmware" not in message.body_text
        assert "firmware" not in message.body_html
        assert "firmware" not in message.subject


def test_a_note_changes_nothing_the_customer_sees():
    who = customer()
    staff = agent()
    ticket = a_ticket(who)
    before = (ticket.status, ticket.due_at, ticket.updated_at)
    add_note(ticket_id=ticket.pk, by=staff, body="Checked the line: fine.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.due_at, ticket.updated_at) == before
    assert (
        not Message.objects.filter(event__startswith="ticket_")
        .exclude(event="ticket_opened")
        .exists()
    )
    assert AuditEvent.objects.filter(action="ticket.note_added", actor=staff).exists()


def test_assign_only_to_staff_who_handle_tickets():
    who = customer()
    staff = agent()
    ticket = a_ticket(who)
    assign(ticket_id=ticket.pk, assignee_id=staff.pk, by=staff)
    ticket.refresh_from_db()
    assert ticket.assigned_to == staff
    assert list(staff_queue(assigned_to=staff.pk)) == [ticket]
    outsider = make_user(username="clerk", is_staff=True)
    for wrong in (outsider.pk, who.user.pk, 999999):
        with pytest.raises(SupportError) as refused:
            assign(ticket_id=ticket.pk, assignee_id=wrong, by=staff)
        assert refused.value.field == "assignee_id"
    ticket.refresh_from_db()
    assert ticket.assigned_to == staff
    assign(ticket_id=ticket.pk, assignee_id=None, by=staff)
    ticket.refresh_from_db()
    assert ticket.assigned_to is None
    assert AuditEvent.objects.filter(action="ticket.assigned").count() == 2


def test_merge_keeps_the_thread_readable_and_says_so_in_the_target():
    who = customer()
    staff = agent()
    target = a_ticket(who, subject="No internet")
    duplicate = a_ticket(who, subject="Internet down again")
    merged = merge(ticket_id=duplicate.pk, into_ticket_id=target.pk, by=staff)
    assert merged == target
    duplicate.refresh_from_db()
    assert duplicate.status == TicketStatus.MERGED
    assert duplicate.merged_into == target
    assert thread_bodies(customer_thread(duplicate)) == [
        "Since Monday the connection drops around 8 p.m."
    ]
    note = customer_thread(target)[-1]
    assert duplicate.number in note.body
    assert note.from_staff
    assert not note.internal
    assert messages_of(who.account, "ticket_merged")
    with pytest.raises(SupportError) as refused:
        customer_reply(account=who.account, person=who.user, ticket_id=duplicate.pk, body="x")
    assert refused.value.code == "merged"


def test_merge_refusals():
    who = customer()
    other = customer("chen")
    staff = agent()
    first = a_ticket(who)
    second = a_ticket(who)
    theirs = a_ticket(other)
    closed = a_ticket(who)
    staff_close(ticket_id=closed.pk, by=staff)
    for source, into in ((first, first), (first, theirs), (first, closed)):
        with pytest.raises(SupportError) as refused:
            merge(ticket_id=source.pk, into_ticket_id=into.pk, by=staff)
        assert refused.value.field == "into_ticket_id"
    merge(ticket_id=second.pk, into_ticket_id=first.pk, by=staff)
    with pytest.raises(SupportError):
        merge(ticket_id=first.pk, into_ticket_id=second.pk, by=staff)  # into a merged one
    with pytest.raises(SupportError) as again:
        merge(ticket_id=second.pk, into_ticket_id=first.pk, by=staff)
    assert again.value.code == "merged"
    first.refresh_from_db()
    assert first.status == TicketStatus.OPEN
    assert list(tickets_for(account=other.account)) == [theirs]


def test_rating_once_and_only_when_closed():
    who = customer()
    ticket = a_ticket(who)
    with pytest.raises(SupportError) as early:
        rate(account=who.account, person=who.user, ticket_id=ticket.pk, rating=5)
    assert early.value.code == "not_closed"
    close(account=who.account, person=who.user, ticket_id=ticket.pk)
    for wrong in (0, 6, True):
        with pytest.raises(SupportError) as refused:
            rate(account=who.account, person=who.user, ticket_id=ticket.pk, rating=wrong)
        assert refused.value.field == "rating"
    with pytest.raises(SupportError) as long:
        rate(account=who.account, person=who.user, ticket_id=ticket.pk, rating=4, comment="x" * 501)
    assert long.value.field == "comment"
    rated = rate(
        account=who.account, person=who.user, ticket_id=ticket.pk, rating=4, comment=" Quick "
    )
    assert (rated.rating, rated.rating_comment) == (4, "Quick")
    with pytest.raises(SupportError) as twice:
        rate(account=who.account, person=who.user, ticket_id=ticket.pk, rating=1)
    assert twice.value.code == "already_rated"
    rated.refresh_from_db()
    assert rated.rating == 4


def test_closing_twice_is_refused_and_another_account_cannot_close():
    who = customer()
    other = customer("chen")
    ticket = a_ticket(who)
    with pytest.raises(SupportError) as refused:
        close(account=other.account, person=other.user, ticket_id=ticket.pk)
    assert refused.value.code == "not_found"
    close(account=who.account, person=who.user, ticket_id=ticket.pk)
    with pytest.raises(SupportError) as twice:
        close(account=who.account, person=who.user, ticket_id=ticket.pk)
    assert twice.value.code == "closed"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.due_at is None
