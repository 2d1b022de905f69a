"""The tax table in the back-office: every jurisdiction with its taxes and fees and
their effective-dated rates; billing adds a new rate from a date (the one before ends
the day before), a day of a cycle already billed is refused with the reason, bad input
names its field and changes nothing; customer care cannot open it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.billing.models import TaxRate
from dropline.core.models import AuditEvent
from tests.support.billing import iowa_tax_table
from tests.support.staff import make_staff
from tests.support.staff_billing import billed_account, field_errors, visible_text

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="taxer", role=roles.BILLING))
    return client


def _rate(code: str) -> TaxRate:
    return TaxRate.objects.get(code=code, effective_until__isnull=True)


def test_the_table_lists_jurisdictions_taxes_and_rates_in_words(billing):
    iowa_tax_table()
    text = visible_text(billing.get(reverse("backoffice:tax_table")).content.decode())
    assert "State of Iowa" in text
    assert "City of Riverbend" in text
    assert "The city of Riverbend, Johnson County, IA" in text
    assert "Iowa sales tax" in text
    assert "6%" in text
    assert "911 fee" in text
    assert "$1.00" in text
    assert "Fee per mobile line" in text
    assert "TV, Equipment, Mobile" in text
    assert "Jan. 1, 2020" in text
    assert "No end date" in text
    assert "sales_tax" not in text


def test_the_table_is_in_spanish_for_spanish_staff(billing):
    iowa_tax_table()
    billing.cookies["django_language"] = "es"
    text = visible_text(billing.get(reverse("backoffice:tax_table")).content.decode())
    assert "Estado de Iowa" in text
    assert "Impuesto sobre las ventas de Iowa" in text
    assert "6 %" in text


def test_a_new_rate_from_a_date_closes_the_one_before(billing):
    iowa_tax_table()
    previous = _rate("regulatory")
    response = billing.post(
        reverse("backoffice:tax_rate_new", args=[previous.pk]),
        {"effective_from": "2027-01-01", "percent": "3.25"},
    )
    assert response.status_code == 302
    assert response.url == reverse("backoffice:tax_table")
    previous.refresh_from_db()
    assert previous.effective_until == D(2026, 12, 31)
    new = _rate("regulatory")
    assert (new.effective_from, new.percent) == (D(2027, 1, 1), Decimal("3.2500"))
    assert AuditEvent.objects.get(action="billing.tax_rate_added").actor_label == "taxer"
    text = visible_text(billing.get(response.url).content.decode())
    assert "The new rate of Regulatory recovery fee applies from Jan. 1, 2027." in text
    assert "Dec. 31, 2026" in text


def test_a_new_fee_per_line_is_typed_in_dollars(billing):
    iowa_tax_table()
    fee = _rate("e911")
    form = billing.get(reverse("backoffice:tax_rate_new", args=[fee.pk])).content.decode()
    assert 'name="amount"' in form
    assert 'name="percent"' not in form
    billing.post(
        reverse("backoffice:tax_rate_new", args=[fee.pk]),
        {"effective_from": "2027-01-01", "amount": "1.25"},
    )
    assert _rate("e911").amount_cents == 125


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"effective_from": "2027-01-01"}, "percent", "Enter the new rate."),
        ({"effective_from": "2027-01-01", "percent": "0"}, "percent", "greater than 0"),
        ({"effective_from": "2027-01-01", "percent": "2.123456"}, "percent", "4 decimal"),
        ({"effective_from": "2027-01-01", "percent": "abc"}, "percent", "Enter a number."),
        ({"percent": "3"}, "effective_from", "Choose the first day of the new rate."),
        ({"effective_from": "2020-01-01", "percent": "3"}, "effective_from", "already starts"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(billing, data, field, error):
    iowa_tax_table()
    before = list(TaxRate.objects.order_by("pk").values())
    response = billing.post(reverse("backoffice:tax_rate_new", args=[_rate("regulatory").pk]), data)
    assert response.status_code == 400
    assert error in field_errors(response.content.decode(), field)
    assert list(TaxRate.objects.order_by("pk").values()) == before
    assert not AuditEvent.objects.filter(action="billing.tax_rate_added").exists()


def test_a_day_of_a_billed_cycle_is_refused_with_the_reason(billing):
    billed_account(months=2)  # cycles from Jan 5 and Feb 5, 2026 are billed
    before = list(TaxRate.objects.order_by("pk").values())
    response = billing.post(
        reverse("backoffice:tax_rate_new", args=[_rate("regulatory").pk]),
        {"effective_from": "2026-02-01", "percent": "3"},
    )
    assert response.status_code == 400
    error = field_errors(response.content.decode(), "effective_from")
    assert "Bills for the cycle starting Feb. 5, 2026 have been issued already" in error
    assert list(TaxRate.objects.order_by("pk").values()) == before


def test_customer_care_cannot_change_or_read_the_table(client):
    iowa_tax_table()
    client.force_login(make_staff(username="carer", role=roles.CUSTOMER_CARE))
    assert client.get(reverse("backoffice:tax_table")).status_code == 403
    url = reverse("backoffice:tax_rate_new", args=[_rate("regulatory").pk])
    assert client.post(url, {"effective_from": "2027-01-01", "percent": "3"}).status_code == 403
    assert TaxRate.objects.filter(code="regulatory").count() == 1
