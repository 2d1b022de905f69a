"""Bundles on real bills: issued by the product's invoicing from the catalogue's bundles,
worded and grouped for the customer, explained, and posted to the ledger as a discount.
The account is anchored on the 5th; February 5 - March 4, 2026 has 28 days."""

import datetime as dt

import pytest

from dropline.billing import queries
from dropline.billing.explaining import explain_invoice
from dropline.billing.grouping import group_lines
from dropline.billing.models import Invoice, LineKind
from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.ledger.models import Book, JournalEntry
from tests.support.billing import at, bill_months, iowa_tax_table
from tests.support.bundles import bundled_home, make_bundle
from tests.support.factories import make_user

D = dt.date
pytestmark = pytest.mark.django_db


def bundle_lines(invoice: Invoice) -> list[tuple[str, dt.date | None, dt.date | None, int]]:
    return [
        (line.kind, line.period_start, line.period_end, line.amount_cents)
        for line in invoice.lines.order_by("position")
        if line.item_key.startswith("bundle:")
    ]


def test_tv_joining_internet_mid_cycle_brings_the_discount_from_that_day_then_every_month():
    iowa_tax_table()
    make_bundle(discount=1000)
    home = bundled_home(opened_on=D(2026, 1, 5), tv_from=D(2026, 2, 20))
    # TV was ordered for Feb 20 before the Feb 5 bill: billed in advance from its day.
    january, february, march = bill_months(home.account, first=D(2026, 1, 5), months=3)
    assert bundle_lines(january) == []
    # Feb 20 - Mar 4: 13 days of 28, 1000 * 13 / 28 = 464.29 -> $4.64 off.
    assert bundle_lines(february) == [("discount", D(2026, 2, 20), D(2026, 3, 4), -464)]
    assert bundle_lines(march) == [("discount", D(2026, 3, 5), D(2026, 4, 4), -1000)]
    [line] = [line for line in march.lines.all() if line.item_key.startswith("bundle:")]
    assert (line.category, line.label, line.group_key) == ("other", "Internet + TV", line.item_key)

    groups = group_lines(list(february.lines.order_by("position")), language="en")
    [bundle_group] = [group for group in groups if group.key == "bundle:internet-tv"]
    assert bundle_group.title == "Internet + TV"
    [shown] = bundle_group.lines
    assert shown.role == "bundle"
    assert shown.text == "Bundle discount (Internet + TV), Feb. 20, 2026 \u2013 March 4, 2026"
    spanish = group_lines(list(february.lines.order_by("position")), language="es")
    assert any(
        "Descuento por paquete (Internet + TV)" in line.text for g in spanish for line in g.lines
    )
    assert [group.key for group in groups][-2:] == ["bundle:internet-tv", "taxes"]

    changes = explain_invoice(february, language="en")
    assert changes is not None
    assert "New bundle discount Internet + TV from Feb. 20, 2026" in " ".join(
        change.text for change in changes
    )
    # A discount on the books: contra-revenue, beside the promotions.
    entries = JournalEntry.objects.filter(
        transaction__reference=march.number, book=Book.DISCOUNTS, sub="other"
    )
    assert [entry.amount_cents for entry in entries] == [1000]


def test_no_discount_before_the_bundle_is_launched_or_once_it_ends():
    make_bundle(starts_on=D(2026, 2, 15), ends_on=D(2026, 3, 14))
    home = bundled_home(opened_on=D(2026, 1, 5))
    january, february, march, april = bill_months(home.account, first=D(2026, 1, 5), months=4)
    assert bundle_lines(january) == []
    # Feb 15 - Mar 4, 18 days of 28: $6.43; Mar 5 - 14, 10 days of 31: $3.23.
    assert bundle_lines(february) == [("discount", D(2026, 2, 15), D(2026, 3, 4), -643)]
    assert bundle_lines(march) == [("discount", D(2026, 3, 5), D(2026, 3, 14), -323)]
    assert bundle_lines(april) == []


def test_my_services_shows_the_discount_the_bill_takes(client):
    make_bundle(discount=1000)
    make_bundle(
        "internet-tv-phone",
        kinds=("internet", "tv", "phone"),
        discount=2000,
        name="Internet + TV + Home phone",
    )
    home = bundled_home(opened_on=D(2026, 1, 5))
    [march] = bill_months(home.account, first=D(2026, 3, 5), months=1)
    holder = make_user(username="rivera")
    add_member(account=home.account, user=holder, role=MemberRole.HOLDER)
    client.force_login(holder)
    with clock.frozen(at(D(2026, 3, 10))):
        page = client.get("/services/").content.decode()
        body = client.get("/api/v1/services").json()
        forecast = queries.bill_forecast(account=home.account, language="en")
    assert bundle_lines(march) == [("discount", D(2026, 3, 5), D(2026, 4, 4), -1000)]
    assert "Your services together make the Internet + TV bundle: you save $10.00 a month." in page
    assert "Internet + TV + Home phone" not in page  # not the bigger one they lack
    # $70.00 internet + $40.00 TV - $10.00
    assert "Monthly service charges $100.00" in page
    assert body["bundle"] == {
        "code": "internet-tv",
        "name": "Internet + TV",
        "monthly_discount": {"amount_minor": 1000, "currency": "USD", "formatted": "$10.00"},
    }
    assert body["monthly_total"]["amount_minor"] == 10000
    assert forecast is not None
    assert [line.amount_cents for line in forecast.lines if line.kind == LineKind.DISCOUNT] == [
        -1000
    ]


def test_the_forecast_says_when_a_bundle_discount_starts():
    make_bundle(discount=1000)
    home = bundled_home(opened_on=D(2026, 1, 5), tv_from=D(2026, 3, 20))
    bill_months(home.account, first=D(2026, 1, 5), months=1)
    with clock.frozen(at(D(2026, 2, 10))):
        ahead = queries.bill_forecast(account=home.account, language="en")
        spanish = queries.bill_forecast(account=home.account, language="es")
    assert ahead.cycle.start == D(2026, 3, 5)
    assert "Your Internet + TV bundle discount starts on March 20, 2026." in ahead.callouts
    assert any("Internet + TV" in note and "paquete" in note for note in spanish.callouts)
