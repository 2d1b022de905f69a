"""Comparing plans with a year's cost, and the paid extras a customer could drop."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.orders.compare import compare_plans
from dropline.orders.errors import ChangeRefused
from dropline.orders.extras import paid_extras
from dropline.orders.placing import place_order
from dropline.subscriptions.ordering import subscribe
from tests.support.billing import at
from tests.support.orders import contract, make_home, make_shop, plan_change

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 3, 12)


def test_the_comparison_shows_every_plan_on_sale_here_with_a_years_cost():
    shop = make_shop()
    home = make_home(shop, plan=shop.basic)
    with clock.frozen(at(TODAY)):
        result = compare_plans(
            account=home.account, subscription_id=home.internet.pk, language="en"
        )
    codes = [option.code for option in result.options]
    # The current plan first; the plan sold elsewhere and the retired one are absent.
    assert codes == ["internet-300", "internet-500", "internet-gig"]
    current, ultra, gig = result.options
    assert current.is_current
    assert not current.can_order
    assert current.twelve_month_cents == 12 * (5000 + 1500)
    # Internet 500: twelve months at the first-year price, with today's gateway.
    assert (ultra.monthly_now_cents, ultra.promotion_months, ultra.regular_cents) == (
        5000,
        12,
        7000,
    )
    assert ultra.twelve_month_cents == 12 * 5000 + 12 * 1500
    assert ultra.is_upgrade
    assert ultra.effective_on == TODAY
    assert ultra.can_order
    # Internet Gig needs the multi-gig gateway: its rental is in the year's cost.
    assert gig.equipment_name == "Arris G74"
    assert gig.twelve_month_cents == 12 * 9000 + 12 * 1800


def test_a_promotion_ending_within_the_year_is_counted_at_both_prices():
    shop = make_shop()
    home = make_home(shop, plan=shop.basic)
    with clock.frozen(at(D(2026, 2, 1))):
        theirs = subscribe(
            account=home.account,
            plan=shop.ultra,
            promotion=shop.ultra_offer,
            started_on=D(2025, 9, 1),
        )
        result = compare_plans(account=home.account, subscription_id=theirs.pk, language="es")
    current = result.options[0]
    # Promotion until Aug 31, 2026: Feb through Aug at $50.00, then $70.00.
    assert current.promotion_months == 7
    assert current.twelve_month_cents == 7 * 5000 + 5 * 7000
    assert current.name == "Internet 500"
    assert [o.name for o in result.options][1:] == ["Internet 300", "Internet Gig"]


def test_refused_plans_say_why():
    shop = make_shop()
    contract(shop.ultra, 24)
    home = make_home(shop)
    with clock.frozen(at(TODAY)):
        result = compare_plans(
            account=home.account, subscription_id=home.internet.pk, language="en"
        )
        basic = next(o for o in result.options if o.code == "internet-300")
        assert basic.refusal_code == "contract"
        assert not basic.can_order
        place_order(
            user=home.holder,
            account=home.account,
            change=plan_change(home.internet, shop.gig),
            fingerprint=None,
            language="en",
        )
        with pytest.raises(ChangeRefused):
            compare_plans(
                account=make_home(shop, username="other").account,
                subscription_id=home.internet.pk,
                language="en",
            )


def test_the_comparison_takes_the_same_queries_whatever_the_number_of_plans():
    shop = make_shop()
    home = make_home(shop)

    def count() -> int:
        with clock.frozen(at(TODAY)), CaptureQueriesContext(connection) as queries:
            compare_plans(account=home.account, subscription_id=home.internet.pk, language="en")
        return len(queries)

    few = count()
    for n in range(6):
        more = Plan.objects.create(
            code=f"more-{n}",
            kind="internet",
            name=f"More {n}",
            monthly_price_cents=6000 + n,
            download_mbps=400 + n,
        )
        more.service_areas.add(shop.area)
    assert count() == few <= 8


def test_paid_extras_list_add_ons_and_rentals_dearest_first():
    shop = make_shop()
    home = make_home(shop)
    with clock.frozen(at(TODAY)):
        extras = paid_extras(account=home.account, language="es")
    assert [(e.kind, e.name, e.monthly_cents) for e in extras] == [
        ("equipment", "Arris G54", 1500),
        ("add_on", "Paquete de deportes", 899),
        ("add_on", "Refuerzo de Wi-Fi", 500),
    ]
    assert [e.removable for e in extras] == [False, True, True]
    other = make_home(shop, username="other")
    with clock.frozen(at(TODAY)):
        theirs = paid_extras(account=other.account, language="en")
    assert {e.subscription_id for e in theirs}.isdisjoint({home.internet.pk, home.tv.pk})
