"""The customer's bills from the mobile app: the same figures as the web, paged by
cursor, and never another account's invoice (404 on every route)."""

import pytest
from django.test import Client

from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.bills import billed_customer, golden_household
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return golden_household()


@pytest.fixture
def app(household) -> Client:
    client = Client()
    client.force_login(household.user)
    return client


def test_the_summary(app, household):
    body = app.get("/api/v1/billing/summary").json()
    assert body["balance_cents"] == 42577
    assert body["amount_due_cents"] == 42577
    assert body["due_on"] == "2026-06-26"
    assert body["currency"] == "USD"
    assert body["account"]["number"] == household.account.number
    assert body["last_invoice"]["number"] == household.bill(6).number
    assert body["last_invoice"]["total_cents"] == 7200


def test_invoices_are_paged_newest_first(app, household):
    first = app.get("/api/v1/invoices?limit=4").json()
    assert [i["number"] for i in first["items"]] == [household.bill(n).number for n in (6, 5, 4, 3)]
    assert set(first["items"][0]) >= {
        "number",
        "period_start",
        "period_end",
        "total_cents",
        "due_on",
        "status",
    }
    assert first["items"][0]["status"] == "open"
    rest = app.get(f"/api/v1/invoices?limit=4&cursor={first['next_cursor']}").json()
    assert [i["number"] for i in rest["items"]] == [household.bill(n).number for n in (2, 1)]
    assert rest["next_cursor"] is None
    bad = app.get("/api/v1/invoices?cursor=made-up")
    assert bad.status_code == 400


def test_one_invoice_with_its_lines_grouped(app, household):
    bill = household.bill(5)
    body = app.get(f"/api/v1/invoices/{bill.number}").json()
    assert body["total_cents"] == 13100
    assert sum(line["amount_cents"] for line in body["lines"]) == body["total_cents"]
    assert sum(group["subtotal_cents"] for group in body["groups"]) == body["total_cents"]
    assert [group["title"] for group in body["groups"]] == [
        "Internet 500",
        "Account charges and credits",
        "Taxes and fees",
    ]
    assert body["lines"][2] == {
        "group": "account",
        "role": "one_time",
        "kind": "one_time",
        "description": "One-time charge: Technician visit, April 12, 2026",
        "period_start": "2026-04-12",
        "period_end": "2026-04-12",
        "quantity": 1,
        "amount_cents": 4900,
    }
    assert body["previous_balance_cents"] + body["payments_cents"] + 13100 == 35377
    assert body["amount_due_cents"] == 35377
    spanish = app.get(f"/api/v1/invoices/{bill.number}", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["lines"][2]["description"] == (
        "Cargo único: Visita del técnico, 12 de abril de 2026"
    )


def test_the_pdf(app, household):
    bill = household.bill(2)
    response = app.get(f"/api/v1/invoices/{bill.number}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert bill.number in response["Content-Disposition"]


def test_why_the_bill_changed(app, household):
    body = app.get(f"/api/v1/invoices/{household.bill(6).number}/changes").json()
    assert body["previous_number"] == household.bill(5).number
    assert body["difference_cents"] == 7200 - 13100
    assert sum(change["amount_cents"] for change in body["changes"]) == body["difference_cents"]
    assert [change["kind"] for change in body["changes"]] == ["credit", "one_time"]
    first = app.get(f"/api/v1/invoices/{household.bill(1).number}/changes").json()
    assert (first["previous_number"], first["changes"]) == (None, [])


def test_the_bill_forecast(app):
    body = app.get("/api/v1/bill-forecast").json()
    assert body["low_cents"] == body["high_cents"] == body["total_cents"]
    assert sum(group["subtotal_cents"] for group in body["groups"]) == body["total_cents"]


def test_another_accounts_invoice_answers_404_on_every_route(app, household):
    other = billed_customer(username="other", months=2, catalog=household.catalog)
    number = other.invoices[-1].number
    for path in (
        f"/api/v1/invoices/{number}",
        f"/api/v1/invoices/{number}/pdf",
        f"/api/v1/invoices/{number}/changes",
    ):
        response = app.get(path)
        assert response.status_code == 404, path
        assert other.account.number not in response.content.decode()
    for path in ("/api/v1/billing/summary", "/api/v1/invoices", "/api/v1/bill-forecast"):
        assert app.get(f"{path}?account={other.account.number}").status_code == 404, path
    # Even naming the other account does not open its invoice.
    response = app.get(f"/api/v1/invoices/{number}?account={other.account.number}")
    assert response.status_code == 404


def test_a_member_of_two_accounts_chooses_one(app, household):
    cabin = make_customer(username="cabin", name="Lake Cabin")
    add_member(account=cabin.account, user=household.user, role=MemberRole.AUTHORIZED)
    mine = app.get("/api/v1/billing/summary").json()
    theirs = app.get(f"/api/v1/billing/summary?account={cabin.account.number}").json()
    assert mine["account"]["number"] == household.account.number
    assert theirs["account"]["number"] == cabin.account.number
    assert (theirs["balance_cents"], theirs["last_invoice"]) == (0, None)


def test_nothing_without_signing_in(household):
    number = household.bill(1).number
    for path in ("/api/v1/billing/summary", f"/api/v1/invoices/{number}/pdf"):
        assert Client().get(path).status_code == 401


def test_me_has_the_balance_and_due_date_too(app, household):
    account = app.get("/api/v1/me").json()["account"]
    assert account["balance_cents"] == 42577
    assert account["amount_due_cents"] == 42577
    assert account["due_on"] == "2026-06-26"
