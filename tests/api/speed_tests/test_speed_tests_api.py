"""Speed tests from the app: the history in pages, a result recorded with the plan's
speeds and the advice, bad figures refused naming the field, a limit per hour, and never
another account's tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.models import SpeedTest
from tests.support.factories import PASSWORD
from tests.support.speed_tests import FIGURES, a_test, household

pytestmark = pytest.mark.django_db

URL = "/api/v1/speed-tests"


@pytest.fixture
def app() -> Client:
    customer = household("apiuser")
    client = Client()
    assert client.login(username="apiuser", password=PASSWORD)
    start = dt.datetime(2026, 11, 1, 20, tzinfo=dt.UTC)
    for day in range(25):
        with clock.frozen(start + dt.timedelta(days=day)):
            a_test(customer, download_kbps=100_000 + day)
    return client


def test_the_history_comes_in_pages_newest_first(app):
    first = app.get(URL).json()
    assert len(first["items"]) == 20
    assert first["items"][0]["download_kbps"] == 100_024
    assert first["items"][0]["plan_download_mbps"] == 500
    assert first["items"][0]["assessment"]["download"] == "well_below"
    assert "restart_or_check" in first["items"][0]["assessment"]["advice_codes"]
    rest = app.get(URL, {"cursor": first["next_cursor"]}).json()
    assert [t["download_kbps"] for t in rest["items"]] == [
        100_004,
        100_003,
        100_002,
        100_001,
        100_000,
    ]
    assert rest["next_cursor"] is None
    assert app.get(URL, {"cursor": "forged"}).status_code == 400


def test_a_result_from_the_app_is_recorded_with_the_advice(app):
    response = app.post(
        URL,
        {**FIGURES, "download_kbps": 150_000, "connection": "wifi"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["plan_download_mbps"] == 500
    assert body["assessment"]["advice_codes"][:2] == ["slower_than_plan", "wifi_often_the_limit"]
    assert any("Wi-Fi" in line for line in body["assessment"]["advice"])
    assert SpeedTest.objects.filter(pk=body["id"], connection="wifi").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("download_kbps", -1),
        ("download_kbps", 10_000_001),
        ("upload_kbps", "fast"),
        ("latency_ms", 1.5),
        ("streams", 0),
        ("streams", 17),
        ("connection", "carrier pigeon"),
    ],
)
def test_a_bad_figure_is_refused_naming_the_field(app, field, value):
    before = SpeedTest.objects.count()
    response = app.post(URL, {**FIGURES, field: value}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["reason"]
    assert SpeedTest.objects.count() == before


def test_a_missing_figure_is_named(app):
    figures = {k: v for k, v in FIGURES.items() if k != "upload_kbps"}
    response = app.post(URL, figures, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "upload_kbps"


def test_recording_is_limited_per_hour(app):
    for _ in range(20):
        assert app.post(URL, FIGURES, content_type="application/json").status_code == 201
    refused = app.post(URL, FIGURES, content_type="application/json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "You can record another in" in refused.json()["detail"]


def test_never_another_accounts_tests(app):
    other = household("someone")
    a_test(other, download_kbps=777_777)
    number = other.account.number
    assert app.get(URL, {"account": number}).status_code == 404
    assert (
        app.post(URL, {**FIGURES, "account": number}, content_type="application/json").status_code
        == 404
    )
    shown = app.get(URL).content.decode()
    assert "777777" not in shown
    assert (
        not SpeedTest.objects.filter(account=other.account).exclude(download_kbps=777_777).exists()
    )


def test_signed_out_gets_401(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, FIGURES, content_type="application/json").status_code == 401
