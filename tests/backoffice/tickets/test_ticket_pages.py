"""The tickets queue and a ticket for staff: who may open and do what, replies that reach
the customer, internal notes that never do, the saved-reply picker, assigning, merging
(never across accounts), closing, the overdue filter and tile, and the customer hub."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.helpdesk.models import Ticket, TicketMessage, TicketStatus
from dropline.helpdesk.tickets.saved_replies import add_saved_reply
from dropline.helpdesk.tickets.sla import response_hours
from dropline.notifications.models import Message
from tests.support.disputes import a_pdf
from tests.support.staff import make_staff
from tests.support.tickets import SECRET_NOTE, a_ticket, customer

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def who():
    return customer()


@pytest.fixture
def agent(client):
    staff = make_staff(username="agent", role=roles.CUSTOMER_CARE, first_name="Ana")
    client.force_login(staff)
    return staff


def _url(name: str, ticket: Ticket, *more: int) -> str:
    return reverse(f"backoffice:{name}", args=[ticket.pk, *more])


def test_who_may_open_the_tickets_pages(client, who):
    ticket = a_ticket(who, files=[a_pdf()])
    file = ticket.attachments.get()
    pages = [
        reverse("backoffice:tickets"),
        _url("ticket", ticket),
        _url("ticket_file", ticket, file.pk),
        reverse("backoffice:saved_replies"),
        reverse("backoffice:service_levels"),
    ]
    for url in pages:
        assert urlsplit(client.get(url).url).path == reverse("backoffice:login")
    # A role without help-desk permissions: refused everywhere, reading and writing.
    client.force_login(make_staff(username="nobody", role=None))
    for url in pages:
        assert client.get(url).status_code == 403
    assert client.post(_url("ticket_reply", ticket), {"body": "Hello"}).status_code == 403
    assert not ticket.messages.filter(from_staff=True).exists()


def test_field_dispatch_reads_tickets_but_cannot_reply_note_or_change_them(client, who):
    ticket = a_ticket(who, files=[a_pdf()])
    client.force_login(make_staff(username="dispatch", role=roles.FIELD_DISPATCH))
    assert client.get(reverse("backoffice:tickets")).status_code == 200
    page = client.get(_url("ticket", ticket))
    assert page.status_code == 200
    text = words(page)
    assert "Internet drops every evening" in text
    assert "Send the reply" not in text
    assert "Add an internal note" not in text
    assert "Assign to me" not in text
    assert "Close the ticket" not in text
    # The files are for staff who may read them: not this role.
    file = ticket.attachments.get()
    assert f'href="{_url("ticket_file", ticket, file.pk)}"' not in page.content.decode()
    assert client.get(_url("ticket_file", ticket, file.pk)).status_code == 403
    for name, data in [
        ("ticket_reply", {"body": "We are on it."}),
        ("ticket_note", {"body": "Looked at it."}),
        ("ticket_close", {}),
        ("ticket_assign", {"to_me": "1"}),
    ]:
        assert client.post(_url(name, ticket), data).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.assigned_to is None
    assert ticket.messages.count() == 1


def test_a_reply_reaches_the_customer(client, who, agent):
    ticket = a_ticket(who)
    response = client.post(
        _url("ticket_reply", ticket),
        {"body": "We reset your line; please try again tonight.", "attachments": [a_pdf()]},
        follow=True,
    )
    assert "The reply is sent; the customer is told." in words(response)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.due_at is None
    told = Message.objects.filter(account=who.account, event="ticket_reply")
    assert told.exists()
    assert all(message.user_id == who.user.pk for message in told)
    reply = ticket.messages.get(from_staff=True)
    assert reply.attachments.count() == 1


def test_an_empty_reply_is_refused_by_field_and_nothing_is_sent(client, who, agent):
    ticket = a_ticket(who)
    response = client.post(_url("ticket_reply", ticket), {"body": "   "})
    assert response.status_code == 400
    assert "The reply was not sent" in words(response)
    assert not ticket.messages.filter(from_staff=True).exists()
    assert not Message.objects.filter(event="ticket_reply").exists()


def test_an_internal_note_is_marked_for_staff_and_never_reaches_the_customer(client, who, agent):
    ticket = a_ticket(who)
    told_before = Message.objects.filter(account=who.account).count()
    response = client.post(_url("ticket_note", ticket), {"body": SECRET_NOTE}, follow=True)
    text = words(response)
    assert "The internal note is saved. The customer is not told." in text
    assert "Internal note — the customer never sees this" in text
    assert SECRET_NOTE in text
    assert Message.objects.filter(account=who.account).count() == told_before
    for message in Message.objects.all():
        assert "firmware" not in f"{message.subject} {message.body_text} {message.body_html}"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN  # still waiting for us
    # The customer's own view of the thread does not have it.
    portal = Client()
    portal.force_login(who.user)
    detail = portal.get(reverse("tickets:detail", args=[ticket.pk]))
    assert detail.status_code == 200
    assert "Since Monday the connection drops" in detail.content.decode()
    assert "firmware" not in detail.content.decode()


def test_the_saved_reply_picker_fills_the_reply_without_a_script(client, who, agent):
    ticket = a_ticket(who)
    reply = add_saved_reply(
        title="Restart the modem",
        language="en",
        body="Please unplug the modem for 30 seconds.",
        by=agent,
    )
    page = client.get(_url("ticket", ticket))
    assert "Restart the modem (English)" in words(page)
    filled = client.get(_url("ticket", ticket), {"saved_reply": reply.pk})
    html = filled.content.decode()
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*Please unplug the modem', html)
    # The script's data: the same text, for inserting without a reload.
    assert 'id="saved-reply-bodies"' in html
    assert "dropline/saved_replies" in html


def test_assign_to_me_to_a_colleague_and_back_to_nobody(client, who, agent):
    ticket = a_ticket(who)
    colleague = make_staff(username="billy", role=roles.BILLING, first_name="Billy")
    outsider = make_staff(username="dispatch", role=roles.FIELD_DISPATCH)
    response = client.post(_url("ticket_assign", ticket), {"to_me": "1"}, follow=True)
    assert "The ticket is assigned to you." in words(response)
    ticket.refresh_from_db()
    assert ticket.assigned_to == agent
    response = client.post(_url("ticket_assign", ticket), {"assignee": colleague.pk}, follow=True)
    assert "The ticket is assigned to Billy" in words(response)
    ticket.refresh_from_db()
    assert ticket.assigned_to == colleague
    # Staff who do not handle tickets are not offered and are refused.
    assert f'value="{outsider.pk}"' not in client.get(_url("ticket", ticket)).content.decode()
    refused = client.post(_url("ticket_assign", ticket), {"assignee": outsider.pk})
    assert refused.status_code == 400
    ticket.refresh_from_db()
    assert ticket.assigned_to == colleague
    client.post(_url("ticket_assign", ticket), {"assignee": ""})
    ticket.refresh_from_db()
    assert ticket.assigned_to is None


def test_merge_into_a_ticket_of_the_same_account_by_number(client, who, agent):
    first = a_ticket(who, subject="No internet")
    duplicate = a_ticket(who, subject="Still no internet")
    response = client.post(
        _url("ticket_merge", duplicate), {"into": first.number.lower()}, follow=True
    )
    assert response.redirect_chain[-1][0] == _url("ticket", first)
    assert f"Ticket {duplicate.number} is merged into this one." in words(response)
    duplicate.refresh_from_db()
    assert duplicate.status == TicketStatus.MERGED
    assert duplicate.merged_into == first
    page = words(client.get(_url("ticket", duplicate)))
    assert f"This ticket is merged into ticket {first.number}" in page
    assert "Send the reply" not in page


def test_merge_across_accounts_is_refused_and_changes_nothing(client, who, agent):
    mine = a_ticket(who)
    other = a_ticket(customer("okafor"))
    response = client.post(_url("ticket_merge", mine), {"into": other.number})
    assert response.status_code == 400
    assert "Merge only into an open request of the same account." in words(response)
    for ticket in (mine, other):
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.OPEN
        assert ticket.merged_into is None
    assert not TicketMessage.objects.filter(ticket=other, from_staff=True).exists()
    unknown = client.post(_url("ticket_merge", mine), {"into": "T-NOPE"})
    assert unknown.status_code == 400
    assert "No ticket has this number." in words(unknown)


def test_close(client, who, agent):
    ticket = a_ticket(who)
    response = client.post(_url("ticket_close", ticket), follow=True)
    assert "The ticket is closed." in words(response)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    again = client.post(_url("ticket_close", ticket), follow=True)
    assert "already closed" in words(again)


def _queue_numbers(client: Client, **params: str) -> list[str]:
    html = client.get(reverse("backoffice:tickets"), params).content.decode()
    return re.findall(r'<a href="/backoffice/tickets/\d+/">([^<]+)</a>', html)


def _overdue_marks(client: Client) -> list[str]:
    """The tickets whose row says "Overdue"."""
    html = client.get(reverse("backoffice:tickets")).content.decode()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [
        re.search(r'/backoffice/tickets/\d+/">([^<]+)<', row).group(1)  # type: ignore[union-attr]
        for row in rows
        if ">Overdue<" in row
    ]


def test_the_overdue_filter_follows_the_clock(client, who, agent):
    start = clock.now()
    with clock.frozen(start):
        internet = a_ticket(who, category="internet")
        billing = a_ticket(who, category="billing", subject="A charge I do not know")
    hours = response_hours("internet")
    assert response_hours("billing") > hours
    with clock.frozen(start + dt.timedelta(hours=hours) - dt.timedelta(minutes=1)):
        assert _queue_numbers(client, overdue="on") == []
        assert _overdue_marks(client) == []
    with clock.frozen(start + dt.timedelta(hours=hours, minutes=1)):
        assert _queue_numbers(client, overdue="on") == [internet.number]
        # Sorted by due time; the overdue one says so in words.
        assert _queue_numbers(client) == [internet.number, billing.number]
        assert _overdue_marks(client) == [internet.number]
        # Answered, it waits for nobody.
        client.post(_url("ticket_reply", internet), {"body": "Fixed, we think."})
        assert _queue_numbers(client, overdue="on") == []


def test_the_queue_filters_by_category_and_assignee(client, who, agent):
    internet = a_ticket(who, category="internet")
    tv = a_ticket(who, category="tv", subject="No picture")
    client.post(_url("ticket_assign", tv), {"to_me": "1"})
    assert _queue_numbers(client, category="tv") == [tv.number]
    assert _queue_numbers(client, assigned="me") == [tv.number]
    assert _queue_numbers(client, assigned="nobody") == [internet.number]
    client.post(_url("ticket_close", internet))
    assert internet.number not in _queue_numbers(client)
    assert _queue_numbers(client, status="closed") == [internet.number]


def _attention(client: Client) -> str:
    html = client.get(reverse("backoffice:home")).content.decode()
    start = html.index('id="attention-heading"')
    return html[start : html.index("</section>", start)]


def test_the_home_tile_counts_overdue_tickets_and_opens_the_filtered_queue(client, who, agent):
    start = clock.now()
    with clock.frozen(start):
        a_ticket(who, category="internet")
        a_ticket(who, category="internet", subject="Again")
        late_not = a_ticket(who, category="other", subject="A question")
    later = start + dt.timedelta(hours=response_hours("internet") + 1)
    assert later < start + dt.timedelta(hours=response_hours("other"))
    with clock.frozen(later):
        attention = _attention(client)
        assert re.search(
            r'<p class="count">2</p>\s*<p>tickets waiting for us past their answer time</p>',
            attention,
        )
        link = re.search(r'href="([^"]+)">See overdue tickets', attention).group(1)  # type: ignore[union-attr]
        numbers = re.findall(
            r'<a href="/backoffice/tickets/\d+/">([^<]+)</a>',
            client.get(link.replace("&amp;", "&")).content.decode(),
        )
        assert len(numbers) == 2
        assert late_not.number not in numbers
    # Staff whose role has no tickets do not see the tile.
    client.force_login(make_staff(username="nobody", role=None))
    assert "past their answer time" not in client.get(reverse("backoffice:home")).content.decode()


def test_the_customer_hub_lists_the_accounts_tickets_only_when_there_are_any(client, who, agent):
    hub = reverse("backoffice:customer", args=[who.account.number])
    assert 'id="tickets-heading"' not in client.get(hub).content.decode()
    ticket = a_ticket(who)
    a_ticket(customer("okafor"), subject="Someone else's trouble")
    html = client.get(hub).content.decode()
    assert 'id="tickets-heading"' in html
    assert f'href="{_url("ticket", ticket)}"' in html
    assert "Someone else" not in html
