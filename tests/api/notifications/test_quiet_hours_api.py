"""Quiet hours for text messages through the API, with the web settings page's rules:
both times or neither, different times, a time zone from the list; a text asked for at
night then waits for the morning. Bad input names the field and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from dropline.core import clock
from dropline.notifications.categories import Channel
from dropline.notifications.models import Message, QuietHours
from tests.support.notifications import make_person, send_notice

pytestmark = pytest.mark.django_db

QUIET_HOURS = "/api/v1/notification-preferences/quiet-hours"
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def maria():
    return make_person(username="maria", phone="+13195550142")


@pytest.fixture
def app(maria) -> Client:
    client = Client()
    client.force_login(maria.user)
    return client


def put(app: Client, body: dict[str, Any]) -> Any:
    return app.put(QUIET_HOURS, body, content_type="application/json")


def test_off_until_set_with_the_zones_the_web_offers(app, settings):
    body = app.get(QUIET_HOURS).json()
    assert body["on"] is False
    assert body["starts"] is None
    assert body["ends"] is None
    assert body["time_zone"] == settings.TIME_ZONE
    zones = [zone["zone"] for zone in body["time_zones"]]
    assert zones[0] == settings.TIME_ZONE  # the provider's first, as on the web
    assert "America/Chicago" in zones
    assert {"zone": "America/Chicago", "name": "Central time (America/Chicago)"} in body[
        "time_zones"
    ]


def test_setting_quiet_hours_holds_a_text_until_morning(app, maria):
    answer = put(app, {"starts": "22:00", "ends": "07:00", "time_zone": "America/Chicago"})

    assert answer.status_code == 200
    assert answer.json() | {"time_zones": []} == {
        "on": True,
        "starts": "22:00",
        "ends": "07:00",
        "time_zone": "America/Chicago",
        "time_zones": [],
    }
    assert app.get(QUIET_HOURS).json()["starts"] == "22:00"
    # The web's settings page shows the same hours.
    page = app.get(reverse("notifications:preferences")).content.decode()
    assert 'value="22:00"' in page
    # A text asked for at 23:30 in Chicago waits until 07:00 there.
    night = dt.datetime(2026, 1, 15, 23, 30, tzinfo=CHICAGO)
    with clock.frozen(night.astimezone(dt.UTC)):
        send_notice(user=maria.user)
    sms = Message.objects.get(user=maria.user, channel=Channel.SMS)
    assert sms.not_before == dt.datetime(2026, 1, 16, 7, 0, tzinfo=CHICAGO)


def test_both_times_null_turn_them_off(app, maria):
    put(app, {"starts": "22:00", "ends": "07:00", "time_zone": "America/Chicago"})
    answer = put(app, {"starts": None, "ends": None})
    assert answer.status_code == 200
    assert answer.json()["on"] is False
    assert not QuietHours.objects.filter(user=maria.user).exists()


def test_an_empty_zone_keeps_the_current_one(app, maria):
    put(app, {"starts": "22:00", "ends": "07:00", "time_zone": "America/Denver"})
    answer = put(app, {"starts": "21:30", "ends": "06:45"})
    assert answer.status_code == 200
    quiet = QuietHours.objects.get(user=maria.user)
    assert (quiet.starts, quiet.ends, quiet.time_zone) == (
        dt.time(21, 30),
        dt.time(6, 45),
        "America/Denver",
    )


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"starts": "22:00", "ends": None, "time_zone": "America/Chicago"}, "ends", 400),
        ({"starts": None, "ends": "06:00", "time_zone": "America/Chicago"}, "starts", 400),
        ({"starts": "22:00", "ends": "22:00", "time_zone": "America/Chicago"}, "ends", 400),
        ({"starts": "22:00", "ends": "06:00", "time_zone": "Europe/Paris"}, "time_zone", 400),
        ({"starts": "22:00", "ends": "06:00", "time_zone": "Mars/Olympus"}, "time_zone", 400),
        ({"starts": "25:00", "ends": "06:00", "time_zone": "America/Chicago"}, "starts", 422),
        ({"starts": "22:00", "ends": "6:00", "time_zone": "America/Chicago"}, "ends", 422),
        ({"starts": "22:00+01:00", "ends": "06:00"}, "starts", 422),
        ({"starts": "22:00"}, "ends", 422),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(app, maria, body, field, status):
    put(app, {"starts": "21:00", "ends": "07:00", "time_zone": "America/New_York"})
    before = list(QuietHours.objects.values())

    answer = put(app, body)

    assert answer.status_code == status
    assert [error["field"] for error in answer.json()["errors"]] == [field]
    assert list(QuietHours.objects.values()) == before


def test_the_refusal_is_in_the_callers_language(app):
    answer = app.put(
        QUIET_HOURS,
        {"starts": "22:00", "ends": "22:00", "time_zone": "America/Chicago"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {
            "field": "ends",
            "reason": "El horario de silencio debe empezar y terminar a horas distintas.",
        }
    ]


def test_signed_out_callers_get_401():
    assert Client().get(QUIET_HOURS).status_code == 401
    answer = Client().put(
        QUIET_HOURS, {"starts": None, "ends": None}, content_type="application/json"
    )
    assert answer.status_code == 401
