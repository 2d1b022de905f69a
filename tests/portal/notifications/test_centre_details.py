"""The notification center reads naturally: nothing said about unread when there is
none, a helpful empty state, "Mark as read" named without a stray colon, and the
outage banner not repeated above the notice the center already lists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from dropline.core import clock
from dropline.notifications import announcements
from dropline.notifications.categories import Category, Channel
from dropline.notifications.models import AnnouncementKind, Message
from dropline.notifications.outbox import build_message
from dropline.notifications.rendering import Rendered
from tests.support.factories import Customer, make_customer

pytestmark = pytest.mark.django_db

CENTRE = reverse("notifications:inbox")


@pytest.fixture
def maria(client: Client) -> Customer:
    customer = make_customer(username="maria")
    client.force_login(customer.user)
    return customer


def tell(customer: Customer, subject: str) -> Message:
    message = build_message(
        user=customer.user,
        account=customer.account,
        event="test.note",
        category=Category.BILLING,
        subject_key=subject,
        channel=Channel.IN_APP,
        address="",
        rendered=Rendered(
            subject=subject, email_text="", email_html="", sms="", in_app=f"About {subject}."
        ),
        language="en",
        link="",
        quiet=None,
    )
    message.save()
    return message


def test_an_empty_centre_says_what_will_show_there_and_nothing_about_unread(client, maria):
    page = client.get(CENTRE).content.decode()
    assert "No notifications yet. Bills, outages and changes to your account will show here." in (
        page
    )
    assert "0 unread" not in page
    assert "Nothing here yet" not in page


def test_the_empty_centre_in_spanish(client, maria):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(CENTRE).content.decode()
    assert "Todavía no tiene notificaciones." in page
    assert "0 notificaciones" not in page


def test_unread_notifications_are_counted_when_there_are_some(client, maria):
    tell(maria, "Your bill is ready")
    assert "You have 1 unread notification." in client.get(CENTRE).content.decode()


def test_mark_as_read_is_named_without_a_stray_colon(client, maria):
    message = tell(maria, "Your bill is ready")
    page = client.get(CENTRE).content.decode()
    button = re.search(r"<button[^>]*>Mark as read</button>", page)
    assert button is not None, "the button's text is exactly its visible label"
    # the subject describes the button (read after its name), not a ": Title" inside it
    assert f'aria-describedby="message-{message.pk}-subject"' in button.group(0)
    assert f'id="message-{message.pk}-subject">Your bill is ready<' in page
    assert ": Your bill is ready" not in page


def test_the_outage_banner_is_not_repeated_above_the_same_notice(
    client, maria, django_capture_on_commit_callbacks
):
    now = clock.now()
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announcements.create_announcement(
            kind=AnnouncementKind.OUTAGE,
            areas=[maria.account.service_address.service_area],
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=3),
            title_en="Internet outage in Testville",
            title_es="Corte de internet en Testville",
            body_en="Crews are repairing a cut fiber.",
            body_es="Los equipos reparan una fibra cortada.",
            created_by=None,
        )
        announcements.start_sending(announcement=announcement)
    center = client.get(CENTRE).content.decode()
    assert "Service notices for your area" not in center
    assert center.count("Internet outage in Testville") == 1  # the notice itself
    # every other portal page still shows the banner
    assert "Service notices for your area" in client.get("/").content.decode()
