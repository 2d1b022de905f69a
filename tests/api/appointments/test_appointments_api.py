"""Technician visits from the mobile app: windows with ids, booking, a refused booking's
409 with the nearest windows, reschedule, cancel, the invitation, bad input naming the
field, and another household's visit answering 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from icalendar import Calendar

from dropline.core import clock
from dropline.field.models import Appointment, AppointmentStatus, VisitWindow
from tests.support.notifications import Person, make_person
from tests.support.visits import household, local

pytestmark = pytest.mark.django_db

API = "/api/v1/appointments"


@pytest.fixture(autouse=True)
def monday_morning() -> Iterator[None]:
    with override_settings(TIME_ZONE="America/Chicago"), clock.frozen(local(2026, 3, 2, 9)):
        yield


@pytest.fixture
def ana() -> Person:
    return household("ana", capacity=1)


@pytest.fixture
def app(ana: Person) -> Client:
    client = Client()
    client.force_login(ana.user)
    return client


def _windows(app: Client) -> list[dict[str, Any]]:
    answer = app.get(f"{API}/windows", {"reason": "repair"})
    assert answer.status_code == 200
    return list(answer.json()["windows"])


def _book(app: Client, window_id: int, reason: str = "repair") -> Any:
    return app.post(
        API,
        {"window_id": window_id, "reason": reason, "details": "No signal"},
        content_type="application/json",
    )


def test_windows_start_after_the_cut_off_with_ids_and_places(app: Client) -> None:
    windows = _windows(app)
    first = dt.datetime.fromisoformat(windows[0]["starts_at"])
    assert first == local(2026, 3, 2, 12)  # 10:00 is within the two-hour cut-off
    assert {"id", "starts_at", "ends_at", "open_places", "label"} <= set(windows[0])
    assert all(w["open_places"] == 1 for w in windows)
    last = dt.datetime.fromisoformat(windows[-1]["starts_at"])
    assert last.astimezone(local(2026, 3, 2).tzinfo).date() <= dt.date(2026, 3, 16)


def test_windows_need_a_known_reason(app: Client) -> None:
    missing = app.get(f"{API}/windows")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "reason"
    too_long = app.get(f"{API}/windows", {"reason": "x" * 30})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "reason"
    bad = app.get(f"{API}/windows", {"reason": "haircut"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"field": "reason", "reason": bad.json()["detail"]}]


def test_book_reschedule_cancel_and_the_invitation(app: Client) -> None:
    windows = _windows(app)
    booked = _book(app, windows[0]["id"])
    assert booked.status_code == 201
    visit = booked.json()
    assert visit["status"] == "scheduled"
    assert visit["can_change"] is True
    assert visit["tracking"]["status"] == "scheduled"
    assert [s["done"] for s in visit["tracking"]["steps"]] == [True, False, False, False]

    listed = app.get(API).json()["appointments"]
    assert [a["id"] for a in listed] == [visit["id"]]

    moved = app.patch(
        f"{API}/{visit['id']}", {"window_id": windows[3]["id"]}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert moved.json()["window"]["id"] == windows[3]["id"]
    assert moved.json()["ics_sequence"] == 1

    ics = app.get(f"{API}/{visit['id']}/ics")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("SEQUENCE") == 1

    canceled = app.delete(f"{API}/{visit['id']}")
    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    assert VisitWindow.objects.filter(booked__gt=0).count() == 0
    calendar = Calendar.from_ical(app.get(f"{API}/{visit['id']}/ics").content)
    assert str(calendar["METHOD"]) == "CANCEL"


def test_a_full_window_answers_409_with_the_nearest_open_ones(app: Client) -> None:
    windows = _windows(app)
    neighbour = make_person(username="ben", area_code="north")
    other = Client()
    other.force_login(neighbour.user)
    assert _book(other, windows[1]["id"]).status_code == 201
    refused = _book(app, windows[1]["id"])
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "full"
    assert body["field"] == "window_id"
    assert len(body["alternatives"]) == 3
    assert windows[1]["id"] not in {w["id"] for w in body["alternatives"]}
    assert not Appointment.objects.filter(account__members__user__username="ana").exists()


def test_bad_input_names_the_field_and_writes_nothing(app: Client) -> None:
    windows = _windows(app)
    bad_reason = _book(app, windows[0]["id"], reason="haircut")
    assert bad_reason.status_code == 400
    assert bad_reason.json()["errors"][0]["field"] == "reason"
    no_window = app.post(API, {"reason": "repair"}, content_type="application/json")
    assert no_window.status_code == 422
    assert no_window.json()["errors"][0]["field"] == "window_id"
    unknown = _book(app, 999999)
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "window_id"
    assert not Appointment.objects.exists()


def test_another_households_visit_answers_404(app: Client) -> None:
    neighbour = make_person(username="ben", area_code="north")
    other = Client()
    other.force_login(neighbour.user)
    theirs = _book(other, _windows(other)[0]["id"]).json()["id"]
    assert app.get(f"{API}/{theirs}").status_code == 404
    assert app.get(f"{API}/{theirs}/ics").status_code == 404
    assert app.delete(f"{API}/{theirs}").status_code == 404
    patch = app.patch(f"{API}/{theirs}", {"window_id": 1}, content_type="application/json")
    assert patch.status_code == 404
    assert Appointment.objects.get(pk=theirs).status == AppointmentStatus.SCHEDULED


def test_signed_out_is_refused() -> None:
    assert Client().get(API).status_code == 401
