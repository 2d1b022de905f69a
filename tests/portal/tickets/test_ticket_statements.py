"""The support request pages read a fixed number of statements: a long thread with files,
or many requests, costs no more queries than a short one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.helpdesk.tickets.replying import add_note, customer_reply, staff_reply
from tests.support.disputes import a_pdf
from tests.support.tickets import a_ticket, agent, customer

pytestmark = pytest.mark.django_db


def _statements(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def _household(name: str, *, tickets: int, rounds: int):
    """A household with ``tickets`` requests, the first with ``rounds`` rounds of a staff
    reply, an internal note and a customer reply with a file."""
    who = customer(name)
    staff = agent(f"{name}-agent")
    first = a_ticket(who, files=[a_pdf()])
    for _ in range(tickets - 1):
        a_ticket(who)
    for turn in range(rounds):
        staff_reply(ticket_id=first.pk, by=staff, body=f"Answer {turn}")
        add_note(ticket_id=first.pk, by=staff, body=f"Note {turn}")
        customer_reply(
            account=who.account,
            person=who.user,
            ticket_id=first.pk,
            body=f"Reply {turn}",
            files=[a_pdf(f"photo-{turn}.pdf")] if turn < 3 else [],
        )
    return who, first


@pytest.mark.parametrize("page", ["list", "detail"])
def test_a_longer_thread_or_more_requests_cost_no_more_statements(client, page):
    counts = []
    for name, tickets, rounds in (("short", 1, 1), ("long", 6, 4)):
        who, first = _household(name, tickets=tickets, rounds=rounds)
        client.force_login(who.user)
        url = (
            reverse("tickets:index")
            if page == "list"
            else reverse("tickets:detail", args=[first.pk])
        )
        counts.append(_statements(client, url))
    assert counts[0] == counts[1]
