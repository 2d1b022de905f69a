"""Comparing plans, previewing a change, confirming it and cancelling it from the portal,
as the customer sees it; refusals change nothing; only who may change services sees
Confirm and Cancel; another account's service or order is not found."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.customers.models import AccountMember, AccountStatus, CustomerAccount, MemberRole
from dropline.customers.onboarding import add_member
from dropline.notifications.models import Message
from dropline.orders.models import Order, OrderStatus
from dropline.subscriptions.models import Subscription, SubscriptionAddOn
from tests.support.billing import at, bill_months
from tests.support.factories import make_user
from tests.support.orders import Home, Shop, make_home, make_shop

pytestmark = pytest.mark.django_db

D = dt.date
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


def signed_in(home: Home) -> Client:
    client = Client()
    client.force_login(home.holder)
    return client


def compare_url(service: Subscription) -> str:
    return reverse("changes:compare", args=[service.pk])


def plan_url(service: Subscription, code: str) -> str:
    return reverse("changes:plan", args=[service.pk, code])


def fingerprint(page: str) -> str:
    found = re.search(r'name="fingerprint" value="([^"]+)"', page)
    assert found, "no Confirm form on the page"
    return found.group(1)


def services_state(account: CustomerAccount) -> list[list[dict[str, object]]]:
    services = Subscription.objects.filter(account=account).order_by("pk")
    add_ons = SubscriptionAddOn.objects.filter(subscription__account=account).order_by("pk")
    return [
        [dict(row) for row in services.values()],
        [dict(row) for row in add_ons.values()],
    ]


# Compare ---------------------------------------------------------------------------------


def test_the_compare_page_shows_the_current_plan_beside_the_others(home, shop):
    page = signed_in(home).get(compare_url(home.internet)).content.decode()

    assert "Compare plans" in page
    # Current plan, then the others on sale at the address; not the one sold elsewhere.
    for name in ("Internet 500", "Internet 300", "Internet Gig"):
        assert name in page
    assert "Internet 2000" not in page
    assert "Your plan" in page
    assert "Upgrade" in page
    assert "Downgrade" in page
    # 12 months of Internet 500 and the $15.00 gateway: 12 x $85.00.
    assert "12 months: $1,020.00" in page
    # Internet Gig needs the multi-gig gateway: 12 x ($90.00 + $18.00).
    assert "Needs a new Arris G74" in page
    assert "12 months: $1,296.00" in page
    assert f'href="{plan_url(home.internet, "internet-gig")}"' in page
    assert f'href="{plan_url(home.internet, "internet-300")}"' in page
    # The same figures in a real table.
    assert "<table" in page
    assert "$1,296.00</td>" in page


def test_a_plan_with_a_promotion_says_its_price_after(home, shop):
    page = signed_in(home).get(compare_url(home.tv)).content.decode()
    assert "TV Gold" in page
    page = signed_in(home).get(compare_url(home.internet)).content.decode()
    assert "12 months: $1,020.00" in page


# The page's queries: session, user, membership and account, the service (1), the
# comparison (8), the rates of plans priced by the gigabyte (1), the header's bell and
# banner and the rest of the request's bookkeeping; the number is the same whatever
# the number of plans on sale.
COMPARE_QUERIES = 22


def test_the_compare_page_reads_in_a_fixed_number_of_queries(
    home, shop, django_assert_max_num_queries
):
    client = signed_in(home)
    client.get(compare_url(home.internet))  # warm the session
    with CaptureQueriesContext(connection) as few_plans:
        client.get(compare_url(home.internet))
    for n in range(5):
        extra = Plan.objects.create(
            code=f"internet-extra-{n}",
            kind="internet",
            name=f"Internet extra {n}",
            monthly_price_cents=6000 + n,
            download_mbps=400 + n,
            upload_mbps=40,
        )
        extra.service_areas.add(shop.area)
    with django_assert_max_num_queries(COMPARE_QUERIES):
        response = client.get(compare_url(home.internet))
    assert "Internet extra 4" in response.content.decode()
    with CaptureQueriesContext(connection) as more_plans:
        client.get(compare_url(home.internet))
    assert len(more_plans) == len(few_plans)


def test_the_compare_page_in_spanish(home):
    client = signed_in(home)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(compare_url(home.tv)).content.decode()
    assert "Comparar planes" in page
    assert "TV Oro" in page
    assert "Su plan" in page


# Preview and confirm ---------------------------------------------------------------------------


def test_the_preview_of_an_upgrade_shows_the_money_and_the_equipment(home):
    page = signed_in(home).get(plan_url(home.internet, "internet-gig")).content.decode()

    assert "Preview this change" in page
    assert "from Internet 500 to Internet Gig" in page
    assert "$90.00 a month" in page  # before: $70.00 + $5.00 boost + $15.00 gateway
    assert "$113.00 a month" in page  # after: $90.00 + $5.00 + $18.00
    assert "Now, on March 20, 2026" in page
    assert "Equipment needed" in page
    assert "Arris G74" in page
    assert "Your next bill, on April 5, 2026" in page
    assert "First full bill at the new price" in page
    assert 'name="fingerprint"' in page
    assert "Confirm this change" in page


def test_confirming_a_downgrade_places_a_pending_order_and_tells_the_customer(home):
    client = signed_in(home)
    page = client.get(plan_url(home.internet, "internet-300")).content.decode()
    assert "At the end of this bill cycle, on April 5, 2026" in page

    response = client.post(
        plan_url(home.internet, "internet-300"), {"fingerprint": fingerprint(page)}, follow=True
    )

    order = Order.objects.get(account=home.account)
    assert order.status == OrderStatus.PENDING
    assert order.effective_on == D(2026, 4, 5)
    assert response.redirect_chain[-1][0] == reverse("orders:order", args=[order.pk])
    page = response.content.decode()
    assert "Your change is confirmed. It takes effect on April 5, 2026." in page
    assert "Cancel this change" in page
    assert Message.objects.filter(user=home.holder, event="order_confirmed").exists()
    # My services shows the change waiting, and the compare page says why it can't change.
    assert (
        "A change you ordered takes effect on April 5, 2026."
        in client.get("/services/").content.decode()
    )
    compare = client.get(compare_url(home.internet)).content.decode()
    assert "already waiting" in compare
    assert f'href="{plan_url(home.internet, "internet-gig")}"' not in compare


def test_a_stale_preview_is_refused_and_nothing_changes(home):
    client = signed_in(home)
    before = services_state(home.account)

    response = client.post(plan_url(home.internet, "internet-300"), {"fingerprint": "stale"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing has changed." in page
    assert 'name="fingerprint"' in page  # the up-to-date preview, to confirm again
    assert not Order.objects.exists()
    assert services_state(home.account) == before


def test_a_plan_not_sold_at_the_address_is_refused_with_its_reason(home):
    client = signed_in(home)
    before = services_state(home.account)
    page = client.get(plan_url(home.internet, "internet-2000")).content.decode()
    assert "This change can't be made" in page
    assert "Confirm this change" not in page
    response = client.post(plan_url(home.internet, "internet-2000"), {"fingerprint": "x"})
    assert "Confirm this change" not in response.content.decode()
    assert not Order.objects.exists()
    assert services_state(home.account) == before


def test_the_same_plan_and_another_kind_are_refused(home):
    client = signed_in(home)
    for code in ("internet-500", "tv-gold", "no-such-plan"):
        page = client.get(plan_url(home.internet, code)).content.decode()
        assert "This change can't be made" in page, code
    assert not Order.objects.exists()


def test_a_suspended_account_sees_why_and_nothing_changes(home):
    client = signed_in(home)
    page = client.get(plan_url(home.internet, "internet-300")).content.decode()
    CustomerAccount.objects.filter(pk=home.account.pk).update(status=AccountStatus.SUSPENDED)
    before = services_state(home.account)

    compare = client.get(compare_url(home.internet)).content.decode()
    response = client.post(
        plan_url(home.internet, "internet-300"), {"fingerprint": fingerprint(page)}
    )

    reason = "The account is suspended: services cannot be changed until it is active again."
    assert reason in compare
    assert f'href="{plan_url(home.internet, "internet-gig")}"' not in compare
    assert response.status_code == 409
    assert reason in response.content.decode()
    assert "Confirm this change" not in response.content.decode()
    assert not Order.objects.exists()
    assert services_state(home.account) == before


# Add-ons and extras ------------------------------------------------------------------------------


def test_adding_an_add_on_through_its_preview(home, shop):
    client = signed_in(home)
    page = client.get(reverse("changes:add_ons", args=[home.internet.pk])).content.decode()
    assert "Wi-Fi boost" in page  # on the service
    add_url = reverse("changes:add_add_on", args=[home.internet.pk, "static-ip"])
    assert f'href="{add_url}"' in page
    assert "Sports pack" not in page  # a TV add-on

    preview = client.get(add_url).content.decode()
    assert "add Static IP" in preview
    client.post(add_url, {"fingerprint": fingerprint(preview)})

    assert SubscriptionAddOn.objects.filter(
        subscription=home.internet, add_on=shop.static_ip
    ).exists()
    assert Order.objects.get().kind == "add_on_add"


def test_removing_what_you_dont_use(home, shop):
    client = signed_in(home)
    page = client.get(reverse("changes:extras")).content.decode()
    remove_url = reverse("changes:remove_add_on", args=[home.tv.pk, "sports"])
    assert "Sports pack" in page
    assert "$8.99" in page
    assert "Arris G54" in page
    assert "$15.00" in page
    assert f'href="{remove_url}"' in page

    preview = client.get(remove_url).content.decode()
    assert "remove Sports pack" in preview
    client.post(remove_url, {"fingerprint": fingerprint(preview)})

    order = Order.objects.get()
    assert (order.kind, order.status, order.effective_on) == (
        "add_on_remove",
        OrderStatus.PENDING,
        D(2026, 4, 5),
    )
    assert "Ends after April 4, 2026" in client.get(reverse("changes:extras")).content.decode()


def test_an_add_on_already_there_is_refused(home):
    page = (
        signed_in(home)
        .get(reverse("changes:add_add_on", args=[home.internet.pk, "boost"]))
        .content.decode()
    )
    assert "This change can't be made" in page


# Orders ----------------------------------------------------------------------------------------


def _pending_downgrade(client: Client, home: Home) -> Order:
    page = client.get(plan_url(home.internet, "internet-300")).content.decode()
    client.post(plan_url(home.internet, "internet-300"), {"fingerprint": fingerprint(page)})
    return Order.objects.get(account=home.account, status=OrderStatus.PENDING)


def test_cancelling_a_pending_order_asks_first_then_undoes_it(home):
    client = signed_in(home)
    before = services_state(home.account)
    order = _pending_downgrade(client, home)
    cancel_url = reverse("orders:cancel", args=[order.pk])

    asked = client.get(cancel_url).content.decode()
    assert "Cancel this change?" in asked
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING

    response = client.post(cancel_url, follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert "Your change is canceled." in response.content.decode()
    assert services_state(home.account) == before
    history = client.get(reverse("orders:index")).content.decode()
    assert "Plan change from Internet 500 to Internet 300" in history
    assert "Canceled" in history


# Who may change ------------------------------------------------------------------------------


@pytest.fixture
def helper(home: Home) -> AccountMember:
    return add_member(
        account=home.account, user=make_user(username="sam"), role=MemberRole.AUTHORIZED
    )


def _as(member: AccountMember) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_an_authorized_user_sees_the_pages_read_only(home, helper):
    client = _as(helper)
    holder_client = signed_in(home)
    order = _pending_downgrade(holder_client, home)
    urls = [
        compare_url(home.tv),
        plan_url(home.tv, "tv-gold"),
        reverse("changes:add_ons", args=[home.internet.pk]),
        reverse("changes:extras"),
        reverse("orders:order", args=[order.pk]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Confirm this change" not in page, url
        assert "Cancel this change" not in page, url
    assert (
        "Only the account holder can make them"
        in client.get(plan_url(home.tv, "tv-gold")).content.decode()
    )

    before = services_state(home.account)
    assert client.post(plan_url(home.tv, "tv-gold"), {"fingerprint": "x"}).status_code == 403
    assert client.post(reverse("orders:cancel", args=[order.pk])).status_code == 403
    assert client.get(reverse("orders:cancel", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert services_state(home.account) == before
    assert Order.objects.count() == 1


def test_an_authorized_user_the_holder_allowed_may_confirm(home, helper):
    helper.may_change_services = True
    helper.save(update_fields=["may_change_services"])
    client = _as(helper)
    page = client.get(plan_url(home.tv, "tv-gold")).content.decode()
    assert "Confirm this change" in page
    client.post(plan_url(home.tv, "tv-gold"), {"fingerprint": fingerprint(page)})
    assert Order.objects.get().placed_by == helper.user


# Another account ---------------------------------------------------------------------------------


def test_another_accounts_service_and_order_are_not_found(home, shop):
    other = make_home(shop, username="ned")
    ned_client = Client()
    ned_client.force_login(other.holder)
    order = _pending_downgrade(ned_client, other)
    client = signed_in(home)
    before = services_state(other.account)

    for url in (compare_url(other.internet), reverse("changes:add_ons", args=[other.internet.pk])):
        assert client.get(url).status_code == 404, url
    for url in (
        plan_url(other.internet, "internet-gig"),
        reverse("changes:add_add_on", args=[other.internet.pk, "static-ip"]),
        reverse("changes:remove_add_on", args=[other.tv.pk, "sports"]),
        reverse("orders:cancel", args=[order.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"fingerprint": "x"}).status_code == 404, url
    assert client.get(reverse("orders:order", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert services_state(other.account) == before
