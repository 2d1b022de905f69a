"""Opening a ticket and the thread's rules: what is refused (naming the field, writing
nothing), the number, the due time from the service level, and who is told."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.core import clock
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import ServiceLevel, Ticket, TicketMessage, TicketStatus
from dropline.helpdesk.tickets import sla
from dropline.helpdesk.tickets.closing import close
from dropline.helpdesk.tickets.replying import customer_reply, staff_reply
from dropline.notifications.models import Message
from tests.support.examples import examples
from tests.support.tickets import a_ticket, agent, customer, messages_of

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "plumbing"}, "category"),
        ({"category": ""}, "category"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 121}, "subject"),
        ({"description": ""}, "description"),
        ({"description": "y" * 5001}, "description"),
    ],
)
def test_a_bad_request_names_its_field_and_writes_nothing(fields, field):
    who = customer()
    with pytest.raises(SupportError) as refused:
        a_ticket(who, **fields)
    assert refused.value.field == field
    assert refused.value.code == "invalid"
    assert not Ticket.objects.exists()
    assert not TicketMessage.objects.exists()
    assert not messages_of(who.account, "ticket_opened")


def test_the_longest_subject_and_description_are_taken():
    who = customer()
    ticket = a_ticket(who, subject="s" * 120, description="d" * 5000)
    assert len(ticket.subject) == 120
    assert ticket.messages.get().body == "d" * 5000


def test_opening_numbers_the_ticket_and_confirms_with_the_answer_time():
    who = customer()
    with clock.frozen(NOON):
        first = a_ticket(who)
        second = a_ticket(who, category="billing", subject="A charge I do not know")
    assert first.number.startswith("T-")
    assert len(first.number) == 8
    assert int(second.number[2:]) == int(first.number[2:]) + 1
    assert first.status == TicketStatus.OPEN
    assert first.due_at == NOON + dt.timedelta(hours=8)  # internet's default
    assert second.due_at == NOON + dt.timedelta(hours=24)  # billing's default
    sent = messages_of(who.account, "ticket_opened")
    assert sent, "the customer is told the request arrived"
    assert all(first.number in m.body_text or second.number in m.body_text for m in sent)
    assert any("We will answer by" in m.body_text for m in sent)


def test_a_service_level_row_beats_the_default():
    ServiceLevel.objects.create(category="tv", response_hours=2)
    who = customer()
    with clock.frozen(NOON):
        ticket = a_ticket(who, category="tv")
    assert ticket.due_at == NOON + dt.timedelta(hours=2)


@settings(max_examples=examples(200), deadline=None)
@given(
    hours=st.integers(min_value=1, max_value=24 * 14),
    earlier=st.none() | st.integers(min_value=-24 * 30, max_value=24 * 30),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 365),
)
def test_a_customer_message_never_pushes_a_due_time_later(hours, earlier, minutes):
    moment = NOON + dt.timedelta(minutes=minutes)
    current = None if earlier is None else moment + dt.timedelta(hours=earlier)
    due = sla.next_due(waiting_since_due=current, moment=moment, hours=hours)
    fresh = moment + dt.timedelta(hours=hours)
    assert due <= fresh, "never later than the service level from this message"
    if current is None or current >= fresh:
        assert due == fresh
    else:
        assert due == current, "an earlier promise stands"


def test_due_times_follow_the_thread():
    who = customer()
    staff = agent()
    with clock.frozen(NOON):
        ticket = a_ticket(who)
    first_due = ticket.due_at
    with clock.frozen(NOON + dt.timedelta(hours=3)):
        customer_reply(account=who.account, person=who.user, ticket_id=ticket.pk, body="Still down")
    ticket.refresh_from_db()
    assert ticket.due_at == first_due, "a second message does not move an earlier due time"
    with clock.frozen(NOON + dt.timedelta(hours=4)):
        staff_reply(ticket_id=ticket.pk, by=staff, body="Looking into it")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.due_at is None
    later = NOON + dt.timedelta(days=2)
    with clock.frozen(later):
        customer_reply(account=who.account, person=who.user, ticket_id=ticket.pk, body="Again")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.due_at == later + dt.timedelta(hours=8)


def test_each_staff_reply_tells_the_customer_once():
    who = customer()
    staff = agent()
    ticket = a_ticket(who)
    staff_reply(ticket_id=ticket.pk, by=staff, body="First answer")
    staff_reply(ticket_id=ticket.pk, by=staff, body="Second answer")
    replies = messages_of(who.account, "ticket_reply")
    assert len({m.subject_key for m in replies}) == 2
    assert all(m.category == "support" for m in replies)


def test_a_customer_reply_tells_no_customer():
    who = customer()
    ticket = a_ticket(who)
    customer_reply(account=who.account, person=who.user, ticket_id=ticket.pk, body="More info")
    assert not messages_of(who.account, "ticket_reply")
    assert not Message.objects.filter(account=who.account).exclude(event="ticket_opened")


def test_another_accounts_ticket_is_not_found():
    who = customer()
    other = customer("chen")
    theirs = a_ticket(other)
    with pytest.raises(SupportError) as refused:
        customer_reply(account=who.account, person=who.user, ticket_id=theirs.pk, body="Hi")
    assert refused.value.code == "not_found"
    assert theirs.messages.count() == 1


def test_a_closed_ticket_reopens_within_seven_days_only():
    who = customer()
    with clock.frozen(NOON):
        ticket = a_ticket(who)
        close(account=who.account, person=who.user, ticket_id=ticket.pk)
    with clock.frozen(NOON + dt.timedelta(days=7)):
        customer_reply(account=who.account, person=who.user, ticket_id=ticket.pk, body="Back")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.closed_at is None
    with clock.frozen(NOON + dt.timedelta(days=8)):
        close(account=who.account, person=who.user, ticket_id=ticket.pk)
    with (
        clock.frozen(NOON + dt.timedelta(days=15, minutes=1)),
        pytest.raises(SupportError) as refused,
    ):
        customer_reply(account=who.account, person=who.user, ticket_id=ticket.pk, body="Late")
    assert refused.value.code == "closed"
    assert refused.value.field == "body"
    assert ticket.messages.count() == 2


def test_each_person_is_told_in_their_language():
    who = customer()
    who.user.preferred_language = "es"
    who.user.save(update_fields=["preferred_language"])
    with clock.frozen(NOON):
        ticket = a_ticket(who, subject="Sin internet")
    staff_reply(ticket_id=ticket.pk, by=agent(), body="Lo revisamos")
    opened = messages_of(who.account, "ticket_opened")[0]
    assert opened.language == "es"
    assert f"Recibimos su solicitud {ticket.number}" in opened.subject
    assert "Le responderemos a más tardar" in opened.body_text
    reply = messages_of(who.account, "ticket_reply")[0]
    assert "Respondimos su solicitud" in reply.body_text
    assert reply.link == f"/support/tickets/{ticket.pk}/"
