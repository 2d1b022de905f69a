""" "Is there an outage?": what the customer sees for their address, in both languages,
and "tell me when it's fixed" for their own area's outages only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.models import OutageStatus, OutageWatch
from dropline.network.outages import declaring
from dropline.portal.outages import views
from tests.support.notifications import Person, area, make_person
from tests.support.outages import declare_outage, plan_maintenance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def ana() -> Person:
    return make_person(username="ana", area_code="north")


@pytest.fixture
def browser(ana: Person) -> Client:
    client = Client()
    client.force_login(ana.user)
    return client


def _page(client: Client, language: str = "en") -> str:
    response = client.get("/outages/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_all_is_well_says_so_and_points_to_the_checks(browser, monkeypatch):
    declare_outage(areas=[area("south")], title_en="Trouble down south")
    # the connection check and the speed test, when the site serves them (two pages that
    # exist stand in for them here)
    monkeypatch.setattr(views, "CONNECTION_CHECK_PATH", "/usage/")
    monkeypatch.setattr(views, "SPEED_TEST_PATH", "/services/")
    page = _page(browser)
    assert "No outage at your address" in page
    assert "connection check</a>" in page
    assert 'href="/usage/"' in page
    assert 'href="/services/"' in page
    assert "Trouble down south" not in page
    assert 'href="/status/north/"' in page


def test_no_link_to_a_check_the_site_does_not_serve(browser, monkeypatch):
    monkeypatch.setattr(views, "CONNECTION_CHECK_PATH", "/no-such-page/")
    monkeypatch.setattr(views, "SPEED_TEST_PATH", "/nor-this-one/")
    page = _page(browser)
    assert "/no-such-page/" not in page
    assert "/nor-this-one/" not in page
    assert "restart your modem" in page


def test_the_current_outage_with_its_cause_eta_and_updates(browser):
    outage = declare_outage(
        areas=[area("north")],
        cause_en="A fibre cable was cut by roadworks.",
        cause_es="Obras cortaron un cable de fibra.",
    )
    with clock.frozen(NOW + dt.timedelta(minutes=10)):
        declaring.post_update(
            outage=outage,
            status=OutageStatus.IN_PROGRESS,
            eta=NOW + dt.timedelta(hours=3),
            message_en="Crews are splicing the cable.",
            message_es="Los técnicos empalman el cable.",
            notify=False,
            posted_by=None,
        )
    page = _page(browser)
    assert "Going on now" in page
    assert "Internet outage" in page
    assert "A fibre cable was cut by roadworks." in page
    assert "Crews are splicing the cable." in page
    assert "Work in progress" in page
    assert "Tell me when it&#x27;s fixed" in page or "Tell me when it's fixed" in page
    spanish = _page(browser, "es")
    assert "Corte de internet" in spanish
    assert "Obras cortaron un cable de fibra." in spanish
    assert "Los técnicos empalman el cable." in spanish
    assert "roadworks" not in spanish


def test_planned_maintenance_and_recently_fixed(browser):
    plan_maintenance(areas=[area("north")], starts_at=NOW + dt.timedelta(days=6))
    with clock.frozen(NOW - dt.timedelta(days=2)):
        old = declare_outage(areas=[area("north")], title_en="Yesterday's outage")
        declaring.resolve(outage=old, resolved_by=None)
    page = _page(browser)
    assert "Planned maintenance" in page
    assert "Network upgrade" in page
    assert "Fixed in the last 7 days" in page
    assert "Yesterday&#x27;s outage" in page
    assert "No outage at your address" in page


def test_tell_me_and_stop_telling_me(browser, ana):
    outage = declare_outage(areas=[area("north")])
    assert browser.get(f"/outages/{outage.pk}/watch/").status_code == 405
    response = browser.post(f"/outages/{outage.pk}/watch/")
    assert response.status_code == 302
    assert OutageWatch.objects.filter(outage=outage, user=ana.user, account=ana.account).exists()
    page = _page(browser)
    assert "Stop telling me" in page
    browser.post(f"/outages/{outage.pk}/watch/")  # twice is once
    assert OutageWatch.objects.filter(outage=outage).count() == 1
    browser.post(f"/outages/{outage.pk}/unwatch/")
    assert not OutageWatch.objects.exists()


def test_an_outage_elsewhere_cannot_be_watched(browser):
    elsewhere = declare_outage(areas=[area("east")])
    assert browser.post(f"/outages/{elsewhere.pk}/watch/").status_code == 404
    assert browser.post(f"/outages/{elsewhere.pk}/unwatch/").status_code == 404
    assert not OutageWatch.objects.exists()


def test_the_watch_buttons_need_the_csrf_token(ana):
    outage = declare_outage(areas=[area("north")])
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana.user)
    assert client.post(f"/outages/{outage.pk}/watch/").status_code == 403
    assert not OutageWatch.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/outages/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_overview_banner_links_here(browser):
    declare_outage(areas=[area("north")], notify=True, eta=NOW + dt.timedelta(hours=2))
    response = browser.get("/")
    assert response.status_code == 200
    assert 'href="/outages/"' in response.content.decode()


def test_the_banner_never_invents_an_end_for_an_outage_with_no_eta(
    browser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        declare_outage(areas=[area("north")], notify=True)
    page = browser.get("/").content.decode()
    assert "no estimate yet of when it will be fixed" in page
    assert "until" not in page.split('class="notice-banner"')[1].split("</div>")[0]
