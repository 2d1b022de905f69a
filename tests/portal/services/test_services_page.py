import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.portal.common import SESSION_ACCOUNT_KEY
from dropline.subscriptions.pricing import change_plan
from tests.support.factories import make_customer, make_user
from tests.support.my_services import household

pytestmark = pytest.mark.django_db

MID_PROMOTION = dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/services/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_shows_the_price_now_after_the_promotion_and_the_change_to_come(client):
    with clock.frozen(MID_PROMOTION):
        home = household()
        client.force_login(home.holder)
        page = client.get("/services/").content.decode()
    assert "Internet 500" in page
    assert "$45.00" in page
    assert "Spring offer: promotional price until April 9, 2026." in page
    assert "From April 10, 2026 the price is $75.00 a month." in page
    assert "Price change: $79.00 a month from June 1, 2026." in page
    assert "Network upgrade" in page
    assert "Arris SB8200" in page
    assert "Eero Pro 6" in page
    assert "Monthly service charges $60.00" in page


def test_in_spanish(client):
    with clock.frozen(MID_PROMOTION):
        home = household()
        client.force_login(home.holder)
        page = client.get("/services/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mis servicios" in page
    assert "Oferta de primavera" in page


def test_an_authorized_user_may_view(client):
    with clock.frozen(MID_PROMOTION):
        home = household()
        helper = make_user(username="helper")
        add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
        client.force_login(helper)
        response = client.get("/services/")
    assert response.status_code == 200
    assert "Internet 500" in response.content.decode()


def test_another_accounts_id_in_the_session_falls_back_to_my_own(client):
    mine = make_customer(username="mine", name="Mine Household")
    with clock.frozen(MID_PROMOTION):
        theirs = household(username="theirs")
    client.force_login(mine.user)
    session = client.session
    session[SESSION_ACCOUNT_KEY] = theirs.account.pk
    session.save()
    page = client.get("/services/").content.decode()
    assert mine.account.display_number in page
    assert theirs.account.display_number not in page
    assert "Spring offer" not in page


def test_a_login_without_an_account_gets_an_explanation(client):
    client.force_login(make_user(username="lonely"))
    response = client.get("/services/")
    assert response.status_code == 200
    assert "not a member of any customer account" in response.content.decode()


def test_query_count_is_fixed_whatever_the_account(client, memory_cache):
    small = make_customer(username="small", services=1, devices=1)
    big = make_customer(username="big", services=5, devices=5)

    def count(customer, *, cold: bool) -> int:
        client.force_login(customer.user)
        client.get("/services/")
        if cold:
            caches["default"].clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/services/").status_code == 200
        return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])

    # Kept: the session (read, renew), the user, the session's bookkeeping (read, user,
    # update), the membership, the pending orders, the bell, the banner. Built (cold):
    # the services, their add-ons, the price history, the equipment.
    assert [count(small, cold=False), count(big, cold=False)] == [10, 10]
    assert [count(small, cold=True), count(big, cold=True)] == [14, 14]


def test_a_plan_change_shows_at_once(client, memory_cache):
    customer = make_customer(username="upgrader", services=1, devices=1)
    client.force_login(customer.user)
    assert "Internet 900" not in client.get("/services/").content.decode()
    faster = Plan.objects.create(
        code="internet-900",
        kind="internet",
        name="Internet 900",
        monthly_price_cents=9999,
        currency="USD",
        download_mbps=900,
        upload_mbps=90,
    )
    client.get("/")  # both pages' read models built before the change
    tomorrow = clock.today() + dt.timedelta(days=1)
    change_plan(subscription=customer.account.subscriptions.get(), plan=faster, on=tomorrow)
    # The new service, from tomorrow, shows the same day.
    assert "Internet 900" in client.get("/services/").content.decode()
    assert "Internet 900" in client.get("/").content.decode()
