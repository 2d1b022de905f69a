"""Closing a support request and rating the help from the app, with the web's rules: a
closed request says so and can be rated once, 1 to 5 stars, only while closed; closing
twice, or a merged request, is a 409; bad input names the field and changes nothing;
another account's request answers 404 and is left as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dropline.helpdesk.models import Ticket
from dropline.helpdesk.tickets.closing import staff_close
from dropline.helpdesk.tickets.desk import merge
from tests.support.tickets import a_ticket, agent, customer

pytestmark = pytest.mark.django_db


def app_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(app: Client, url: str, body: dict[str, Any] | None = None, **extra: Any) -> Any:
    return app.post(url, body or {}, content_type="application/json", **extra)


def snapshot(ticket: Ticket) -> dict[str, Any]:
    return dict(Ticket.objects.filter(pk=ticket.pk).values().get())


def test_close_then_rate_once():
    who = customer()
    ticket = a_ticket(who)
    app = app_for(who.user)

    closed = post(app, f"/api/v1/tickets/{ticket.pk}/close")

    assert closed.status_code == 200
    body = closed.json()
    assert body["status"] == "closed"
    assert body["closed_at"] is not None
    assert body["due_at"] is None  # nobody is waiting for us any more
    assert body["rating"] is None
    assert [m["body"] for m in body["messages"]] == [ticket.messages.get().body]

    rated = post(
        app, f"/api/v1/tickets/{ticket.pk}/rating", {"rating": 4, "comment": "  Quick help. "}
    )

    assert rated.status_code == 200
    assert rated.json()["rating"] == 4
    assert app.get(f"/api/v1/tickets/{ticket.pk}").json()["rating"] == 4
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Quick help.")
    # The web's request page shows it rated, with no form to rate again.
    page = app.get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert "You rated our help 4 stars out of 5." in page
    assert 'name="rating"' not in page

    again = post(app, f"/api/v1/tickets/{ticket.pk}/rating", {"rating": 1})
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "rating"
    ticket.refresh_from_db()
    assert ticket.rating == 4


def test_closing_a_closed_request_is_409_and_changes_nothing():
    who = customer()
    ticket = a_ticket(who)
    staff_close(ticket_id=ticket.pk, by=agent())
    before = snapshot(ticket)

    answer = post(app_for(who.user), f"/api/v1/tickets/{ticket.pk}/close")

    assert answer.status_code == 409
    assert answer.json()["detail"] == "This request is already closed."
    assert snapshot(ticket) == before


def test_a_merged_request_cannot_be_closed_or_rated():
    who = customer()
    kept, merged = a_ticket(who), a_ticket(who, subject="The same again")
    merge(ticket_id=merged.pk, into_ticket_id=kept.pk, by=agent())
    before = snapshot(merged)
    app = app_for(who.user)

    assert post(app, f"/api/v1/tickets/{merged.pk}/close").status_code == 409
    assert post(app, f"/api/v1/tickets/{merged.pk}/rating", {"rating": 5}).status_code == 409
    assert snapshot(merged) == before


def test_an_open_request_cannot_be_rated_yet():
    who = customer()
    ticket = a_ticket(who)
    before = snapshot(ticket)

    answer = post(app_for(who.user), f"/api/v1/tickets/{ticket.pk}/rating", {"rating": 5})

    assert answer.status_code == 409
    assert answer.json()["errors"] == [
        {"field": "rating", "reason": "You can rate the help once the request is closed."}
    ]
    assert snapshot(ticket) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "five"}, "rating"),
        ({}, "rating"),
        ({"rating": 5, "comment": "x" * 501}, "comment"),
    ],
)
def test_a_bad_rating_names_the_field_and_changes_nothing(body, field):
    who = customer()
    ticket = a_ticket(who)
    staff_close(ticket_id=ticket.pk, by=agent())
    before = snapshot(ticket)

    answer = post(app_for(who.user), f"/api/v1/tickets/{ticket.pk}/rating", body)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert snapshot(ticket) == before


def test_another_accounts_request_is_404_and_left_as_it_was():
    mine, theirs = customer("ann"), customer("ned")
    open_one = a_ticket(theirs)
    closed_one = a_ticket(theirs, subject="Closed one")
    staff_close(ticket_id=closed_one.pk, by=agent())
    before = [snapshot(open_one), snapshot(closed_one)]
    app = app_for(mine.user)

    assert post(app, f"/api/v1/tickets/{open_one.pk}/close").status_code == 404
    assert post(app, f"/api/v1/tickets/{closed_one.pk}/rating", {"rating": 1}).status_code == 404
    # Naming their account changes nothing: it is not hers.
    other = f"?account={theirs.account.number}"
    assert post(app, f"/api/v1/tickets/{open_one.pk}/close{other}").status_code == 404
    assert [snapshot(open_one), snapshot(closed_one)] == before


def test_a_second_account_is_chosen_with_account():
    who = customer()
    ticket = a_ticket(who)
    app = app_for(who.user)
    answer = post(app, f"/api/v1/tickets/{ticket.pk}/close?account={who.account.number}")
    assert answer.status_code == 200


def test_signed_out_callers_get_401():
    who = customer()
    ticket = a_ticket(who)
    assert post(Client(), f"/api/v1/tickets/{ticket.pk}/close").status_code == 401
    assert post(Client(), f"/api/v1/tickets/{ticket.pk}/rating", {"rating": 5}).status_code == 401
    ticket.refresh_from_db()
    assert ticket.status == "open"
