"""Autopay and the payment extension from the app: read, turn on, change, turn off with
the cut-off said; refusals name the field; another account's method or account is
refused or absent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.payments.models import AutopayEnrolment, PaymentExtension
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import make_payer, save_card

D = dt.date
pytestmark = pytest.mark.django_db
AUTOPAY = "/api/v1/autopay"
EXTENSION = "/api/v1/payment-extension"


def app_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def on(day: dt.date):
    return clock.frozen(at(day))


def test_reading_turning_on_changing_and_turning_off():
    payer = make_payer()
    app = app_for(payer.customer.user)
    with on(D(2026, 1, 12)):
        off = app.get(AUTOPAY).json()
        assert (off["enrolled"], off["discount_cents"], off["message"]) == (
            False,
            500,
            "Autopay is off.",
        )
        turned_on = app.put(
            AUTOPAY, {"payment_method_id": payer.method.pk}, content_type="application/json"
        )
        assert turned_on.status_code == 200
        body = turned_on.json()
        assert body["enrolled"] is True
        assert body["payment_method"]["last4"] == "4242"
        assert body["next_charge_on"] == "2026-01-26"
        assert body["next_charge_cents"] == payer.balance
        assert body["discount_from"] == "2026-02-05"
        other = save_card(payer.customer, "5555555555554444")
        changed = app.put(
            AUTOPAY, {"payment_method_id": other.pk}, content_type="application/json"
        ).json()
        assert changed["payment_method"]["last4"] == "4444"
    assert AutopayEnrolment.objects.filter(cancelled_at__isnull=True).count() == 1
    with on(D(2026, 1, 22)):
        app = app_for(payer.customer.user)
        cancelled = app.delete(AUTOPAY).json()
    assert cancelled["enrolled"] is False
    assert cancelled["still_charged_on"] == "2026-01-26"
    assert cancelled["message"] == "Your bill due on Jan. 26, 2026 will still be charged."


def test_another_accounts_method_is_refused_naming_the_field():
    catalog = make_catalog()
    mine = make_payer(catalog=catalog)
    theirs = make_payer(catalog=catalog)
    app = app_for(mine.customer.user)
    with on(D(2026, 1, 12)):
        refused = app.put(
            AUTOPAY, {"payment_method_id": theirs.method.pk}, content_type="application/json"
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "payment_method_id"
        assert app.get(AUTOPAY, {"account": theirs.account.number}).status_code == 404
        assert app.delete(AUTOPAY).status_code == 422  # not on
    assert not AutopayEnrolment.objects.exists()


def test_asking_for_an_extension():
    payer = make_payer()
    app = app_for(payer.customer.user)
    with on(D(2026, 1, 20)):
        options = app.get(EXTENSION).json()
        assert (options["latest_until"], options["may_ask"]) == ("2026-02-09", True)
        late = app.post(EXTENSION, {"until": "2026-02-20"}, content_type="application/json")
        assert late.status_code == 422
        assert late.json()["code"] == "too_late"
        assert late.json()["errors"][0]["field"] == "until"
        given = app.post(EXTENSION, {"until": "2026-02-09"}, content_type="application/json")
        assert given.status_code == 201
        assert given.json()["until"] == "2026-02-09"
        assert given.json()["may_ask"] is False
    assert PaymentExtension.objects.count() == 1


def test_signed_out_callers_are_refused():
    client = Client()
    assert client.get(AUTOPAY).status_code == 401
    assert client.post(EXTENSION, {}, content_type="application/json").status_code == 401
