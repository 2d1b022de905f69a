"""The public status page: anyone may open it, it is the same for everyone, shows no
account's data and may be kept by shared caches for a minute."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.outages import declaring, watching
from tests.support.notifications import area, make_person
from tests.support.outages import declare_outage, plan_maintenance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def town():
    ana = make_person(username="anasecret", area_code="north")
    outage = declare_outage(
        areas=[area("north")], cause_en="Power cut at the hub.", cause_es="Corte de luz."
    )
    watching.watch(account=ana.account, user=ana.user, outage_id=outage.pk)
    plan_maintenance(areas=[area("south")], starts_at=NOW + dt.timedelta(days=3))
    with clock.frozen(NOW - dt.timedelta(days=1)):
        fixed = declare_outage(areas=[area("north")], title_en="Fixed yesterday")
        declaring.resolve(outage=fixed, resolved_by=None)
    area("east")
    return ana


def test_every_area_with_its_state_without_signing_in(client, town):
    response = client.get("/status/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("North", "South", "East"):
        assert name in page
    assert "Outage" in page
    assert "Working normally" in page
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


def test_a_public_answer_that_sets_a_cookie_is_not_cached():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from dropline.core.cache_control import NoStoreMiddleware, public_cache

    @public_cache(60)
    def page(request):
        return HttpResponse("same for all")

    def with_cookie(request):
        response = page(request)
        response.set_cookie("sessionid", "someone")
        return response

    request = RequestFactory().get("/")
    assert NoStoreMiddleware(page)(request)["Cache-Control"] == "public, max-age=60"
    assert NoStoreMiddleware(with_cookie)(request)["Cache-Control"] == "no-store"


def test_an_area_shows_now_ahead_and_fixed(client, town):
    north = client.get("/status/north/").content.decode()
    assert "Power cut at the hub." in north
    assert "Fixed yesterday" in north
    south = client.get("/status/south/").content.decode()
    assert "Network upgrade" in south
    assert "Working normally" in south
    spanish = client.get("/status/north/?lang=es").content.decode()
    assert "Corte de luz." in spanish
    assert 'lang="es"' in spanish
    assert client.get("/status/nowhere/").status_code == 404
    assert client.post("/status/north/").status_code == 405


def test_it_is_the_same_page_signed_in_and_shows_nothing_of_an_account(client, town):
    anonymous = {url: client.get(url).content for url in ("/status/", "/status/north/")}
    signed_in = Client()
    signed_in.force_login(town.user)
    signed_in.get("/")  # a session with its cookies
    for url, page in anonymous.items():
        response = signed_in.get(url)
        assert response.content == page, url
        shown = response.content.decode()
        for secret in (
            "anasecret",
            town.account.number,
            "Anasecret Household",
            town.account.service_address.line1,
            "Sign out",
            "Tell me",
            "Stop telling me",
            "csrfmiddlewaretoken",
        ):
            assert secret not in shown, (url, secret)
        # a cookie set for this visitor (a session renewed) is never kept in a shared cache
        if response.cookies:
            assert response["Cache-Control"] == "no-store"
