"""The saved-methods pages: what a holder sees and changes, what an authorized user may
not change, re-authentication before every change, and the simulator's form keeping no
number anywhere."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from dropline.core import clock
from dropline.payments.models import PaymentMethod
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import PAY_DAY, make_payer, save_bank_account, save_card
from tests.support.payportal import authorized_user, sign_in, words

pytestmark = pytest.mark.django_db

CARD = "5555555555554444"


@pytest.fixture
def catalog():
    return make_catalog()


@pytest.fixture
def payer(catalog):
    return make_payer(catalog=catalog)


def _simulator_card(number: str = CARD, **extra: str) -> dict[str, str]:
    return {
        "kind": "card",
        "holder_name": "Pat Payer",
        "number": number,
        "exp_month": "11",
        "exp_year": "2031",
        "cvc": "321",
        **extra,
    }


def test_the_list_shows_brand_last_four_expiry_holder_and_the_default(client, payer):
    sign_in(client, payer, fresh=False)
    with clock.frozen(at(PAY_DAY)):
        response = client.get("/billing/methods/")
    assert response.status_code == 200
    text = words(response)
    assert "Visa •••• 4242" in text
    assert "Expires 12/2030" in text
    assert "Pat Payer" in text
    assert "Default" in text
    assert "4242424242424242" not in response.content.decode()
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )


def _list_on(payer, day) -> str:
    with clock.frozen(at(day)):
        client = Client()  # a session lasts a day at most: sign in on the day
        client.force_login(payer.customer.user)
        return words(client.get("/billing/methods/"))


def test_a_card_expiring_within_a_month_is_warned_about(payer):
    assert "This card expires soon" in _list_on(payer, dt.date(2030, 12, 2))
    assert "This card has expired" in _list_on(payer, dt.date(2031, 1, 2))
    text = _list_on(payer, PAY_DAY)
    assert "expires soon" not in text
    assert "has expired" not in text


def test_changes_need_a_recent_reauthentication(client, payer):
    sign_in(client, payer, fresh=False)
    for response in (
        client.get("/billing/methods/add/"),
        client.post("/billing/methods/simulator/", _simulator_card()),
        client.post(f"/billing/methods/{payer.method.pk}/remove/"),
        client.post(f"/billing/methods/{payer.method.pk}/default/"),
    ):
        assert response.status_code == 302
        assert "/accounts/reauthenticate/" in response["Location"]
    assert PaymentMethod.objects.filter(account=payer.account).count() == 1
    assert PaymentMethod.objects.get(account=payer.account).removed_at is None


def test_the_add_page_is_the_simulators_labelled_form_with_the_test_numbers(client, payer):
    sign_in(client, payer)
    response = client.get("/billing/methods/add/")
    assert response.status_code == 200
    text = words(response)
    assert "Test payments" in text
    assert "no money moves" in text
    assert "4242424242424242 (Visa) Approved" in text
    assert "4000000000000002 (Visa) Declined" in text
    assert "110000000 / 000123456789" in text
    assert 'action="/billing/methods/simulator/"' in response.content.decode()


def test_adding_a_card_through_the_simulator_keeps_no_number_anywhere(client, payer, caplog):
    sign_in(client, payer)
    caplog.set_level(logging.DEBUG)
    response = client.post("/billing/methods/simulator/", _simulator_card(make_default="on"))
    assert response.status_code == 302
    assert response["Location"] == "/billing/methods/"
    added = PaymentMethod.objects.get(account=payer.account, last4="4444")
    assert added.is_default
    assert added.brand == "mastercard"
    text = words(client.get("/billing/methods/"))
    assert "Mastercard •••• 4444 is saved" in text
    # No column of any table and no log record holds the number or the security code.
    for model in apps.get_models():
        columns = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            and not f.is_relation
        ]
        for row in model._default_manager.values_list(*columns) if columns else []:
            assert CARD not in repr(row), model
    assert CARD not in caplog.text


def test_a_bank_account_is_added_and_is_not_the_default_unless_asked(client, payer):
    sign_in(client, payer)
    response = client.post(
        "/billing/methods/simulator/",
        {
            "kind": "bank_account",
            "holder_name": "Pat Payer",
            "routing_number": "110000000",
            "account_number": "000123456789",
        },
    )
    assert response.status_code == 302
    bank = PaymentMethod.objects.get(account=payer.account, last4="6789")
    assert bank.kind == "bank_account"
    assert not bank.is_default


def test_a_wrong_number_is_refused_with_the_reason_and_not_shown_again(client, payer):
    sign_in(client, payer)
    response = client.post("/billing/methods/simulator/", _simulator_card("4242424242424241"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "4242424242424241" not in html
    assert 'class="errorlist"' in html
    assert PaymentMethod.objects.filter(account=payer.account).count() == 1
    missing = client.post("/billing/methods/simulator/", _simulator_card(number=""))
    assert missing.status_code == 400
    assert "Enter this to add the method." in words(missing)


def test_make_default_and_remove(client, payer):
    other = save_card(payer.customer, CARD)
    sign_in(client, payer)
    response = client.post(f"/billing/methods/{other.pk}/default/")
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_default
    assert "is now your default method" in words(client.get("/billing/methods/"))
    confirm = client.get(f"/billing/methods/{payer.method.pk}/remove/")
    assert "Remove a payment method?" in words(confirm)
    assert client.post(f"/billing/methods/{payer.method.pk}/remove/").status_code == 302
    payer.method.refresh_from_db()
    assert payer.method.removed_at is not None
    assert "Visa •••• 4242" not in words(client.get("/billing/methods/")).replace(
        "Visa •••• 4242 is removed.", ""
    )


def test_an_authorized_user_sees_the_methods_but_changes_none(client, payer):
    bank = save_bank_account(payer.customer, "000123456789")
    authorized_user(client, payer)
    text = words(client.get("/billing/methods/"))
    assert "Visa •••• 4242" in text
    assert "Only the account holder can add or remove payment methods" in text
    assert client.get("/billing/methods/add/").status_code == 403
    assert client.post("/billing/methods/simulator/", _simulator_card()).status_code == 403
    assert client.post(f"/billing/methods/{bank.pk}/default/").status_code == 403
    assert client.post(f"/billing/methods/{bank.pk}/remove/").status_code == 403
    bank.refresh_from_db()
    assert not bank.is_default
    assert bank.removed_at is None


def test_another_accounts_method_is_a_404(client, payer, catalog):
    other = make_payer(catalog=catalog)
    sign_in(client, payer)
    assert client.post(f"/billing/methods/{other.method.pk}/default/").status_code == 404
    assert client.get(f"/billing/methods/{other.method.pk}/remove/").status_code == 404
    assert client.post(f"/billing/methods/{other.method.pk}/remove/").status_code == 404
    other.method.refresh_from_db()
    assert other.method.removed_at is None


def test_the_pages_in_spanish(client, payer):
    payer.customer.user.preferred_language = "es"
    payer.customer.user.save()
    sign_in(client, payer)
    response = client.get("/billing/methods/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Métodos de pago" in words(response)
