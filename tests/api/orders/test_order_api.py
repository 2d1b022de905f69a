"""One order from the app, as its web page shows it: what was ordered in words, when it
takes effect, the monthly price before and after, and whether the caller may cancel it
(the holder, or an authorized user the holder allowed); another account's is not found."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.orders.models import Order
from dropline.orders.placing import place_order
from tests.support.billing import at, bill_months
from tests.support.factories import make_user
from tests.support.orders import Home, make_home, make_shop, plan_change, remove

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 3, 12)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(at(TODAY)):
        yield


@pytest.fixture
def shop():
    return make_shop()


@pytest.fixture
def home(shop):
    home = make_home(shop)
    bill_months(home.account, first=D(2026, 1, 5), months=3)
    return home


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def downgrade(home: Home, shop) -> Order:
    return place_order(
        user=home.holder,
        account=home.account,
        change=plan_change(home.internet, shop.basic),
        fingerprint=None,
        language="en",
    )


def test_a_pending_change_with_its_money_and_day(home, shop):
    placed = downgrade(home, shop)
    response = client_for(home.holder).get(f"/api/v1/orders/{placed.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"] == "Plan change from Internet 500 to Internet 300"
    assert (body["status"], body["effective_on"]) == ("pending", "2026-04-05")
    # The service with its Wi-Fi boost and gateway: $70 + $5 + $15, then $50 + $5 + $15.
    assert body["monthly_before"]["formatted"] == "$90.00"
    assert body["monthly_after"]["formatted"] == "$70.00"
    assert (body["from_plan"], body["to_plan"]) == ("internet-500", "internet-300")
    assert body["can_cancel"] is True
    assert body["may_cancel"] is True
    # The web page says the same.
    page = client_for(home.holder).get(f"/orders/{placed.pk}/").content.decode()
    assert "Plan change from Internet 500 to Internet 300" in page
    assert "$70.00" in page


def test_a_change_made_cannot_be_cancelled(home, shop):
    placed = place_order(
        user=home.holder,
        account=home.account,
        change=plan_change(home.tv, shop.tv_gold),
        fingerprint=None,
        language="en",
    )
    body = client_for(home.holder).get(f"/api/v1/orders/{placed.pk}").json()
    assert (body["status"], body["effective_on"]) == ("completed", "2026-03-12")
    assert (body["can_cancel"], body["may_cancel"]) == (False, False)
    spanish = client_for(home.holder).get(f"/api/v1/orders/{placed.pk}", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.json()["description"] == "Cambio de plan de TV Selecta a TV Oro"


def test_an_authorized_user_reads_it_and_may_cancel_only_when_allowed(home, shop):
    placed = place_order(
        user=home.holder,
        account=home.account,
        change=remove(home.tv, shop.sports),
        fingerprint=None,
        language="en",
    )
    helper = make_user(username="helper")
    member = add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
    app = client_for(helper)
    body = app.get(f"/api/v1/orders/{placed.pk}?account={home.account.number}").json()
    assert body["description"] == "Remove Sports pack"
    assert (body["can_cancel"], body["may_cancel"]) == (True, False)
    member.may_change_services = True
    member.save(update_fields=["may_change_services"])
    assert app.get(f"/api/v1/orders/{placed.pk}").json()["may_cancel"] is True


def test_another_accounts_order_and_a_missing_one_answer_404(home, shop):
    other = make_home(shop, username="neighbour")
    theirs = place_order(
        user=other.holder,
        account=other.account,
        change=remove(other.tv, shop.sports),
        fingerprint=None,
        language="en",
    )
    app = client_for(home.holder)
    for url in (
        f"/api/v1/orders/{theirs.pk}",
        f"/api/v1/orders/{theirs.pk}?account={other.account.number}",
        "/api/v1/orders/987654321",
    ):
        response = app.get(url)
        assert response.status_code == 404, url
        assert "Neighbour" not in response.content.decode()
    assert app.get("/api/v1/orders/not-a-number").status_code in (404, 422)


def test_nothing_without_signing_in(home, shop):
    placed = downgrade(home, shop)
    assert Client().get(f"/api/v1/orders/{placed.pk}").status_code == 401
