"""The account statement from the mobile app: the web statement page's lines and
balances, any period of up to 12 months ending by today, and the page's CSV and PDF
downloads byte for byte; a bad period names the date at fault; never another account's."""

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.app_client import App
from tests.support.billing import at
from tests.support.bills import billed_customer, golden_household
from tests.support.catalog import make_catalog
from tests.support.factories import make_user
from tests.support.payments import PAY_DAY, make_payer, pay_on
from tests.support.payportal import words
from tests.support.pdfs import pdf_text

pytestmark = pytest.mark.django_db

STATEMENT = "/api/v1/billing/statement"
TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(at(TODAY)):
        yield


@pytest.fixture
def household():
    return golden_household()


@pytest.fixture
def app(household) -> Client:
    client = Client()
    client.force_login(household.user)
    return client


def test_the_statement_has_the_pages_lines_and_balances(app, household):
    body = app.get(STATEMENT).json()

    assert (body["start"], body["end"]) == ("2025-07-01", "2026-06-30")
    assert body["account"]["number"] == household.account.number
    assert body["opening_balance"]["formatted"] == "$0.00"
    assert [line["reference"] for line in body["lines"]] == [i.number for i in household.invoices]
    last = body["lines"][-1]
    assert last["text"] == f"Invoice {household.bill(6).number}"
    assert (last["on"], last["kind"]) == ("2026-06-05", "invoice")
    assert (last["amount"]["amount_minor"], last["balance"]["amount_minor"]) == (7200, 42577)
    assert last["payment_status"] is None
    assert body["closing_balance"] == {
        "amount_minor": 42577,
        "currency": "USD",
        "formatted": "$425.77",
    }
    # Each line reads on the web page as it does here.
    page = words(app.get("/billing/statement/"))
    for line in body["lines"]:
        shown = f"{line['text']} {line['amount']['formatted']} {line['balance']['formatted']}"
        assert shown in page


def test_a_period_of_the_callers_choice(app, household):
    body = app.get(f"{STATEMENT}?start=2026-06-01&end=2026-06-30").json()
    assert [line["reference"] for line in body["lines"]] == [household.bill(6).number]
    assert body["opening_balance"]["amount_minor"] == 42577 - 7200
    assert body["closing_balance"]["amount_minor"] == 42577

    spring = app.get(f"{STATEMENT}?start=2026-03-01&end=2026-04-30").json()
    assert [line["reference"] for line in spring["lines"]] == [
        household.bill(3).number,
        household.bill(4).number,
    ]
    assert spring["closing_balance"]["amount_minor"] == sum(
        household.bill(n).total_cents for n in (1, 2, 3, 4)
    )
    only_end = app.get(f"{STATEMENT}?end=2026-02-28").json()
    assert (only_end["start"], only_end["end"]) == ("2025-03-01", "2026-02-28")


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("start=2026-06-10&end=2026-06-01", "start", "on or before the end date"),
        ("end=2026-07-01", "end", "no later than today"),
        ("start=2025-06-30&end=2026-06-30", "start", "from July 1, 2025 on"),
    ],
)
def test_a_period_that_cannot_be_shown_names_the_date(app, query, field, reason):
    for path in (STATEMENT, f"{STATEMENT}/csv", f"{STATEMENT}/pdf"):
        response = app.get(f"{path}?{query}")
        assert response.status_code == 400, (path, response.content)
        [error] = response.json()["errors"]
        assert error["field"] == field
        assert reason in error["reason"]


def test_a_date_that_is_not_a_date_is_refused(app):
    response = app.get(f"{STATEMENT}?start=yesterday")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"


def test_the_csv_and_pdf_are_the_web_pages_downloads(app, household):
    csv_file = app.get(f"{STATEMENT}/csv")
    web_csv = app.get("/billing/statement/csv/")
    assert csv_file.status_code == 200
    assert csv_file["Content-Type"].startswith("text/csv")
    assert csv_file.content == web_csv.content
    assert csv_file["Content-Disposition"] == web_csv["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_file.content.decode())))
    assert rows[0] == ["Date", "Item", "Reference", "Amount", "Balance", "Currency"]
    assert rows[-1] == [
        "2026-06-05",
        f"Invoice {household.bill(6).number}",
        household.bill(6).number,
        "72.00",
        "425.77",
        "USD",
    ]

    pdf_file = app.get(f"{STATEMENT}/pdf")
    web_pdf = app.get("/billing/statement/pdf/")
    assert pdf_file["Content-Type"] == "application/pdf"
    assert pdf_file["Content-Disposition"] == (
        f'attachment; filename="statement-{household.account.number}-2026-06-30.pdf"'
    )
    text = pdf_text(pdf_file.content)
    assert text == pdf_text(web_pdf.content)
    for expected in (
        "Account statement",
        "Balance brought forward",
        f"Invoice {household.bill(6).number}: $72.00",
        "Closing balance",
        "$425.77",
    ):
        assert expected in text


def test_the_files_cover_the_period_asked_for(app, household):
    rows = list(
        csv.reader(io.StringIO(app.get(f"{STATEMENT}/csv?start=2026-06-01").content.decode()))
    )
    assert [row[2] for row in rows[2:]] == [household.bill(6).number]
    assert rows[1][:2] == ["2026-06-01", "Balance brought forward"]
    assert rows[1][4] == "353.77"
    text = pdf_text(app.get(f"{STATEMENT}/pdf?start=2026-06-01").content)
    assert "June 1, 2026 to June 30, 2026" in text
    assert household.bill(5).number not in text


def test_in_spanish(app, household):
    body = app.get(STATEMENT, HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["lines"][-1]["text"] == f"Factura {household.bill(6).number}"
    header = app.get(f"{STATEMENT}/csv", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert header.splitlines()[0] == "Fecha,Concepto,Referencia,Importe,Saldo,Moneda"
    refused = app.get(f"{STATEMENT}?end=2026-07-01", HTTP_ACCEPT_LANGUAGE="es").json()
    assert refused["errors"][0]["reason"] == "Elija una fecha final que no sea posterior a hoy."


def test_a_payment_shows_with_its_status():
    with clock.frozen(at(PAY_DAY)):
        payer = make_payer(username="paula")
    payment = pay_on(PAY_DAY, payer, 1500, "k")
    with clock.frozen(at(PAY_DAY)):
        body = App("paula").get(STATEMENT).json()
    [paid] = [line for line in body["lines"] if line["kind"] == "payment"]
    assert paid["reference"] == payment.confirmation_number
    assert paid["amount"]["amount_minor"] == -1500
    assert (paid["payment_status"], paid["payment_status_label"]) == ("succeeded", "Paid")
    assert body["closing_balance"]["amount_minor"] == payer.balance


def test_an_authorized_user_reads_the_accounts_statement(household):
    helper = make_user(username="helper")
    add_member(account=household.account, user=helper, role=MemberRole.AUTHORIZED)
    client = Client()
    client.force_login(helper)
    body = client.get(f"{STATEMENT}?account={household.account.number}").json()
    assert body["account"]["role"] == "authorized"
    assert body["closing_balance"]["amount_minor"] == 42577
    assert client.get(f"{STATEMENT}/pdf?account={household.account.number}").status_code == 200


def test_another_accounts_statement_answers_404(app, household):
    other = billed_customer(username="other", months=2, catalog=household.catalog)
    for path in (STATEMENT, f"{STATEMENT}/csv", f"{STATEMENT}/pdf"):
        response = app.get(f"{path}?account={other.account.number}")
        assert response.status_code == 404, path
        assert other.invoices[0].number not in response.content.decode()
    mine = app.get(STATEMENT).content.decode()
    assert other.invoices[0].number not in mine


def test_nothing_without_signing_in(household):
    for path in (STATEMENT, f"{STATEMENT}/csv", f"{STATEMENT}/pdf"):
        assert Client().get(path).status_code == 401


def test_the_same_queries_however_many_movements():
    catalog = make_catalog()
    counts = []
    for name, months in (("short", 2), ("long", 6)):
        household = billed_customer(username=name, months=months, catalog=catalog)
        client = Client()
        client.force_login(household.user)
        client.get(STATEMENT)
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(STATEMENT).json()
        assert len(body["lines"]) == months
        counts.append(len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]))
    assert counts[0] == counts[1]
