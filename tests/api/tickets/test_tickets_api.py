"""Support requests from the app: open one, list them a page at a time, read one, write
in it, download a file; bad input names the field and writes nothing; another account's
request and file answer 404; internal notes never appear."""

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.helpdesk.models import Ticket, TicketAttachment
from dropline.helpdesk.tickets.closing import staff_close
from dropline.helpdesk.tickets.desk import merge
from tests.support.disputes import a_pdf
from tests.support.tickets import SECRET_NOTE, a_ticket, agent, answered_with_note, customer

pytestmark = pytest.mark.django_db


def app_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(app: Client, url: str, body: dict):
    return app.post(url, body, content_type="application/json")


def test_anonymous_callers_are_refused():
    assert Client().get("/api/v1/tickets").status_code == 401
    assert post(Client(), "/api/v1/tickets", {}).status_code == 401


def test_open_read_and_write():
    who = customer()
    app = app_for(who.user)
    opened = post(
        app,
        "/api/v1/tickets",
        {"category": "internet", "subject": "No internet", "description": "Since 9 a.m."},
    )
    assert opened.status_code == 201
    body = opened.json()
    assert body["number"].startswith("T-")
    assert body["status"] == "open"
    assert body["due_at"] is not None
    assert [m["body"] for m in body["messages"]] == ["Since 9 a.m."]
    written = post(app, f"/api/v1/tickets/{body['id']}/messages", {"body": "Still down"})
    assert written.status_code == 201
    assert written.json()["from_staff"] is False
    read = app.get(f"/api/v1/tickets/{body['id']}").json()
    assert [m["body"] for m in read["messages"]] == ["Since 9 a.m.", "Still down"]


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"category": "plumbing", "subject": "s", "description": "d"}, "category", 400),
        ({"category": "tv", "subject": "", "description": "d"}, "subject", 400),
        ({"category": "tv", "subject": "x" * 121, "description": "d"}, "subject", 400),
        ({"category": "tv", "subject": "s", "description": " "}, "description", 400),
        ({"category": "tv", "subject": "s"}, "description", 422),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(body, field, status):
    who = customer()
    answer = post(app_for(who.user), "/api/v1/tickets", body)
    assert answer.status_code == status
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not Ticket.objects.exists()


def test_the_thread_never_has_an_internal_note():
    who = customer()
    ticket = answered_with_note(who, agent())
    read = app_for(who.user).get(f"/api/v1/tickets/{ticket.pk}")
    assert read.status_code == 200
    assert SECRET_NOTE not in read.content.decode()
    assert "firmware" not in read.content.decode()
    assert read.json()["status"] == "answered"
    assert [m["from_staff"] for m in read.json()["messages"]] == [False, True]


def test_the_list_pages_newest_first():
    who = customer()
    made = [a_ticket(who, subject=f"Question {n}") for n in range(3)]
    app = app_for(who.user)
    first = app.get("/api/v1/tickets?limit=2").json()
    assert [t["id"] for t in first["tickets"]] == [made[2].pk, made[1].pk]
    following = app.get(f"/api/v1/tickets?limit=2&before_id={first['next_before_id']}").json()
    assert [t["id"] for t in following["tickets"]] == [made[0].pk]
    assert following["next_before_id"] is None


def test_another_accounts_request_and_file_answer_404(uploads):
    who = customer()
    other = customer("chen")
    theirs = a_ticket(other, files=[a_pdf("theirs.pdf")])
    file = TicketAttachment.objects.get()
    app = app_for(who.user)
    assert app.get(f"/api/v1/tickets/{theirs.pk}").status_code == 404
    assert post(app, f"/api/v1/tickets/{theirs.pk}/messages", {"body": "hi"}).status_code == 404
    assert app.get(f"/api/v1/tickets/{theirs.pk}/files/{file.pk}").status_code == 404
    assert theirs.messages.count() == 1
    assert app.get("/api/v1/tickets").json()["tickets"] == []
    mine = app_for(other.user).get(f"/api/v1/tickets/{theirs.pk}/files/{file.pk}")
    assert mine.status_code == 200


def test_a_merged_or_long_closed_request_answers_409():
    who = customer()
    staff = agent()
    target = a_ticket(who)
    duplicate = a_ticket(who)
    merge(ticket_id=duplicate.pk, into_ticket_id=target.pk, by=staff)
    app = app_for(who.user)
    merged = post(app, f"/api/v1/tickets/{duplicate.pk}/messages", {"body": "hello"})
    assert merged.status_code == 409
    assert target.number in merged.json()["detail"]
    old = a_ticket(who)
    staff_close(ticket_id=old.pk, by=staff)
    # Closed eight days ago (moved back rather than the clock on: the session would end).
    Ticket.objects.filter(pk=old.pk).update(closed_at=clock.now() - dt.timedelta(days=8))
    late = post(app, f"/api/v1/tickets/{old.pk}/messages", {"body": "again"})
    assert late.status_code == 409
    assert late.json()["errors"][0]["field"] == "body"
