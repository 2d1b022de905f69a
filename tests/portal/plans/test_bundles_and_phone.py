"""Home phone plans and bundles where customers choose: the plans page lists home phone
with what it includes and the bundles sold at the address ("Save $10.00 a month with
Internet + TV"), the broadband label names the bundles with internet, and the app gets
the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from dropline.core import clock
from tests.support.billing import at
from tests.support.bundles import home_phone_plan, make_bundle
from tests.support.catalog import make_catalog
from tests.support.factories import make_customer
from tests.support.labels import make_label, sell_in_areas

pytestmark = pytest.mark.django_db

TODAY = at(dt.date(2026, 3, 15))


@pytest.fixture
def shop():
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    make_label(catalog.internet)
    make_bundle("internet-tv", discount=1000, name="Internet + TV", name_es="Internet + TV")
    make_bundle(
        "internet-tv-phone",
        kinds=("internet", "tv", "phone"),
        discount=2000,
        name="Internet + TV + Home phone",
        name_es="Internet + TV + Teléfono residencial",
    )
    make_bundle("withdrawn", discount=3000, name="Old Double Play", on_offer=False)
    return catalog, areas


def signed_in() -> Client:
    customer = make_customer(username="maria")
    client = Client()
    client.force_login(customer.user)
    return client


def test_the_plans_page_lists_the_bundles_sold_at_the_address(shop):
    client = signed_in()
    with clock.frozen(TODAY):
        page = client.get("/plans/").content.decode()
    assert 'id="bundles"' in page
    assert "Save $10.00 a month with Internet + TV." in page
    # Home phone is not sold here: no bundle that needs it, and no withdrawn one.
    assert "Internet + TV + Home phone" not in page
    assert "Old Double Play" not in page


def test_home_phone_is_offered_with_what_it_includes_and_its_bundle(shop):
    _catalog, areas = shop
    home_phone_plan().service_areas.add(areas.riverbend)
    client = signed_in()
    with clock.frozen(TODAY):
        page = client.get("/plans/").content.decode()
        with translation.override("es"):
            spanish = client.get("/plans/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'id="plans-phone"' in page
    assert "Home phone" in page
    assert "Unlimited nationwide calling, with voicemail and caller ID." in page
    assert "Save $20.00 a month with Internet + TV + Home phone." in page
    assert page.index("Internet + TV + Home phone") < page.index("with Internet + TV.")
    assert "Teléfono residencial ilimitado" in spanish
    assert "con buzón de voz" in spanish
    assert "Ahorre $20.00 al mes con Internet + TV + Teléfono residencial." in spanish


def test_the_label_names_the_bundles_with_internet(shop):
    with clock.frozen(TODAY):
        page = Client().get("/plans/internet-500/label/").content.decode()
        body = Client().get("/api/v1/plans/internet-500/label").json()
    assert "Save $20.00 a month with Internet + TV + Home phone." in page
    assert "Save $10.00 a month with Internet + TV." in page
    assert "Old Double Play" not in page
    assert "Bundles at your address" not in page  # signed out: the label alone
    assert [(b["code"], b["monthly_discount_cents"]) for b in body["bundles"]] == [
        ("internet-tv-phone", 2000),
        ("internet-tv", 1000),
    ]
    client = signed_in()
    with clock.frozen(TODAY):
        page = client.get("/plans/internet-500/label/").content.decode()
    assert 'href="/plans/#bundles"' in page


def test_the_app_gets_the_bundles_sold_at_the_address(shop):
    client = signed_in()
    with clock.frozen(TODAY):
        body = client.get("/api/v1/plans").json()
    assert body["bundles"] == [
        {"code": "internet-tv", "name": "Internet + TV", "monthly_discount_cents": 1000}
    ]
