"""Escalating a ticket to a technician visit: the visit is booked for the household, the
ticket links it and says its window in the thread, the customer is told; a refused
booking leaves the ticket as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.field.models import Appointment, VisitWindow
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TicketStatus
from dropline.helpdesk.tickets.closing import staff_close
from dropline.helpdesk.tickets.desk import escalate_to_visit, merge
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.helpdesk.tickets.queries import customer_thread
from tests.support.notifications import Person
from tests.support.tickets import agent, messages_of
from tests.support.visits import household, local, window_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chicago")]


@pytest.fixture
def chicago() -> object:
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


def monday() -> dt.datetime:
    return local(2026, 3, 2, 9)


def ticket_of(person: Person):
    return open_ticket(
        account=person.account,
        person=person.user,
        category="internet",
        subject="Internet keeps dropping",
        description="Every evening since last week.",
    )


def test_escalating_books_links_and_says_the_window() -> None:
    person = household()
    staff = agent()
    with clock.frozen(monday()):
        ticket = ticket_of(person)
        window = window_at(person, local(2026, 3, 3, 10))
        visit = escalate_to_visit(
            ticket_id=ticket.pk, window_id=window.pk, reason="repair", by=staff
        )
    ticket.refresh_from_db()
    assert ticket.appointment == visit
    assert visit.account == person.account
    assert visit.booked_by == staff
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.due_at is None
    last = customer_thread(ticket)[-1]
    assert last.from_staff
    assert "Tuesday, March 3" in last.body
    assert messages_of(person.account, "ticket_visit")
    assert AuditEvent.objects.filter(action="ticket.escalated", actor=staff).exists()


def test_a_refused_booking_leaves_the_ticket_as_it_was() -> None:
    person = household(capacity=1)
    other = household("neighbor")
    staff = agent()
    with clock.frozen(monday()):
        ticket = ticket_of(person)
        window = window_at(person, local(2026, 3, 3, 10))
        # The neighbor takes the window's only place first.
        escalate_to_visit(
            ticket_id=ticket_of(other).pk, window_id=window.pk, reason="repair", by=staff
        )
        with pytest.raises(SupportError) as refused:
            escalate_to_visit(ticket_id=ticket.pk, window_id=window.pk, reason="repair", by=staff)
        assert refused.value.code == "full"
        with pytest.raises(SupportError) as wrong:
            escalate_to_visit(ticket_id=ticket.pk, window_id=window.pk, reason="party", by=staff)
        assert wrong.value.field == "reason"
    ticket.refresh_from_db()
    assert ticket.appointment is None
    assert ticket.status == TicketStatus.OPEN
    assert len(customer_thread(ticket)) == 1
    assert Appointment.objects.filter(account=person.account).count() == 0
    assert VisitWindow.objects.get(pk=window.pk).booked == 1
    assert not messages_of(person.account, "ticket_visit")


def test_no_escalation_of_a_closed_or_merged_ticket() -> None:
    person = household()
    staff = agent()
    with clock.frozen(monday()):
        closed = ticket_of(person)
        staff_close(ticket_id=closed.pk, by=staff)
        target = ticket_of(person)
        merged = ticket_of(person)
        merge(ticket_id=merged.pk, into_ticket_id=target.pk, by=staff)
        window = window_at(person, local(2026, 3, 3, 10))
        for ticket, code in ((closed, "closed"), (merged, "merged")):
            with pytest.raises(SupportError) as refused:
                escalate_to_visit(
                    ticket_id=ticket.pk, window_id=window.pk, reason="repair", by=staff
                )
            assert refused.value.code == code
    assert not Appointment.objects.exists()
