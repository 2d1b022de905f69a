from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.catalog.models import Plan
from dropline.catalog.queries import introductory_offer, plans_available
from tests.support.catalog import make_catalog
from tests.support.labels import sell_in_areas

pytestmark = pytest.mark.django_db


def test_a_plan_is_offered_only_where_it_is_sold() -> None:
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    riverbend = [plan.code for plan in plans_available(service_area=areas.riverbend)]
    hills = [plan.code for plan in plans_available(service_area=areas.hills)]
    assert sorted(riverbend) == ["internet-1000", "internet-500", "tv"]
    assert sorted(hills) == ["internet-500", "tv"]


def test_a_plan_with_no_areas_is_sold_nowhere_and_a_plan_off_sale_is_not_offered() -> None:
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    Plan.objects.create(code="lonely", kind="internet", name="Lonely", monthly_price_cents=1)
    Plan.objects.filter(pk=catalog.tv.pk).update(is_active=False)
    codes = {plan.code for plan in plans_available(service_area=areas.hills.pk)}
    assert codes == {"internet-500"}


def test_the_available_plans_come_with_their_offer_in_a_fixed_number_of_queries() -> None:
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    with CaptureQueriesContext(connection) as queries:
        plans = {plan.code: plan for plan in plans_available(service_area=areas.riverbend)}
        offers = {code: introductory_offer(plan) for code, plan in plans.items()}
        counts = {code: plan.channel_count for code, plan in plans.items()}  # type: ignore[attr-defined]
    assert len(queries) == 2
    assert offers["internet-500"] == catalog.promotion
    assert offers["internet-1000"] is None
    assert counts["tv"] == 0
