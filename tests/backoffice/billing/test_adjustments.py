"""Entering a one-time charge or a credit from the back-office: the amount typed in
dollars becomes exact cents (never through a float), more than two decimals or
anything that is not an amount is refused, every refusal names its field and records
nothing, and what is entered waits for the account's next bill, listed on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from dropline.accounts import roles
from dropline.backoffice.billing.forms import dollars_to_cents
from dropline.billing.models import Adjustment
from dropline.core import clock
from dropline.core.models import AuditEvent
from tests.support.billing import bill
from tests.support.staff import make_staff
from tests.support.staff_billing import billed_account, field_errors, visible_text

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "credit",
    "amount": "12.50",
    "category": "internet",
    "description": "Outage credit",
    "description_es": "Crédito por corte",
    "reason": "Down for two days in the storm",
}


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    return client


def _url(account) -> str:
    return reverse("backoffice:adjustment_new", args=[account.number])


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.50", 1250),
        ("12.5", 1250),
        ("12", 1200),
        ("0.10", 10),
        ("$1,234.56", 123456),
        (" 19.99 ", 1999),
        ("0.29", 29),  # 0.29 * 100 is 28.999999999999996 as a float
        ("1.", 100),
    ],
)
def test_dollars_become_exact_cents(typed, cents):
    assert dollars_to_cents(typed) == cents


@pytest.mark.parametrize("typed", ["12.345", "1e3", "-5", "12,50", "abc", "", "1,23.00", "NaN"])
def test_what_is_not_an_amount_in_dollars_and_cents_is_refused(typed):
    with pytest.raises(ValidationError):
        dollars_to_cents(typed)


@given(st.integers(min_value=0, max_value=10**12))
def test_any_amount_written_out_comes_back_to_the_same_cents(cents):
    assert dollars_to_cents(f"{cents // 100}.{cents % 100:02d}") == cents
    assert dollars_to_cents(f"${cents // 100:,}.{cents % 100:02d}") == cents


def test_a_credit_is_entered_with_exact_cents_audited_and_listed(billing, make_customer):
    account = make_customer(username="credited").account
    response = billing.post(_url(account), GOOD)
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert adjustment.account == account
    assert adjustment.kind == "credit"
    assert adjustment.amount_cents == 1250
    assert adjustment.category == "internet"
    assert adjustment.description_es == "Crédito por corte"
    assert adjustment.invoice is None
    assert adjustment.created_by is not None
    assert adjustment.created_by.username == "biller"
    assert adjustment.occurred_on == clock.today()
    event = AuditEvent.objects.get(action="billing.credit_entered")
    assert event.account_number == account.number
    assert event.data["amount_cents"] == 1250
    page = visible_text(billing.get(response.url).content.decode())
    assert "A credit of $12.50 was entered for the next bill." in page
    assert "Outage credit" in page
    assert "-$12.50" in page
    assert "Down for two days in the storm" in page


def test_a_charge_is_entered(billing, make_customer):
    account = make_customer(username="charged").account
    response = billing.post(
        _url(account), {**GOOD, "kind": "charge", "amount": "45", "taxable": "on"}, follow=True
    )
    assert "A one-time charge of $45.00 was entered for the next bill." in visible_text(
        response.content.decode()
    )
    adjustment = Adjustment.objects.get()
    assert (adjustment.kind, adjustment.amount_cents, adjustment.taxable) == ("charge", 4500, True)
    assert AuditEvent.objects.filter(action="billing.charge_entered").exists()


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"amount": "12.345"}, "amount", "at most 2 decimals"),
        ({"amount": "-5"}, "amount", "such as 12.50"),
        ({"amount": "0"}, "amount", "greater than zero"),
        ({"amount": "10000.01"}, "amount", "$10,000.00 or less"),
        ({"amount": ""}, "amount", "Enter the amount."),
        ({"kind": "gift"}, "kind", "Select a valid choice"),
        ({"description": "  "}, "description", "Enter the words the customer will see."),
        ({"reason": ""}, "reason", "Say why"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "cannot be in the future"),
    ],
)
def test_bad_input_names_the_field_and_records_nothing(
    billing, make_customer, changes, field, error
):
    account = make_customer(username="refused").account
    response = billing.post(_url(account), {**GOOD, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert error in field_errors(html, field)
    assert "Nothing was entered." in html
    assert not Adjustment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="billing.").exists()


def test_what_was_typed_is_kept_after_a_refusal(billing, make_customer):
    account = make_customer(username="kept").account
    html = billing.post(_url(account), {**GOOD, "amount": "1.234"}).content.decode()
    assert 'value="Outage credit"' in html
    assert "Down for two days in the storm</textarea>" in html


def test_customer_care_cannot_enter_a_charge(client, make_customer):
    account = make_customer(username="careful").account
    client.force_login(make_staff(username="carer", role=roles.CUSTOMER_CARE))
    assert client.post(_url(account), GOOD).status_code == 403
    assert client.get(_url(account)).status_code == 403
    assert not Adjustment.objects.exists()


def test_an_unknown_account_is_404(billing):
    assert (
        billing.get(reverse("backoffice:adjustment_new", args=["000000000000"])).status_code == 404
    )
    assert not Adjustment.objects.exists()


def test_an_adjustment_is_billed_on_the_next_bill_and_leaves_the_list(billing):
    account = billed_account(months=1).account
    billing.post(_url(account), {**GOOD, "occurred_on": "2026-01-20"})
    page = visible_text(billing.get(_url(account)).content.decode())
    assert "Outage credit" in page
    bill(account, dt.date(2026, 2, 5))
    assert Adjustment.objects.get().invoice is not None
    page = visible_text(billing.get(_url(account)).content.decode())
    assert "No charge or credit is waiting for this account's next bill." in page
    assert "Outage credit" not in page
