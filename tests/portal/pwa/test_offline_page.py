"""The offline page: what the service worker shows for a page it cannot fetch. Public, the
same for everyone in a language, with the provider's phone number and hours."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

OFFLINE = "/offline/"


@pytest.fixture(autouse=True)
def support(settings):
    settings.DROPLINE_SUPPORT_PHONE = "+13195550100"
    settings.DROPLINE_SUPPORT_HOURS = "Every day, 7 a.m. to 10 p.m."
    settings.DROPLINE_SUPPORT_HOURS_ES = "Todos los días, de 7 a. m. a 10 p. m."


def test_it_is_at_offline(client):
    assert reverse("pwa:offline") == OFFLINE


def test_anyone_may_open_it_and_call_us(client):
    response = client.get(OFFLINE + "?lang=en")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "<h1>You're offline</h1>" in page
    assert 'href="tel:+13195550100">(319) 555-0100</a>' in page
    assert "Every day, 7 a.m. to 10 p.m." in page
    assert f'href="{reverse("status:index")}"' in page
    assert 'data-layout="portal"' in page


def test_in_spanish_with_the_hours_in_spanish(client):
    page = client.get(OFFLINE + "?lang=es").content.decode()
    assert '<html lang="es">' in page
    assert "<h1>No tiene conexión</h1>" in page
    assert "Todos los días, de 7 a. m. a 10 p. m." in page
    assert "Every day" not in page
    assert "Llámenos" in page
    assert "Estado del servicio" in page


def test_the_same_for_everyone_so_shared_caches_may_keep_it(client):
    anonymous = client.get(OFFLINE + "?lang=en")
    assert anonymous["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Language" in anonymous["Vary"]
    assert not anonymous.cookies
    customer = make_customer(username="ines", name="Ines Household")
    client.force_login(customer.user)
    signed_in = client.get(OFFLINE + "?lang=en")
    assert signed_in.content == anonymous.content
    assert "Ines" not in signed_in.content.decode()


def test_nothing_on_it_needs_a_network_to_read(client):
    """No form (its token would be stale), no image but the icons the worker installs."""
    page = client.get(OFFLINE).content.decode()
    assert "<form" not in page
    assert "csrfmiddlewaretoken" not in page
    assert "<img" not in page


def test_without_support_details_it_still_links_the_status_page(client, settings):
    settings.DROPLINE_SUPPORT_PHONE = ""
    settings.DROPLINE_SUPPORT_HOURS = ""
    page = client.get(OFFLINE).content.decode()
    assert "Need help now?" not in page
    assert f'href="{reverse("status:index")}"' in page
