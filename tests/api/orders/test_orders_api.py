"""Plan and add-on changes from the app: a preview with the exact money, the order at
that money, cancelling a pending one, the history; refusals name the field, another
account's order is not found, an authorized user may look but not change."""

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.orders.models import Order, OrderStatus
from tests.support.billing import at, bill_months
from tests.support.factories import make_user
from tests.support.orders import make_home, make_shop

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 3, 12)


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


def body(home, service, action, **extra):
    return {"account": home.account.number, "service": service.pk, "action": action, **extra}


def test_anonymous_callers_are_refused():
    assert Client().get("/api/v1/orders").status_code == 401
    assert (
        Client().post("/api/v1/orders/preview", {}, content_type="application/json").status_code
        == 401
    )


def test_a_preview_gives_the_money_and_the_order_is_placed_at_it(home, shop):
    app = client_for(home.holder)
    upgrade = body(home, home.internet, "change_plan", plan="internet-gig")
    with clock.frozen(at(TODAY)):
        preview = app.post("/api/v1/orders/preview", upgrade, content_type="application/json")
        assert preview.status_code == 200, preview.content
        seen = preview.json()
        assert seen["effective_on"] == "2026-03-12"
        assert seen["timing"] == "now"
        assert seen["monthly_before"]["formatted"] == "$90.00"
        assert seen["monthly_after"]["formatted"] == "$113.00"
        assert seen["equipment"]["delivery"] == "install"
        assert seen["equipment"]["model_name"] == "Arris G74"
        kinds = {line["kind"] for line in seen["proration_lines"]}
        assert kinds == {"proration"}
        assert seen["next_invoice_date"] == "2026-04-05"
        assert Order.objects.count() == 0  # a preview writes nothing
        placed = app.post(
            "/api/v1/orders",
            {**upgrade, "fingerprint": seen["fingerprint"]},
            content_type="application/json",
        )
    assert placed.status_code == 201, placed.content
    order = placed.json()
    assert order["status"] == "completed"
    assert order["monthly_before"] == seen["monthly_before"]
    assert order["monthly_after"] == seen["monthly_after"]
    assert order["to_plan"] == "internet-gig"
    assert order["description"] == "Plan change from Internet 500 to Internet Gig"


def test_refusals_name_the_field(home, shop):
    app = client_for(home.holder)
    with clock.frozen(at(TODAY)):
        far = app.post(
            "/api/v1/orders/preview",
            body(home, home.internet, "change_plan", plan="internet-2000"),
            content_type="application/json",
        )
        assert far.status_code == 422
        assert far.json()["code"] == "not_available"
        assert far.json()["errors"] == [
            {"field": "plan", "reason": "That plan is not available at your service address."}
        ]
        spanish = app.post(
            "/api/v1/orders/preview",
            body(home, home.internet, "remove_add_on", add_on="static-ip"),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="es",
        )
        assert spanish.status_code == 422
        assert spanish.json()["errors"] == [
            {"field": "add_on", "reason": "El servicio no tiene ese complemento."}
        ]
        missing = app.post(
            "/api/v1/orders/preview", {"service": home.internet.pk}, content_type="application/json"
        )
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["field"] == "action"
        stale = app.post(
            "/api/v1/orders",
            {**body(home, home.tv, "add_add_on", add_on="boost"), "fingerprint": "x"},
            content_type="application/json",
        )
        assert stale.status_code == 422
        assert stale.json()["errors"][0]["field"] == "add_on"
    assert Order.objects.count() == 0


def test_a_second_change_is_a_conflict_and_a_pending_one_can_be_cancelled(home, shop):
    app = client_for(home.holder)
    downgrade = body(home, home.internet, "change_plan", plan="internet-300")
    with clock.frozen(at(TODAY)):
        first = app.post("/api/v1/orders", downgrade, content_type="application/json")
        assert first.status_code == 201
        assert first.json()["status"] == "pending"
        assert first.json()["can_cancel"]
        second = app.post(
            "/api/v1/orders",
            body(home, home.internet, "add_add_on", add_on="static-ip"),
            content_type="application/json",
        )
        assert second.status_code == 409
        assert second.json()["code"] == "pending_change"
        order_id = first.json()["id"]
        cancelled = app.delete(f"/api/v1/orders/{order_id}?account={home.account.number}")
        assert cancelled.status_code == 200, cancelled.content
        assert cancelled.json()["status"] == "cancelled"
        again = app.delete(f"/api/v1/orders/{order_id}")
        assert again.status_code == 409
        listed = app.get("/api/v1/orders", {"account": home.account.number}).json()
    assert [o["id"] for o in listed["orders"]] == [order_id]
    assert listed["orders"][0]["status"] == "cancelled"


def test_another_accounts_order_is_not_found(home, shop):
    other = make_home(shop, username="neighbour")
    with clock.frozen(at(TODAY)):
        theirs = client_for(other.holder).post(
            "/api/v1/orders",
            body(other, other.tv, "remove_add_on", add_on="sports"),
            content_type="application/json",
        )
        assert theirs.status_code == 201
        app = client_for(home.holder)
        assert app.delete(f"/api/v1/orders/{theirs.json()['id']}").status_code == 404
        assert app.get("/api/v1/orders", {"account": other.account.number}).status_code == 404
        # Naming their service on my account: no such service.
        preview = app.post(
            "/api/v1/orders/preview",
            body(home, other.tv, "add_add_on", add_on="sports"),
            content_type="application/json",
        )
        assert preview.status_code == 422
        assert preview.json()["code"] == "no_service"
        assert app.get("/api/v1/orders").json()["orders"] == []
    assert Order.objects.get().status == OrderStatus.PENDING


def test_an_authorized_user_may_look_but_not_change(home, shop):
    helper = make_user(username="helper")
    add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
    with clock.frozen(at(TODAY)):
        placed = client_for(home.holder).post(
            "/api/v1/orders",
            body(home, home.tv, "remove_add_on", add_on="sports"),
            content_type="application/json",
        )
        app = client_for(helper)
        assert app.get("/api/v1/orders").status_code == 200
        change = body(home, home.internet, "change_plan", plan="internet-gig")
        assert (
            app.post("/api/v1/orders/preview", change, content_type="application/json").status_code
            == 403
        )
        assert (
            app.post("/api/v1/orders", change, content_type="application/json").status_code == 403
        )
        assert app.delete(f"/api/v1/orders/{placed.json()['id']}").status_code == 403
    assert Order.objects.get().status == OrderStatus.PENDING


def test_an_order_at_a_price_no_longer_true_is_a_conflict(home, shop):
    app = client_for(home.holder)
    upgrade = body(home, home.tv, "change_plan", plan="tv-gold")
    with clock.frozen(at(TODAY)):
        seen = app.post("/api/v1/orders/preview", upgrade, content_type="application/json").json()
        shop.tv_gold.monthly_price_cents += 100
        shop.tv_gold.save()
        placed = app.post(
            "/api/v1/orders",
            {**upgrade, "fingerprint": seen["fingerprint"]},
            content_type="application/json",
        )
    assert placed.status_code == 409
    assert placed.json()["code"] == "preview_stale"
    assert placed.json()["errors"][0]["field"] == "fingerprint"
    assert Order.objects.count() == 0
