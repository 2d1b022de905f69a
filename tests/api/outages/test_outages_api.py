"""Outages from the mobile app: the same as the web page, and "tell me when it's fixed"
only for the account's own area (404 elsewhere)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.models import OutageStatus, OutageWatch
from dropline.network.outages import declaring
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
def app(ana) -> Client:
    client = Client()
    client.force_login(ana.user)
    return client


def test_current_upcoming_and_recent_with_eta_and_updates(app):
    outage = declare_outage(areas=[area("north")])
    declaring.post_update(
        outage=outage,
        status=OutageStatus.IDENTIFIED,
        eta=NOW + dt.timedelta(hours=2),
        message_en="A cut cable.",
        message_es="Un cable cortado.",
        notify=False,
        posted_by=None,
    )
    ahead = plan_maintenance(areas=[area("north")], starts_at=NOW + dt.timedelta(days=5))
    declare_outage(areas=[area("east")])
    body = app.get("/api/v1/outages").json()
    assert body["area"] == {"code": "north", "name": "North"}
    assert body["all_well"] is False
    [current] = body["current"]
    assert current["id"] == outage.pk
    assert current["status"] == "identified"
    assert current["cause"] is None
    assert current["eta"].startswith("2026-03-10T20:00")
    assert [u["status"] for u in current["updates"]] == ["investigating", "identified"]
    assert current["updates"][1]["message"] == "A cut cable."
    assert current["watching"] is False
    assert [o["id"] for o in body["upcoming"]] == [ahead.pk]
    assert body["recent"] == []
    spanish = app.get("/api/v1/outages", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["current"][0]["title"] == "Corte de internet"
    assert spanish["current"][0]["updates"][1]["message"] == "Un cable cortado."


def test_all_well(app):
    body = app.get("/api/v1/outages").json()
    assert body["all_well"] is True
    assert body["current"] == body["upcoming"] == body["recent"] == []


def test_watch_and_stop(app, ana):
    outage = declare_outage(areas=[area("north")])
    answer = app.post(f"/api/v1/outages/{outage.pk}/watch")
    assert answer.status_code == 200
    assert answer.json() == {"outage_id": outage.pk, "watching": True}
    assert app.post(f"/api/v1/outages/{outage.pk}/watch").status_code == 200
    assert OutageWatch.objects.filter(user=ana.user).count() == 1
    assert app.get("/api/v1/outages").json()["current"][0]["watching"] is True
    assert app.delete(f"/api/v1/outages/{outage.pk}/watch").status_code == 204
    assert not OutageWatch.objects.exists()


def test_an_outage_elsewhere_or_over_is_404(app):
    elsewhere = declare_outage(areas=[area("east")])
    over = declare_outage(areas=[area("north")])
    declaring.resolve(outage=over, resolved_by=None)
    for outage_id in (elsewhere.pk, over.pk, 987654):
        assert app.post(f"/api/v1/outages/{outage_id}/watch").status_code == 404
        assert app.delete(f"/api/v1/outages/{outage_id}/watch").status_code == 404
    assert not OutageWatch.objects.exists()


def test_signed_out_is_401(client):
    assert client.get("/api/v1/outages").status_code == 401
