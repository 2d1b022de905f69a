"""The invoice PDF says what the page says: the same lines, subtotals and totals, as
real text (``pdftotext`` reads it), in the reader's language; and the statement as a
PDF and a CSV."""

import csv
import io

import pytest
from django.test import override_settings

from dropline.billing import documents, queries
from tests.support.bills import golden_household
from tests.support.pdfs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return golden_household()


@override_settings(
    DROPLINE_PROVIDER_NAME="Riverbend Broadband",
    DROPLINE_SUPPORT_ADDRESS="410 River Street, Riverbend, IA 52240",
    DROPLINE_SUPPORT_PHONE="+13195550100",
)
def test_the_invoice_pdf_has_every_line_and_the_totals_of_the_page(household, client):
    invoice = household.bill(5)
    client.force_login(household.user)
    page = client.get(f"/billing/invoices/{invoice.number}/").content.decode()
    detail = queries.invoice_detail(invoice=invoice, language="en")
    data = documents.invoice_pdf(detail, language="en")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        "Riverbend Broadband",
        "410 River Street, Riverbend, IA 52240",
        "(319) 555-0100",
        f"Invoice {invoice.number}",
        household.account.display_number,
        "Rivera Household",
        "Riverbend, IA 52240",
        "Amount due $353.77 by May 26, 2026",
    ):
        assert expected in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for row in (
        "Internet 500, May 5, 2026 \u2013 June 4, 2026 $75.00",
        "Wi-Fi boost, May 5, 2026 \u2013 June 4, 2026 $5.00",
        "Subtotal $80.00",
        "One-time charge: Technician visit, April 12, 2026 $49.00",
        "Regulatory recovery fee (2.5%) $2.00",
        "Previous balance $222.77",
        "Payments $0.00",
        "New charges $131.00",
        "Amount due $353.77",
        "Due date May 26, 2026",
    ):
        assert row in lines, row
    # The page shows the same totals.
    for amount in ("$222.77", "$131.00", "$353.77", "$80.00", "$49.00", "$2.00"):
        assert amount in page


def test_the_pdf_is_in_the_readers_language_with_its_accents(household):
    detail = queries.invoice_detail(invoice=household.bill(5), language="es")
    text = pdf_text(documents.invoice_pdf(detail, language="es"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Cargo único: Visita del técnico, 12 de abril de 2026 $49.00" in lines
    assert "Fecha de vencimiento 26 de mayo de 2026" in lines
    assert "Monto a pagar $353.77" in lines
    assert f"Factura {household.bill(5).number}" in text
    assert "Ciclo de facturación" in text


def test_the_same_bill_gives_the_same_pdf(household):
    detail = queries.invoice_detail(invoice=household.bill(2), language="en")
    assert documents.invoice_pdf(detail, language="en") == documents.invoice_pdf(
        detail, language="en"
    )


def test_the_statement_as_csv_and_pdf(household):
    import datetime as dt

    statement = queries.account_statement(
        account=household.account, since=dt.date(2026, 2, 1), until=dt.date(2026, 6, 30)
    )
    rows = list(csv.reader(io.StringIO(documents.statement_csv(statement, language="en"))))
    assert rows[0] == ["Date", "Item", "Reference", "Amount", "Balance", "Currency"]
    assert rows[1] == ["2026-02-01", "Balance brought forward", "", "", "46.13", "USD"]
    assert rows[2] == [
        "2026-02-05",
        f"Invoice {household.bill(2).number}",
        household.bill(2).number,
        "46.13",
        "92.26",
        "USD",
    ]
    assert rows[-1][4] == "425.77"
    assert len(rows) == 2 + 5
    text = pdf_text(documents.statement_pdf(statement, language="es"))
    assert "Estado de cuenta" in text
    assert "Saldo final" in " ".join(text.split())
    assert "$425.77" in text


def test_a_name_beyond_windows_1252_prints_in_the_embedded_font(household):
    plain = documents.invoice_pdf(
        queries.invoice_detail(invoice=household.bill(5), language="es"), language="es"
    )
    assert b"/FontFile2" not in plain  # Spanish alone needs no embedded font
    household.account.name = "\u0141ucja Nguy\u1ec5n"
    household.account.save(update_fields=["name"])
    invoice = household.bill(5)
    invoice.refresh_from_db()
    detail = queries.invoice_detail(invoice=invoice, language="es")
    data = documents.invoice_pdf(detail, language="es")
    text = pdf_text(data)
    assert "\u0141ucja Nguy\u1ec5n" in text
    assert b"/FontFile2" in data  # DejaVu Sans, embedded
    assert "Cargo único: Visita del técnico" in text
