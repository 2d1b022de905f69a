"""The appointment pages: the visits (the next one first), booking with the reason and a
window, pre-filled from the troubleshooter's link, a refused booking saying why with the
nearest open windows, a visit's page with its live status and calendar file,
rescheduling and canceling before the cut-off (after it, the words why not and how to
reach us), in both languages, and never another account's visit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from dropline.core import clock
from dropline.field import dispatch
from dropline.field.models import Appointment, AppointmentStatus, Technician, VisitWindow
from tests.support.dispatch import book_visit, weekly_windows, window_on
from tests.support.equipment import words
from tests.support.factories import Customer, make_customer, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)  # a Tuesday afternoon
THURSDAY = dt.date(2026, 3, 12)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def ann(client: Client) -> Customer:
    customer = make_customer(username="ann")
    weekly_windows(customer.account.service_address.service_area, today=clock.today())
    client.force_login(customer.user)
    return customer


def _window(customer: Customer, hour: int = 8, day: dt.date = THURSDAY) -> VisitWindow:
    return window_on(customer.account.service_address.service_area, day, hour)


def _checked_reasons(html: str) -> list[str]:
    radios = re.findall(r'<input[^>]*name="reason"[^>]*>', html)
    return [re.findall(r'value="([^"]+)"', tag)[0] for tag in radios if " checked" in tag]


def test_with_no_visit_the_list_offers_to_book_one(client, ann) -> None:
    response = client.get("/appointments/")
    assert response.status_code == 200
    assert "No visit booked" in words(response)
    assert 'href="/appointments/book/"' in response.content.decode()


def test_the_list_shows_the_next_visit_first_with_its_status_then_past_ones(client, ann) -> None:
    earlier = book_visit(ann, _window(ann, 14))
    client.post(f"/appointments/{earlier.pk}/cancel/")
    sooner = book_visit(ann, _window(ann, 8), reason="equipment_swap")
    response = client.get("/appointments/")
    text = words(response)
    html = response.content.decode()
    assert text.index("Your next visit") < text.index("Equipment swap") < text.index("Other visits")
    assert "Your visit is booked." in text
    assert "Canceled" in text
    assert html.index(f"/appointments/{sooner.pk}/") < html.index(f"/appointments/{earlier.pk}/")


def test_the_overview_shows_the_next_visit_only_while_there_is_one(client, ann) -> None:
    assert "Your next technician visit" not in words(client.get("/"))
    visit = book_visit(ann, _window(ann, 8))
    page = client.get("/")
    assert "Your next technician visit" in words(page)
    assert f'href="/appointments/{visit.pk}/"' in page.content.decode()
    client.post(f"/appointments/{visit.pk}/cancel/")
    assert "Your next technician visit" not in words(client.get("/"))


def test_the_booking_page_groups_open_windows_by_day_with_arrival_times(client, ann) -> None:
    response = client.get("/appointments/book/")
    assert response.status_code == 200
    html = response.content.decode()
    text = words(response)
    thursday = _window(ann, 8)
    assert f'value="{thursday.pk}"' in html
    assert "Thursday, March 12, 2026" in text or "Thursday, Mar. 12, 2026" in text
    assert "Arrival between" in text
    # Windows before the cut-off (today's, past now + 2 hours) are not offered.
    today_morning = _window(ann, 8, clock.today())
    assert f'value="{today_morning.pk}"' not in html


def test_the_troubleshooter_link_pre_fills_the_reason_the_details_and_the_run(client, ann) -> None:
    response = client.get(
        "/appointments/book/?reason=equipment_swap&details=Modem+lights+all+red&run=42"
    )
    html = response.content.decode()
    assert _checked_reasons(html) == ["equipment_swap"]
    assert "Modem lights all red" in html
    assert 'name="run" value="42"' in html


def test_a_made_up_reason_in_the_link_falls_back_to_repair(client, ann) -> None:
    html = client.get("/appointments/book/?reason=sabotage").content.decode()
    assert 'value="sabotage"' not in html
    assert _checked_reasons(html) == ["repair"]


def test_booking_a_window_shows_the_visit(client, ann) -> None:
    window = _window(ann, 10)
    response = client.post(
        "/appointments/book/",
        {"reason": "repair", "window_id": window.pk, "details": "No internet since Monday"},
    )
    appointment = Appointment.objects.get(account=ann.account)
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    page = client.get(response["Location"])
    text = words(page)
    assert "We booked your visit" in text
    assert "Repair" in text
    assert "No internet since Monday" in text
    assert "Choose another time" in text
    assert "Cancel the visit" in text
    assert f"/appointments/{appointment.pk}/visit.ics" in page.content.decode()


def test_with_a_visit_booked_the_booking_page_points_to_it(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    response = client.get("/appointments/book/")
    assert "You already have a visit booked." in words(response)
    assert f'href="/appointments/{visit.pk}/"' in response.content.decode()
    assert 'name="window_id"' not in response.content.decode()


def test_without_a_window_nothing_is_booked_and_the_field_says_so(client, ann) -> None:
    response = client.post("/appointments/book/", {"reason": "repair"})
    assert response.status_code == 400
    assert "Choose an arrival window." in words(response)
    assert not Appointment.objects.exists()


def test_a_full_window_is_refused_with_why_and_the_nearest_open_windows(client, ann) -> None:
    window = _window(ann, 8)
    for n in range(window.capacity):
        book_visit(make_customer(username=f"early{n}"), window)
    response = client.post("/appointments/book/", {"reason": "repair", "window_id": window.pk})
    assert response.status_code == 409
    text = words(response)
    html = response.content.decode()
    assert "nearest open windows" in text
    assert f'value="{window.pk}"' not in html
    assert f'value="{_window(ann, 10).pk}"' in html
    assert not Appointment.objects.filter(account=ann.account).exists()


def test_rescheduling_moves_the_visit_and_the_page_shows_the_new_window(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    page = client.get(f"/appointments/{visit.pk}/reschedule/")
    assert page.status_code == 200
    assert f'value="{visit.window_id}"' not in page.content.decode()
    new_window = _window(ann, 14)
    response = client.post(f"/appointments/{visit.pk}/reschedule/", {"window_id": new_window.pk})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.window_id == new_window.pk
    assert "We moved your visit" in words(client.get(response["Location"]))


def test_canceling_asks_first_then_the_page_says_canceled(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    confirm = client.get(f"/appointments/{visit.pk}/cancel/")
    assert "Cancel the visit?" in words(confirm)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED
    response = client.post(f"/appointments/{visit.pk}/cancel/")
    assert response.status_code == 302
    text = words(client.get(response["Location"]))
    assert "We canceled your visit." in text
    assert "This visit is canceled." in text
    assert "Choose another time" not in text


def test_after_the_cut_off_the_buttons_are_gone_and_the_page_says_why(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    with clock.frozen(dt.datetime(2026, 3, 12, 7, 0, tzinfo=dt.UTC)):
        page = client.get(f"/appointments/{visit.pk}/")
        text = words(page)
        assert "Choose another time" not in text
        assert f"/appointments/{visit.pk}/cancel/" not in page.content.decode()
        assert "too close to change" in text
        # Going straight to the pages does not change anything either.
        assert client.get(f"/appointments/{visit.pk}/cancel/").status_code == 302
        refused = client.post(f"/appointments/{visit.pk}/cancel/")
        assert refused.status_code == 409
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED


def test_the_tracking_json_follows_dispatch(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    first = client.get(f"/appointments/{visit.pk}/tracking/").json()
    assert first["status"] == "scheduled"
    dispatcher = make_user(username="dispatcher", is_staff=True)
    rosa = Technician.objects.create(name="Rosa Díaz", workdays="0123456")
    rosa.areas.add(ann.account.service_address.service_area)
    dispatch.assign(appointment_id=visit.pk, technician_id=rosa.pk, by=dispatcher)
    dispatch.mark_on_the_way(
        appointment_id=visit.pk, eta=NOW + dt.timedelta(minutes=50), by=dispatcher
    )
    state = client.get(f"/appointments/{visit.pk}/tracking/").json()
    assert state["status"] == "on_the_way"
    assert state["eta_label"]
    assert state["technician"] == "Rosa"
    page = client.get(f"/appointments/{visit.pk}/")
    html = page.content.decode()
    assert 'data-tracking-url="' in html
    assert "Check again" in words(page)
    assert state["status_label"] in words(page)


def test_the_calendar_file_downloads(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    response = client.get(f"/appointments/{visit.pk}/visit.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content
    assert visit.ics_uid.encode() in response.content


def test_another_customers_visit_is_not_found(client, ann) -> None:
    ned = make_customer(username="ned")
    theirs = book_visit(ned, _window(ned, 8))
    for path in ("", "tracking/", "visit.ics", "reschedule/", "cancel/"):
        assert client.get(f"/appointments/{theirs.pk}/{path}").status_code == 404
    assert client.post(f"/appointments/{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.SCHEDULED


def test_posts_need_the_csrf_token(ann) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ann.user)
    visit = book_visit(ann, _window(ann, 8))
    assert (
        strict.post(
            "/appointments/book/", {"reason": "repair", "window_id": _window(ann, 10).pk}
        ).status_code
        == 403
    )
    assert strict.post(f"/appointments/{visit.pk}/cancel/").status_code == 403
    assert (
        strict.post(
            f"/appointments/{visit.pk}/reschedule/", {"window_id": _window(ann, 10).pk}
        ).status_code
        == 403
    )
    visit.refresh_from_db()
    assert (visit.status, Appointment.objects.count()) == (AppointmentStatus.SCHEDULED, 1)


def test_the_pages_speak_spanish(client, ann) -> None:
    visit = book_visit(ann, _window(ann, 8))
    client.cookies["django_language"] = "es"
    assert "Visitas técnicas" in words(client.get("/appointments/"))
    assert "Programar una visita del técnico" in words(client.get("/appointments/book/"))
    assert "Elegir otro horario" in words(client.get(f"/appointments/{visit.pk}/"))


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/appointments/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
