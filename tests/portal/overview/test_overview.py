import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.seeding.demo.household import loaded_account
from tests.support.billing import at, bill_months
from tests.support.factories import make_customer
from tests.support.payments import BILL_DAY, make_payer, pay_on


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_demo_customer_signs_in_with_username_and_sees_their_overview(client, demo):
    response = client.post(
        reverse("account_login"), {"login": "demo", "password": "dropline-demo"}, follow=True
    )
    assert response.status_code == 200
    account = loaded_account()
    assert account is not None
    page = response.content.decode()
    assert account.display_number in page
    assert "418 Willow Bend Road" in page
    for plan in ["Internet Ultra 500", "TV Silver", "Mobile Unlimited", "Mobile By the Gig"]:
        assert plan in page
    assert "DRG54A7710392" in page
    assert "(319) 555-0142" in page


def test_signs_in_with_email_too(client, demo):
    response = client.post(
        reverse("account_login"),
        {"login": "maria.rivera@example.com", "password": "dropline-demo"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, demo):
    response = client.post(
        reverse("account_login"), {"login": "demo", "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert client.get("/").status_code == 302


def test_monthly_total_adds_services_add_ons_and_rentals_at_todays_prices(client, demo):
    client.login(username="demo", password="dropline-demo")
    overview = client.get("/").context["overview"]
    # A year in: the internet promotion has ended and TV Silver's price went up.
    # Internet 69.99 + Wi-Fi 5.00 + static IP 10.00 (added online),
    # TV 89.99 + 8.99 + 4.99 + Latino Pack 6.99, mobile 29.99,
    # by-the-gig 0.00 + intl 5.00, rentals 15.00 + 5.00 + 9.99 + 7.50
    assert overview.monthly_total.amount_minor == 26843
    assert [s.kind for s in overview.services] == ["internet", "tv", "mobile", "mobile"]
    internet, tv = overview.services[:2]
    assert internet.promotion_name is None
    assert tv.monthly_price.amount_minor == 8999


def test_promotion_price_ends_on_its_date(client, demo):
    account = loaded_account()
    assert account is not None
    internet = account.subscriptions.get(plan__code="internet-500")
    assert internet.promotion_ends_on is not None
    assert internet.promotion_ends_on < clock.today()  # the first-year price has run out
    for day, promotion, price in [
        (internet.promotion_ends_on, "First-year price", 4999),
        (internet.promotion_ends_on + dt.timedelta(days=1), None, 6999),
    ]:
        with clock.frozen(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)):
            client.logout()  # a new session on that day
            client.login(username="demo", password="dropline-demo")
            shown = client.get("/").context["overview"].services[0]
        assert shown.promotion_name == promotion
        assert shown.monthly_price.amount_minor == price
        assert shown.promotion_ends_on == (internet.promotion_ends_on if promotion else None)


def _statements(client, url: str = "/", *, cold: bool = False) -> int:
    """The statements a page runs for the signed-in customer, its session warm; ``cold``:
    with the cache emptied first, so the account's read models are built again."""
    client.get(url)
    if cold:
        caches["default"].clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


@pytest.mark.django_db
def test_overview_query_count_is_fixed_whatever_the_account(client, memory_cache):
    small = make_customer(username="small", services=1, devices=1)
    big = make_customer(username="big", services=5, devices=5)
    bill_months(big.account, first=clock.today(), months=3)  # bills, a balance, a due date
    counts = []
    for customer in (small, big):
        client.force_login(customer.user)
        counts.append((_statements(client), _statements(client, cold=True)))
    # Kept: the session (read, renew), the user, the session's bookkeeping (read, user,
    # update), the memberships, this cycle's data use, the next technician visit, the
    # bell, the banner. Built (cold): the services and their add-ons, the equipment,
    # the latest and unpaid bills, the balance.
    assert counts == [(11, 16), (11, 16)]


@pytest.mark.django_db
def test_overview_shows_the_balance_and_when_it_is_due(client, memory_cache):
    customer = make_customer(username="owing")
    client.force_login(customer.user)
    assert "Nothing is due." in client.get("/").content.decode()
    invoices = bill_months(customer.account, first=clock.today(), months=2)
    page = client.get("/").content.decode()
    latest = invoices[-1]
    owed = Money(latest.amount_due_cents, "USD").format()
    assert owed == Money(sum(i.total_cents for i in invoices), "USD").format()
    assert f"Current balance {owed}." in page
    assert f"Due {display_date(latest.due_on)}" in page
    assert "/billing/" in page


def test_a_session_ends_after_24_hours_however_busy(client, demo):
    start = clock.now()
    with clock.frozen(start):
        client.login(username="demo", password="dropline-demo")
        assert client.get("/").status_code == 200
    with clock.frozen(start + dt.timedelta(hours=23, minutes=59)):
        assert client.get("/").status_code == 200
    with clock.frozen(start + dt.timedelta(hours=24, minutes=1)):
        assert client.get("/").status_code == 302


def test_the_session_cookie_expires_after_an_idle_hour_and_is_renewed_by_use(client, demo):
    client.login(username="demo", password="dropline-demo")
    response = client.get("/")
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == 3600


@pytest.mark.django_db
def test_another_customers_account_can_never_be_chosen(client):
    mine = make_customer(username="mine")
    theirs = make_customer(username="theirs", name="Other Household")
    client.force_login(mine.user)
    client.post(reverse("portal:switch_account"), {"account": theirs.account.pk})
    page = client.get("/").content.decode()
    assert mine.account.display_number in page
    assert theirs.account.display_number not in page
    assert "Other Household" not in page


@pytest.mark.django_db
def test_a_member_of_two_accounts_can_switch_between_them(client):
    home = make_customer(username="pat")
    cabin = make_customer(username="cabin", name="Lake Cabin")
    add_member(account=cabin.account, user=home.user, role=MemberRole.AUTHORIZED)
    client.force_login(home.user)
    assert home.account.display_number in client.get("/").content.decode()
    client.post(reverse("portal:switch_account"), {"account": cabin.account.pk})
    page = client.get("/").content.decode()
    assert cabin.account.display_number in page
    assert "Authorized user" in page


@pytest.mark.django_db
def test_switching_with_garbage_changes_nothing(client):
    customer = make_customer(username="gx")
    client.force_login(customer.user)
    response = client.post(reverse("portal:switch_account"), {"account": "'; DROP TABLE"})
    assert response.status_code == 302
    assert customer.account.display_number in client.get("/").content.decode()


@pytest.mark.django_db
def test_switch_requires_csrf(client):
    from django.test import Client

    customer = make_customer(username="csrf")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer.user)
    assert strict.post(reverse("portal:switch_account"), {"account": 1}).status_code == 403
    assert client.get(reverse("portal:switch_account")).status_code in {302, 405}


@pytest.mark.django_db
def test_a_login_without_an_account_gets_an_explanation_not_an_error(client):
    from tests.support.factories import make_user

    client.force_login(make_user(username="lonely"))
    response = client.get("/")
    assert response.status_code == 200
    assert "not a member of any customer account" in response.content.decode()


def test_spanish_interface_via_the_language_switch(client, demo):
    client.login(username="demo", password="dropline-demo")
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="es">' in page


@pytest.mark.django_db
def test_a_payment_shows_on_the_overview_at_once(client, memory_cache):
    payer = make_payer(username="payer")
    owed = Money(payer.invoice.amount_due_cents, "USD").format()
    client.force_login(payer.customer.user)
    with clock.frozen(at(BILL_DAY)):
        before = client.get("/").content.decode()
    assert f"Current balance {owed}." in before
    payment = pay_on(BILL_DAY, payer, payer.invoice.amount_due_cents, "pay-it-all")
    assert payment.status == "succeeded"
    with clock.frozen(at(BILL_DAY)):
        after = client.get("/").content.decode()
    assert f"Current balance {owed}." not in after
    assert "Current balance $0.00." in after
    assert "Nothing is due." in after
