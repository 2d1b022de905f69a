"""A plan priced by the gigabyte shows its line fee and its rate, never a bare "$0.00",
on the plans page and on My services, in English and Spanish."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dropline.catalog.models import Plan
from dropline.customers.models import ServiceArea
from dropline.subscriptions.ordering import subscribe
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_the_gig() -> Plan:
    plan = Plan.objects.create(
        code="mobile-by-the-gig",
        kind="mobile",
        name="Mobile By the Gig",
        name_es="Móvil por gigabyte",
        monthly_price_cents=0,
        price_per_gb=Decimal("14"),
    )
    area, _ = ServiceArea.objects.get_or_create(code="test-area", defaults={"name": "Test Area"})
    plan.service_areas.add(area)
    return plan


def _client(by_the_gig: Plan, *, language: str = "en") -> Client:
    customer = make_customer(username="maria")
    subscribe(account=customer.account, plan=by_the_gig, phone_number="+13195550142")
    client = Client()
    client.force_login(customer.user)
    if language != "en":
        client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


@pytest.mark.parametrize("url", ["/plans/", "/services/"])
def test_the_line_fee_comes_with_the_price_per_gb(by_the_gig, url):
    page = _client(by_the_gig).get(url).content.decode()
    assert "$0.00 a line + $14.00 per GB" in page
    assert "$0.00 a month" not in page


@pytest.mark.parametrize("url", ["/plans/", "/services/"])
def test_the_same_in_spanish(by_the_gig, url):
    page = _client(by_the_gig, language="es").get(url).content.decode()
    assert "$0.00 por línea + $14.00 por GB" in page
