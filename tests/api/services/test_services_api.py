"""My services from the mobile app: the same figures as the web page, any member may
read them, and another account's number answers 404."""

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.factories import make_customer, make_user
from tests.support.my_services import NEXT_RISE_ON, PROMOTION_ENDS, household

pytestmark = pytest.mark.django_db

MID_PROMOTION = dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC)


def test_anonymous_callers_are_refused():
    assert Client().get("/api/v1/services").status_code == 401


def test_each_service_with_its_prices_equipment_and_pending_change():
    with clock.frozen(MID_PROMOTION):
        home = household()
        app = Client()
        app.force_login(home.holder)
        body = app.get("/api/v1/services").json()
    assert body["account"]["number"] == home.account.number
    assert body["monthly_total"]["amount_minor"] == 6000
    [internet] = body["services"]
    assert internet["plan_code"] == "internet-500"
    assert internet["monthly_price"]["amount_minor"] == 4500
    assert internet["promotion_ends_on"] == PROMOTION_ENDS.isoformat()
    assert internet["price_after_promotion"]["amount_minor"] == 7500
    assert internet["price_after_promotion"]["formatted"] == "$75.00"
    assert internet["price_after_promotion_from"] == "2026-04-10"
    assert internet["pending_price_change"] == {
        "effective_on": NEXT_RISE_ON.isoformat(),
        "monthly_price": {"amount_minor": 7900, "currency": "USD", "formatted": "$79.00"},
        "reason": "Network upgrade",
    }
    assert [e["name"] for e in internet["equipment"]] == ["Arris SB8200"]
    assert [e["name"] for e in body["other_equipment"]] == ["Eero Pro 6"]


def test_names_in_the_callers_language():
    with clock.frozen(MID_PROMOTION):
        home = household()
        app = Client()
        app.force_login(home.holder)
        body = app.get("/api/v1/services", HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["services"][0]["promotion_name"] == "Oferta de primavera"


def test_an_authorized_user_may_read_and_choose_the_account():
    with clock.frozen(MID_PROMOTION):
        home = household()
        own = make_customer(username="helper-home")
        helper = own.user
        add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
        app = Client()
        app.force_login(helper)
        body = app.get(f"/api/v1/services?account={home.account.number}").json()
    assert body["account"]["number"] == home.account.number
    assert body["account"]["role"] == "authorized"
    assert body["services"][0]["plan_code"] == "internet-500"


def test_another_accounts_number_answers_404():
    with clock.frozen(MID_PROMOTION):
        theirs = household(username="theirs")
    mine = make_customer(username="mine")
    app = Client()
    app.force_login(mine.user)
    response = app.get(f"/api/v1/services?account={theirs.account.number}")
    assert response.status_code == 404
    assert "Spring offer" not in response.content.decode()
    assert app.get("/api/v1/services?account=nonsense").status_code == 404


def test_a_login_without_an_account_gets_404():
    app = Client()
    app.force_login(make_user(username="lonely"))
    assert app.get("/api/v1/services").status_code == 404
