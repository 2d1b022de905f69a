"""The plans on sale at the account's address and their labels, for the mobile app."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.catalog import make_catalog
from tests.support.factories import make_customer
from tests.support.labels import make_label, sell_in_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    make_label(catalog.internet)
    return catalog, areas


@pytest.fixture
def maria():
    return make_customer(username="maria")


@pytest.fixture
def app(maria) -> Client:
    client = Client()
    client.force_login(maria.user)
    return client


def test_the_plans_at_the_address_with_their_prices(shop, app, maria):
    body = app.get("/api/v1/plans").json()
    assert body["account"]["number"] == maria.account.number
    plans = {plan["code"]: plan for plan in body["plans"]}
    assert set(plans) == {"internet-500", "internet-1000", "tv"}
    internet = plans["internet-500"]
    assert internet["kind"] == "internet"
    assert internet["name"] == "Internet 500"
    assert internet["monthly_price_cents"] == 7000
    assert internet["promotional_price_cents"] == 4500
    assert internet["promotional_months"] == 3
    assert internet["price_after_promotion_cents"] == 7000
    assert internet["currency"] == "USD"
    assert internet["label_url"] == "/plans/internet-500/label/"
    assert plans["internet-1000"]["promotional_price_cents"] is None
    assert plans["internet-1000"]["label_url"] is None


def test_another_accounts_address_answers_404(shop, app):
    other = make_customer(username="other")
    response = app.get(f"/api/v1/plans?account={other.account.number}")
    assert response.status_code == 404
    assert other.account.number not in response.content.decode()


def test_a_member_of_two_accounts_sees_the_plans_at_the_one_named(shop, app, maria):
    _catalog, areas = shop
    cabin = make_customer(username="cabin", name="Lake Cabin")
    add_member(account=cabin.account, user=maria.user, role=MemberRole.AUTHORIZED)
    address = cabin.account.service_address
    address.service_area = areas.hills
    address.save()
    body = app.get(f"/api/v1/plans?account={cabin.account.number}").json()
    assert body["account"]["number"] == cabin.account.number
    assert {plan["code"] for plan in body["plans"]} == {"internet-500", "tv"}


def test_the_label_as_json_for_anyone(shop, client):
    body = client.get("/api/v1/plans/internet-500/label").json()
    assert re.match(r"^F\d{10}[A-Z0-9]{15}$", body["identifier"])
    assert body["monthly_price_cents"] == 4500
    assert body["introductory"] is True
    assert body["price_after_cents"] == 7000
    assert body["one_time_fees"] == [
        {"name": "Activation", "amount_cents": 2500},
        {"name": "Installation", "amount_cents": 9900},
    ]
    assert body["typical_latency_ms"] == 18
    assert body["data_included_gb"] is None


def test_the_label_in_spanish(shop, client):
    body = client.get("/api/v1/plans/internet-500/label", HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["monthly_fees"] == [{"name": "Alquiler del módem", "amount_cents": 1000}]


def test_an_unknown_plan_or_one_without_a_label_answers_404(shop, client):
    assert client.get("/api/v1/plans/nope/label").status_code == 404
    assert client.get("/api/v1/plans/tv/label").status_code == 404
