"""A visit's confirmation email carries its calendar invitation: over real SMTP, a
``text/calendar; method=REQUEST`` part that calendars read back, and only on the email
(the text message and the portal carry none)."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from django.test import override_settings
from icalendar import Calendar

from dropline.core import clock
from dropline.field import booking
from dropline.field.models import VisitWindow
from dropline.field.windows import open_windows
from dropline.notifications.delivery import deliver
from dropline.notifications.models import Message, MessageStatus
from tests.support.servers import SmtpServer
from tests.support.visits import household

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def _calendar_part(parsed: EmailMessage) -> EmailMessage:
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]


def test_the_confirmation_email_carries_the_invitation(smtp_server: SmtpServer) -> None:
    person = household("ana")
    with clock.frozen(NOW):
        open_windows()
        window = VisitWindow.objects.filter(starts_at__gt=NOW + dt.timedelta(days=1)).first()
        assert window is not None
        visit = booking.book(
            account=person.account, person=person.user, window_id=window.pk, reason="repair"
        )
    [message] = Message.objects.filter(event="appointment.booked", channel="email")
    with clock.frozen(NOW), override_settings(**smtp_server.settings()):
        deliver(message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [received] = smtp_server.received
    part = _calendar_part(received.message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == f"visit-{visit.number}.ics"
    event = Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == visit.ics_uid
    others = Message.objects.filter(event="appointment.booked").exclude(channel="email")
    assert set(others.values_list("channel", flat=True)) == {"sms", "in_app"}
    assert all(not m.attachments for m in others)
