"""The customer's billing pages: what a customer sees, in both languages, and what they
must never see (another account's bills)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.core import clock
from dropline.core.money import Money
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.billing import at, bill_months
from tests.support.bills import billed_customer, golden_household
from tests.support.catalog import make_catalog
from tests.support.factories import make_user
from tests.support.payments import BILL_DAY, make_payer, pay_on

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's words without tags, spaces squeezed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def household(client):
    found = golden_household()
    client.force_login(found.user)
    return found


def test_the_billing_overview(client, household):
    response = client.get("/billing/")
    assert response.status_code == 200
    words = text(response)
    assert "Current balance $425.77" in words
    assert "Amount due $425.77 Due June 26, 2026" in words
    last = household.bill(6)
    assert f"Last invoice {last.number} , June 5, 2026, $72.00" in words
    assert "Last payment" not in words  # none yet
    # The chart and, beside it, the same figures in a table.
    assert 'src="/billing/chart.svg"' in response.content.decode()
    assert (
        "Bill cycle New charges Jan. 5, 2026 $46.13 Feb. 5, 2026 $46.13 March 5, 2026 $53.63 "
        "April 5, 2026 $76.88 May 5, 2026 $131.00 June 5, 2026 $72.00"
    ) in words
    assert "Your next bill" in words
    assert reverse("billing:statement") in response.content.decode()


def test_the_chart_is_an_svg_picture_with_no_script(client, household):
    response = client.get("/billing/chart.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<script" not in svg
    assert svg.count('class="rect reactive tooltip-trigger"') == 6
    assert "script-src" not in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_invoice_list_newest_first(client, household):
    words = text(client.get("/billing/invoices/"))
    numbers = re.findall(r"INV-\d{8}", words)
    assert numbers == [i.number for i in reversed(household.invoices)]
    assert "May 5, 2026 to June 4, 2026" in words
    assert "Unpaid" in words


def test_an_invoice_grouped_by_service_with_its_totals_and_why_it_changed(client, household):
    bill = household.bill(5)
    response = client.get(f"/billing/invoices/{bill.number}/")
    words = text(response)
    assert f"Invoice {bill.number} Unpaid" in words
    assert "Internet 500 Item Amount Internet 500, May 5, 2026 \u2013 June 4, 2026 $75.00" in words
    assert "Wi-Fi boost, May 5, 2026 \u2013 June 4, 2026 $5.00 Subtotal $80.00" in words
    assert "One-time charge: Technician visit, April 12, 2026 $49.00 Subtotal $49.00" in words
    assert "Regulatory recovery fee (2.5%) $2.00" in words
    assert (
        "Previous balance $222.77 Payments $0.00 New charges $131.00 Amount due $353.77 "
        "Due date May 26, 2026"
    ) in words
    assert "Why did my bill change?" in words
    assert "New price for Internet 500 from May 5, 2026: +$5.00" in words
    assert "One-time charge Technician visit on April 12, 2026: +$49.00" in words
    assert "Taxes and fees, following your charges: +$0.12" in words
    assert "Together, the difference from your last bill: +$54.12" in words
    html = response.content.decode()
    assert f'href="/billing/invoices/{bill.number}/pdf/" download' in html
    assert f'href="/billing/invoices/{bill.number}/changes/"' in html


def test_the_first_bill_has_nothing_to_compare(client, household):
    first = household.bill(1)
    words = text(client.get(f"/billing/invoices/{first.number}/"))
    assert "Why did my bill change?" not in words
    page = text(client.get(f"/billing/invoices/{first.number}/changes/"))
    assert f"Invoice {first.number} is your first bill" in page


def test_the_explainer_page_adds_up(client, household):
    words = text(client.get(f"/billing/invoices/{household.bill(4).number}/changes/"))
    assert f"New charges on your last bill ({household.bill(3).number}): $53.63." in words
    assert f"New charges on this bill ({household.bill(4).number}): $76.88." in words
    amounts = [
        int(sign + whole + cents)
        for sign, whole, cents in re.findall(r"([+-])\$(\d+)\.(\d\d)", words)
    ]
    # The three changes, then the difference they add up to.
    *changes, difference = amounts
    assert changes == [-232, 2500, 57]
    assert sum(changes) == difference == 7688 - 5363
    assert "Together, the difference from your last bill: +$23.25" in words


def test_the_pdf_downloads_with_the_invoice_number_as_its_name(client, household):
    bill = household.bill(3)
    response = client.get(f"/billing/invoices/{bill.number}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{bill.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


def test_the_forecast_calls_out_the_promotion_ending(client):
    household = billed_customer(username="soon", months=2)
    client.force_login(household.user)
    with clock.frozen(at(dt.date(2026, 3, 10))):
        words = text(client.get("/billing/forecast/"))
    assert "What your bill for April 5, 2026 to May 4, 2026 will charge" in words
    assert (
        "Your promotional price for Internet 500 ends on April 4, 2026: "
        "from $45.00 to $70.00 a month."
    ) in words
    assert "Internet 500, April 5, 2026 \u2013 May 4, 2026 $70.00" in words


def test_the_statement_and_its_downloads(client, household):
    with clock.frozen(at(dt.date(2026, 6, 30))):
        words = text(client.get("/billing/statement/"))
        csv_file = client.get("/billing/statement/csv/")
        pdf_file = client.get("/billing/statement/pdf/")
    assert f"Invoice {household.bill(6).number} $72.00 $425.77" in words
    assert "Balance brought forward" in words
    assert csv_file["Content-Type"].startswith("text/csv")
    assert csv_file["Content-Disposition"].startswith('attachment; filename="statement-')
    assert csv_file.content.decode().splitlines()[-1].endswith(",72.00,425.77,USD")
    assert pdf_file.content.startswith(b"%PDF-")


def test_in_spanish(client, household):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    words = text(client.get(f"/billing/invoices/{household.bill(5).number}/"))
    assert "Cargo único: Visita del técnico, 12 de abril de 2026 $49.00" in words
    assert "Monto a pagar $353.77" in words
    assert "¿Por qué cambió mi factura?" in words
    assert "Nuevo precio de Internet 500 desde el 5 de mayo de 2026: +$5.00" in words
    overview = text(client.get("/billing/"))
    assert "Saldo actual $425.77" in overview
    assert "Vence el 26 de junio de 2026" in overview


def test_another_accounts_invoice_is_not_found(client, household):
    other = billed_customer(username="neighbor", months=1, catalog=household.catalog)
    number = other.invoices[0].number
    for url in (
        f"/billing/invoices/{number}/",
        f"/billing/invoices/{number}/pdf/",
        f"/billing/invoices/{number}/changes/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert other.account.number not in response.content.decode()


def test_an_authorized_user_reads_the_bills_too(client, household):
    helper = make_user(username="helper")
    add_member(account=household.account, user=helper, role=MemberRole.AUTHORIZED)
    client.force_login(helper)
    assert client.get(f"/billing/invoices/{household.bill(2).number}/").status_code == 200


def test_the_billing_pages_need_sign_in(client):
    for url in ("/billing/", "/billing/invoices/", "/billing/forecast/", "/billing/chart.svg"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "url",
    ["/billing/", "/billing/invoices/", "/billing/statement/", "/billing/invoices/{last}/"],
)
def test_pages_take_the_same_queries_however_many_bills(client, url):
    catalog = make_catalog()
    counts = []
    for name, months in (("short", 2), ("long", 9)):
        household = billed_customer(username=name, months=months, catalog=catalog)
        client.force_login(household.user)
        page = url.format(last=household.invoices[-1].number)
        client.get(page)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        counts.append(len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]))
    assert counts[0] == counts[1]


BILLING_STATEMENTS = 36


def test_the_billing_page_statements_are_fixed(client, memory_cache):
    catalog = make_catalog()
    counts = []
    for name, months in (("one", 1), ("five", 5)):
        household = billed_customer(username=name, months=months, catalog=catalog)
        client.force_login(household.user)
        client.get("/billing/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/billing/").status_code == 200
        counts.append(len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]))
    # session (read, renew), user, session tracking (read, user, update), membership,
    # the recent bills, the next bill's forecast, autopay and what is owed, bell, banner;
    # the balance and latest bills come from the account's read model
    assert counts == [BILLING_STATEMENTS, BILLING_STATEMENTS]


def test_a_payment_and_a_new_bill_show_at_once(client, memory_cache):
    payer = make_payer(username="billpayer")
    owed = Money(payer.invoice.amount_due_cents, "USD").format()
    with clock.frozen(at(BILL_DAY)):
        client.force_login(payer.customer.user)
        assert f"Current balance {owed}" in text(client.get("/billing/"))
    pay_on(BILL_DAY, payer, payer.invoice.amount_due_cents, "billing-page")
    with clock.frozen(at(BILL_DAY)):
        words = text(client.get("/billing/"))
    assert "Current balance $0.00" in words
    assert "Nothing is due." in words
    following = bill_months(payer.account, first=BILL_DAY + dt.timedelta(days=31), months=1)
    with clock.frozen(at(following[0].issued_on)):
        client.logout()  # a new session on that day
        client.force_login(payer.customer.user)
        words = text(client.get("/billing/"))
    due = Money(following[0].amount_due_cents, "USD").format()
    assert f"Current balance {due}" in words
    assert following[0].number in words


def test_before_the_first_bill(client):
    from tests.support.factories import make_customer

    customer = make_customer(username="newcomer")
    client.force_login(customer.user)
    words = text(client.get("/billing/"))
    assert "Current balance $0.00" in words
    assert "Last invoice No bills yet" in words
    assert "Amount due $0.00 Nothing is due." in words
    assert "No bills yet. Your first bill will show here on your bill date." in words
    assert "No bills yet." in text(client.get("/billing/invoices/"))


def test_a_voided_invoice_points_to_its_replacement(client):
    from dropline.billing.adjustments import void_invoice

    household = billed_customer(username="fixed", months=2)
    client.force_login(household.user)
    wrong = household.invoices[-1]
    with clock.frozen(at(dt.date(2026, 2, 6))):
        replacement = void_invoice(invoice=wrong, reason="Wrong price")
    assert replacement is not None
    words = text(client.get(f"/billing/invoices/{wrong.number}/"))
    assert f"Invoice {wrong.number} Void" in words
    assert f"This invoice was voided and replaced by {replacement.number}." in words
    listed = text(client.get("/billing/invoices/"))
    assert re.findall(r"INV-\d{8}", listed) == [
        replacement.number,
        wrong.number,
        household.invoices[0].number,
    ]
