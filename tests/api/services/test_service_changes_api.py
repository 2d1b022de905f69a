"""The reads behind changing services, from the app: a service's compare page (its plan
beside the others on sale, with 12 months' cost), its add-ons, the paid extras and the
mobile lines, with the web pages' figures. Anyone on the account may read them and
``may_change`` says who may change; another account's service answers 404."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import Client

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.orders.placing import place_order
from dropline.subscriptions.ordering import subscribe
from tests.support.billing import at, bill_months
from tests.support.factories import make_user
from tests.support.orders import Home, Shop, make_home, make_shop, plan_change, remove
from tests.support.payportal import words

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 3, 20)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(at(TODAY)):
        yield


@pytest.fixture
def shop() -> Shop:
    return make_shop()


@pytest.fixture
def home(shop: Shop) -> Home:
    made = make_home(shop)
    bill_months(made.account, first=D(2026, 1, 5), months=3)
    return made


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plans_of(body) -> dict[str, dict]:
    return {plan["code"]: plan for plan in body["plans"]}


# Compare ---------------------------------------------------------------------------------


def test_the_plans_beside_the_services_own_with_a_years_cost(home):
    app = client_for(home.holder)
    response = app.get(f"/api/v1/services/{home.internet.pk}/plans")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["service"], body["service_label"], body["currency"]) == (
        home.internet.pk,
        "Internet 500",
        "USD",
    )
    assert [plan["code"] for plan in body["plans"]] == [
        "internet-500",
        "internet-300",
        "internet-gig",
    ]  # not Internet 2000, sold elsewhere
    plans = plans_of(body)
    mine = plans["internet-500"]
    assert (mine["is_current"], mine["can_order"]) == (True, False)
    # 12 months of Internet 500 and the $15.00 gateway: 12 x $85.00.
    assert mine["twelve_months"]["formatted"] == "$1,020.00"
    assert mine["equipment_rental"]["amount_minor"] == 1500
    gig = plans["internet-gig"]
    assert (gig["is_upgrade"], gig["can_order"], gig["refusal"]) == (True, True, None)
    assert gig["equipment_name"] == "Arris G74"
    assert gig["twelve_months"] == {
        "amount_minor": 129600,
        "currency": "USD",
        "formatted": "$1,296.00",
    }
    assert gig["effective_on"] == "2026-03-20"
    assert plans["internet-300"]["is_upgrade"] is False
    assert plans["internet-300"]["effective_on"] == "2026-04-05"
    assert body["refusal"] is None
    assert body["may_change"] is True
    # The compare page shows the same figures.
    page = words(app.get(f"/services/{home.internet.pk}/change/"))
    for plan in body["plans"]:
        assert f"12 months: {plan['twelve_months']['formatted']}" in page


def test_a_promotion_says_its_price_and_when_the_regular_price_starts(shop):
    on_basic = make_home(shop, username="basic", plan=shop.basic)
    body = client_for(on_basic.holder).get(f"/api/v1/services/{on_basic.internet.pk}/plans")
    ultra = plans_of(body.json())["internet-500"]
    assert ultra["price_now"]["formatted"] == "$50.00"
    assert ultra["promotion_price"]["formatted"] == "$50.00"
    assert ultra["promotion_months"] == 12
    assert ultra["regular_price"]["formatted"] == "$70.00"
    assert ultra["regular_from"] == "2027-03-20"
    # 12 months at $50.00 and the gateway's $15.00.
    assert ultra["twelve_months"]["amount_minor"] == 12 * (5000 + 1500)


def test_a_change_waiting_means_no_plan_can_be_ordered(home, shop):
    place_order(
        user=home.holder,
        account=home.account,
        change=plan_change(home.internet, shop.basic),
        fingerprint=None,
        language="en",
    )
    body = client_for(home.holder).get(f"/api/v1/services/{home.internet.pk}/plans").json()
    assert body["refusal"] == {
        "code": "pending_change",
        "reason": "A change to this service is already waiting to take effect.",
    }
    assert not any(plan["can_order"] for plan in body["plans"])


def test_a_plan_by_the_gigabyte_says_its_rate(home, shop):
    unlimited = Plan.objects.create(
        code="mobile-unlimited", kind="mobile", name="Mobile Unlimited", monthly_price_cents=2999
    )
    by_the_gig = Plan.objects.create(
        code="mobile-by-the-gig",
        kind="mobile",
        name="Mobile By the Gig",
        monthly_price_cents=0,
        price_per_gb=Decimal("14"),
    )
    for plan in (unlimited, by_the_gig):
        plan.service_areas.add(shop.area)
    line = subscribe(account=home.account, plan=unlimited, phone_number="+13195550142")
    plans = plans_of(client_for(home.holder).get(f"/api/v1/services/{line.pk}/plans").json())
    assert plans["mobile-by-the-gig"]["price_per_gb"]["formatted"] == "$14.00"
    assert plans["mobile-unlimited"]["price_per_gb"] is None
    assert plans["mobile-unlimited"]["twelve_months"]["formatted"] == "$359.88"


def test_in_spanish(home):
    body = client_for(home.holder).get(
        f"/api/v1/services/{home.tv.pk}/plans", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert [plan["name"] for plan in body.json()["plans"]] == ["TV Selecta", "TV Oro"]


# Add-ons ---------------------------------------------------------------------------------


def test_the_add_ons_of_a_service_and_those_on_sale(home, shop):
    app = client_for(home.holder)
    response = app.get(f"/api/v1/services/{home.internet.pk}/add-ons")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["service"], body["service_name"]) == (home.internet.pk, "Internet 500")
    assert body["on_service"] == [
        {
            "code": "boost",
            "name": "Wi-Fi boost",
            "monthly_price": {"amount_minor": 500, "currency": "USD", "formatted": "$5.00"},
            "starts_on": None,
            "ends_on": None,
        }
    ]
    assert [(a["code"], a["monthly_price"]["formatted"]) for a in body["on_sale"]] == [
        ("static-ip", "$10.00")
    ]  # not the sports pack: a TV add-on
    assert body["may_change"] is True
    place_order(
        user=home.holder,
        account=home.account,
        change=remove(home.internet, shop.boost),
        fingerprint=None,
        language="en",
    )
    booked = app.get(f"/api/v1/services/{home.internet.pk}/add-ons").json()
    assert booked["on_service"][0]["ends_on"] == "2026-04-04"


# Extras and lines ---------------------------------------------------------------------------


def test_the_paid_extras_dearest_first_with_their_total(home, shop):
    app = client_for(home.holder)
    body = app.get("/api/v1/services/extras").json()
    assert [(e["name"], e["kind"], e["monthly_price"]["formatted"]) for e in body["extras"]] == [
        ("Arris G54", "equipment", "$15.00"),
        ("Sports pack", "add_on", "$8.99"),
        ("Wi-Fi boost", "add_on", "$5.00"),
    ]
    assert body["monthly_total"]["formatted"] == "$28.99"
    sports = body["extras"][1]
    assert (sports["service"], sports["add_on"], sports["removable"]) == (
        home.tv.pk,
        "sports",
        True,
    )
    assert body["extras"][0]["equipment_id"] == home.gateway.pk
    assert body["extras"][0]["removable"] is False
    assert "Extras in all: $28.99 a month" in words(app.get("/services/extras/"))

    order = place_order(
        user=home.holder,
        account=home.account,
        change=remove(home.tv, shop.sports),
        fingerprint=None,
        language="en",
    )
    after = {e["name"]: e for e in app.get("/api/v1/services/extras").json()["extras"]}
    assert after["Sports pack"]["ends_on"] == "2026-04-04"
    assert after["Sports pack"]["pending_order"] == order.pk
    assert after["Sports pack"]["removable"] is False
    assert after["Wi-Fi boost"]["removable"] is True


def test_the_mobile_lines(home, shop):
    app = client_for(home.holder)
    assert app.get("/api/v1/services/lines").json()["lines"] == []
    unlimited = Plan.objects.create(
        code="mobile-unlimited", kind="mobile", name="Mobile Unlimited", monthly_price_cents=2999
    )
    unlimited.service_areas.add(shop.area)
    line = subscribe(account=home.account, plan=unlimited, phone_number="+13195550142")
    body = app.get("/api/v1/services/lines").json()
    [shown] = body["lines"]
    assert (shown["id"], shown["phone_number"], shown["plan_name"]) == (
        line.pk,
        "(319) 555-0142",
        "Mobile Unlimited",
    )
    assert shown["monthly_price"]["formatted"] == "$29.99"
    assert body["may_change"] is True


# Who may read and change ------------------------------------------------------------------


def test_an_authorized_user_reads_them_and_is_told_whether_they_may_change(home):
    helper = make_user(username="helper")
    member = add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
    app = client_for(helper)
    paths = (
        f"/api/v1/services/{home.internet.pk}/plans",
        f"/api/v1/services/{home.internet.pk}/add-ons",
        "/api/v1/services/extras",
        "/api/v1/services/lines",
    )
    for path in paths:
        response = app.get(f"{path}?account={home.account.number}")
        assert response.status_code == 200, path
        assert response.json()["account"]["role"] == "authorized"
        assert response.json()["may_change"] is False, path
    member.may_change_services = True
    member.save(update_fields=["may_change_services"])
    for path in paths:
        assert app.get(path).json()["may_change"] is True, path


def test_another_accounts_service_answers_404(home, shop):
    other = make_home(shop, username="neighbour")
    app = client_for(home.holder)
    for path in (
        f"/api/v1/services/{other.internet.pk}/plans",
        f"/api/v1/services/{other.internet.pk}/add-ons",
        f"/api/v1/services/{other.internet.pk}/plans?account={other.account.number}",
        "/api/v1/services/987654321/plans",
        "/api/v1/services/987654321/add-ons",
        f"/api/v1/services/extras?account={other.account.number}",
        f"/api/v1/services/lines?account={other.account.number}",
    ):
        response = app.get(path)
        assert response.status_code == 404, path
        assert "Neighbour" not in response.content.decode()


def test_nothing_without_signing_in(home):
    for path in (
        f"/api/v1/services/{home.internet.pk}/plans",
        f"/api/v1/services/{home.internet.pk}/add-ons",
        "/api/v1/services/extras",
        "/api/v1/services/lines",
    ):
        assert Client().get(path).status_code == 401, path
