"""The ways into changing a plan: My services, the plans page, the channel finder's
cheapest change and the mobile lines page each link to the right compare or preview
page of the account's own service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dropline.catalog.models import Channel, Plan
from dropline.core import clock
from dropline.subscriptions.ordering import subscribe
from tests.support.billing import at
from tests.support.orders import Home, Shop, make_home, make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.frozen(at(dt.date(2026, 3, 20))):
        yield


@pytest.fixture
def shop() -> Shop:
    return make_shop()


@pytest.fixture
def home(shop: Shop) -> Home:
    return make_home(shop)


def signed_in(home: Home) -> Client:
    client = Client()
    client.force_login(home.holder)
    return client


def test_my_services_links_each_service_to_its_compare_and_add_ons_pages(home):
    page = signed_in(home).get("/services/").content.decode()
    for service in (home.internet, home.tv):
        assert f'href="{reverse("changes:compare", args=[service.pk])}"' in page
        assert f'href="{reverse("changes:add_ons", args=[service.pk])}"' in page
    assert 'aria-label="Change plan: Internet 500"' in page
    assert f'href="{reverse("changes:extras")}"' in page
    assert f'href="{reverse("orders:index")}"' in page
    assert f'href="{reverse("changes:lines")}"' not in page  # no mobile line


def test_the_plans_page_links_to_comparing_the_accounts_own_services(home):
    page = signed_in(home).get("/plans/").content.decode()
    assert "Compare with your Internet 500 and change" in page
    assert f'href="{reverse("changes:compare", args=[home.internet.pk])}"' in page
    assert f'href="{reverse("changes:compare", args=[home.tv.pk])}"' in page


def test_the_channel_finders_cheapest_change_links_to_its_preview(home, shop):
    channel = Channel.objects.create(number=206, call_sign="ESPN", name="ESPN", genre="sports")
    shop.sports.channels.add(channel)
    shop.tv_gold.channels.add(channel)
    other = Channel.objects.create(number=300, call_sign="HBO", name="HBO", genre="premium")
    shop.tv_gold.channels.add(other)
    client = signed_in(home)
    # The sports pack is on the service already: ESPN is in the package.
    assert "Included in your package" in client.get("/channels/?q=espn").content.decode()

    page = client.get("/channels/?q=hbo").content.decode()

    preview = reverse("changes:plan", args=[home.tv.pk, "tv-gold"])
    assert f'href="{preview}"' in page
    assert "Preview the change to TV Gold" in page
    assert "from TV Select to TV Gold" in client.get(preview).content.decode()


def test_an_add_on_as_the_cheapest_change_links_to_its_add_preview(home, shop):
    channel = Channel.objects.create(number=501, call_sign="LIGA", name="Liga TV", genre="sports")
    add_on = type(shop.sports).objects.create(
        code="liga", kind="tv", name="Liga pack", monthly_price_cents=300
    )
    add_on.channels.add(channel)
    page = signed_in(home).get("/channels/?q=liga").content.decode()
    assert f'href="{reverse("changes:add_add_on", args=[home.tv.pk, "liga"])}"' in page


def test_the_mobile_lines_page_lists_each_line_and_switches_one(home, shop):
    unlimited = Plan.objects.create(
        code="mobile-unlimited", kind="mobile", name="Mobile Unlimited", monthly_price_cents=2999
    )
    unlimited.service_areas.add(shop.area)
    line = subscribe(account=home.account, plan=unlimited, phone_number="+13195550142")
    client = signed_in(home)
    assert f'href="{reverse("changes:lines")}"' in client.get("/services/").content.decode()

    page = client.get(reverse("changes:lines")).content.decode()

    assert "(319) 555-0142" in page
    assert "Mobile Unlimited" in page
    assert "$29.99 a month" in page
    assert f'href="{reverse("changes:compare", args=[line.pk])}"' in page
    assert "Internet 500" not in page


def test_switching_a_line_to_by_the_gig_shows_its_rate_per_gb(home, shop):
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

    page = signed_in(home).get(reverse("changes:compare", args=[line.pk])).content.decode()

    assert "Mobile By the Gig" in page
    assert "$0.00 a line + $14.00 per GB" in page
    assert "12 months: $0.00 plus data used" in page
    assert "12 months: $359.88" in page  # 12 x $29.99 on Mobile Unlimited
