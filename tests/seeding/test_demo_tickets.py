"""The demo's support requests: one answered by customer care (with an internal note the
household never sees), one from last month closed and rated; their messages delivered
and read. A second run adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from dropline.helpdesk.models import Ticket, TicketStatus
from dropline.notifications.models import Message
from dropline.seeding.demo import tickets
from dropline.seeding.demo.household import loaded_account

pytestmark = pytest.mark.django_db


def test_the_demo_requests(demo):
    account = loaded_account()
    assert account is not None
    answered = Ticket.objects.get(account=account, subject=tickets.ANSWERED_SUBJECT)
    assert answered.status == TicketStatus.ANSWERED
    assert answered.messages.filter(internal=True, author__username="care").count() == 1
    closed = Ticket.objects.get(account=account, subject=tickets.CLOSED_SUBJECT)
    assert closed.status == TicketStatus.CLOSED
    assert closed.rating == 5
    assert closed.created_at < answered.created_at
    told = Message.objects.filter(account=account, event__startswith="ticket_")
    assert set(told.values_list("event", flat=True)) == {"ticket_opened", "ticket_reply"}
    assert told.filter(channel="in_app").exists()
    assert not told.filter(channel="in_app", read_at__isnull=True).exists()
    assert not told.exclude(channel="in_app").exclude(status="sent").exists()
    assert tickets.load() == 0

    client = Client()
    client.force_login(account.members.get(role="holder").user)
    page = client.get(f"/support/tickets/{answered.pk}/").content.decode()
    assert "join the 5 GHz network" in page.replace("joining", "join")
    assert "congestion" not in page
    listing = client.get("/support/tickets/").content.decode()
    assert answered.number in listing
    assert closed.number in listing
