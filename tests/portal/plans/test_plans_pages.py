"""The plans on sale at the account's address, and the broadband facts label: public,
printable, in English and Spanish, and showing nothing of any account."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from dropline.customers.models import ServiceAddress
from tests.support.catalog import make_catalog
from tests.support.factories import make_customer
from tests.support.labels import make_label, sell_in_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    make_label(catalog.internet)
    make_label(catalog.faster)
    return catalog, areas


def _signed_in(username: str = "maria"):
    customer = make_customer(username=username)
    client = Client()
    client.force_login(customer.user)
    return customer, client


def test_the_plans_page_lists_what_is_sold_at_the_address(shop):
    _customer, client = _signed_in()
    page = client.get("/plans/").content.decode()
    assert "Internet 500" in page
    assert "Internet 1000" in page
    assert "TV Essentials" in page
    assert "$45.00 a month" in page
    assert "For 3 months, then $70.00 a month" in page
    assert "/plans/internet-500/label/" in page
    assert 'href="/plans/"' in page  # the navigation entry


def test_a_plan_not_sold_at_the_address_is_not_offered(shop):
    _catalog, areas = shop
    customer, client = _signed_in()
    ServiceAddress.objects.filter(pk=customer.account.service_address_id).update(
        service_area=areas.hills
    )
    page = client.get("/plans/").content.decode()
    assert "Internet 500" in page
    assert "Internet 1000" not in page
    # Its label is public information all the same.
    assert client.get("/plans/internet-1000/label/").status_code == 200


def test_the_plans_page_needs_sign_in(shop, client):
    response = client.get("/plans/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_label_opens_signed_out_and_shows_no_account(shop, client):
    customer, _client = _signed_in()
    response = client.get("/plans/internet-500/label/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Broadband Facts" in page
    assert "Monthly price" in page
    assert "This monthly price is an introductory rate. This rate applies for 3 months." in page
    assert "After 3 months, the monthly price will be $70.00." in page
    assert "Modem rental" in page
    assert "Installation" in page
    assert "Vary by location" in page
    assert "512 Mbps" in page
    assert "18 ms" in page
    assert "https://www.fcc.gov/consumers/broadband-labels-glossary" in page
    assert shop[0].internet.broadband_label.identifier in page
    assert customer.account.number not in page
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )


def test_the_label_in_spanish(shop, client):
    with translation.override("es"):
        page = client.get("/plans/internet-500/label/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Datos sobre banda ancha" in page
    assert "Alquiler del módem" in page


def test_plans_without_a_label_answer_404(shop, client):
    assert client.get("/plans/tv/label/").status_code == 404
    assert client.get("/plans/nothing-here/label/").status_code == 404
