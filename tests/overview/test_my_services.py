import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.overview.services import my_services
from dropline.subscriptions.ordering import subscribe
from dropline.subscriptions.pricing import change_plan
from tests.support.catalog import make_catalog
from tests.support.factories import make_customer
from tests.support.my_services import NEXT_RISE_ON, PROMOTION_ENDS, household

pytestmark = pytest.mark.django_db

MID_PROMOTION = dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC)
AFTER_PROMOTION = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)
AFTER_ALL = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)


def test_during_the_promotion_the_price_after_it_is_the_contracted_one_from_then():
    with clock.frozen(MID_PROMOTION):
        home = household()
        internet = my_services(account=home.account).services[0]
    assert internet.service.monthly_price.amount_minor == 4500
    assert internet.service.promotion_name == "Spring offer"
    assert internet.service.promotion_ends_on == PROMOTION_ENDS
    # The rise of 1 March applies once the offer ends, not the $70.00 ordered.
    assert internet.price_after_promotion is not None
    assert internet.price_after_promotion.amount_minor == 7500
    assert internet.price_after_promotion_from == PROMOTION_ENDS + dt.timedelta(days=1)
    assert internet.pending_change is not None
    assert internet.pending_change.effective_on == NEXT_RISE_ON
    assert internet.pending_change.monthly_price.amount_minor == 7900
    assert internet.pending_change.reason == "Network upgrade"


def test_after_the_promotion_there_is_no_price_after_it_and_a_past_change_is_not_pending():
    with clock.frozen(MID_PROMOTION):
        home = household()
    with clock.frozen(AFTER_PROMOTION):
        internet = my_services(account=home.account).services[0]
    assert internet.service.promotion_name is None
    assert internet.price_after_promotion is None
    assert internet.service.monthly_price.amount_minor == 7500
    assert internet.pending_change is not None
    with clock.frozen(AFTER_ALL):
        internet = my_services(account=home.account).services[0]
    assert internet.pending_change is None
    assert internet.service.monthly_price.amount_minor == 7900


def test_equipment_goes_with_its_service_and_the_rest_is_listed_apart():
    with clock.frozen(MID_PROMOTION):
        home = household()
        mine = my_services(account=home.account)
    internet = mine.services[0]
    assert [e.name for e in internet.equipment] == ["Arris SB8200"]
    assert [e.name for e in mine.other_equipment] == ["Eero Pro 6"]
    # $45.00 + $10.00 modem + $5.00 router
    assert mine.monthly_total.amount_minor == 6000


def test_mobile_lines_show_their_numbers_and_tv_its_channel_count():
    catalog = make_catalog()
    customer = make_customer(username="lines", services=0, devices=0)
    from dropline.catalog.models import Channel, Plan

    catalog.tv.channels.set(
        [
            Channel.objects.create(number=n, call_sign=f"C{n}", name=f"C {n}", genre="news")
            for n in (2, 4, 5)
        ]
    )
    mobile = Plan.objects.create(
        code="mobile-unlimited", kind="mobile", name="Mobile Unlimited", monthly_price_cents=2999
    )
    subscribe(account=customer.account, plan=catalog.tv)
    subscribe(account=customer.account, plan=mobile, phone_number="+13195550142")
    subscribe(account=customer.account, plan=mobile, phone_number="+13195550199")
    services = my_services(account=customer.account).services
    assert [s.service.kind for s in services] == ["tv", "mobile", "mobile"]
    assert services[0].service.channel_count == 3
    assert [s.service.phone_number for s in services[1:]] == ["(319) 555-0142", "(319) 555-0199"]


def test_query_count_does_not_grow_with_the_number_of_services(memory_cache):
    small = make_customer(username="small", services=1, devices=1)
    big = make_customer(username="big", services=25, devices=25)

    def count(customer):
        caches["default"].clear()  # built, not read back from the cache
        with CaptureQueriesContext(connection) as ctx:
            my_services(account=customer.account)
        return len(ctx.captured_queries)

    # services, their add-ons, price history, equipment (internet only: no channel
    # counts, no bundle)
    assert count(small) == count(big) == 4


def test_the_services_are_kept_until_a_plan_changes(memory_cache):
    customer = make_customer(username="kept", services=1, devices=1)
    internet = customer.account.subscriptions.get()
    first = my_services(account=customer.account)
    with CaptureQueriesContext(connection) as ctx:
        again = my_services(account=customer.account)
    assert len(ctx.captured_queries) == 0  # read back, not read again
    assert again.services[0].plan_code == first.services[0].plan_code
    faster = Plan.objects.create(
        code="internet-900",
        kind="internet",
        name="Internet 900",
        monthly_price_cents=9999,
        currency="USD",
        download_mbps=900,
        upload_mbps=90,
    )
    tomorrow = clock.today() + dt.timedelta(days=1)
    change_plan(subscription=internet, plan=faster, on=tomorrow, actor=None, request=None)
    # The same day, so the same read model's name: the change dropped it.
    codes = [detail.plan_code for detail in my_services(account=customer.account).services]
    assert codes == ["test-internet", "internet-900"]  # ends today; starts tomorrow
