"""The back-office's queue and ticket page read a fixed number of statements: more
tickets in the queue, or a longer thread with notes and files, cost no more queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts import roles
from dropline.helpdesk.tickets.desk import assign
from dropline.helpdesk.tickets.replying import add_note, customer_reply, staff_reply
from tests.support.disputes import a_pdf
from tests.support.staff import make_staff
from tests.support.tickets import a_ticket, customer

pytestmark = pytest.mark.django_db


def _statements(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def _busy(name: str, staff, *, tickets: int, rounds: int):
    """``tickets`` requests of one household, each assigned; the first with ``rounds``
    rounds of reply, note and customer reply with a file."""
    who = customer(name)
    made = [a_ticket(who, files=[a_pdf()]) for _ in range(tickets)]
    for ticket in made:
        assign(ticket_id=ticket.pk, assignee_id=staff.pk, by=staff)
    first = made[0]
    for turn in range(rounds):
        staff_reply(ticket_id=first.pk, by=staff, body=f"Answer {turn}", files=[a_pdf()])
        add_note(ticket_id=first.pk, by=staff, body=f"Note {turn}")
        customer_reply(
            account=who.account, person=who.user, ticket_id=first.pk, body=f"Reply {turn}"
        )
    return first


def test_more_tickets_or_a_longer_thread_cost_no_more_statements(client):
    staff = make_staff(username="ana", role=roles.CUSTOMER_CARE, first_name="Ana")
    client.force_login(staff)
    queue, page = [], []
    for name, tickets, rounds in (("few", 1, 1), ("many", 6, 4)):
        first = _busy(name, staff, tickets=tickets, rounds=rounds)
        queue.append(_statements(client, reverse("backoffice:tickets")))
        page.append(_statements(client, reverse("backoffice:ticket", args=[first.pk])))
    assert queue[0] == queue[1]
    assert page[0] == page[1]
