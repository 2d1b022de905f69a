"""Email over real SMTP: what lands in the customer's mailbox, and what a refusal does."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import override_settings

from dropline.core import clock
from dropline.notifications import announcements
from dropline.notifications.categories import Category, Channel
from dropline.notifications.delivery import BACKOFF_SECONDS, deliver
from dropline.notifications.models import (
    ContactPoint,
    ContactStatus,
    DeliveryAttempt,
    Message,
    MessageStatus,
)
from dropline.notifications.preferences import preference_grid
from dropline.notifications.unsubscribe import read_token
from tests.support.notifications import area, make_person, send_notice
from tests.support.servers import SmtpServer

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = re.compile(r"^<(https?://[^>]+/notifications/unsubscribe/([^/>]+)/)>$")
NOW = dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC)


def _email_of(user_pk: int) -> Message:
    return Message.objects.get(user_id=user_pk, channel=Channel.EMAIL)


def test_announcement_arrives_as_text_and_html_in_each_persons_language(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    maria = make_person(username="maria", email_address="maria@example.com")
    jose = make_person(username="jose", language="es", email_address="jose@example.com")
    with override_settings(**smtp_server.settings()):
        notice = announcements.create_announcement(
            kind="outage",
            areas=[area("north")],
            starts_at=NOW,
            ends_at=NOW + dt.timedelta(hours=3),
            title_en="Internet outage in Riverbend",
            title_es="Corte de internet en Riverbend",
            body_en="A fibre cut is being repaired.",
            body_es="Estamos reparando un corte de fibra.",
            created_by=None,
        )
        with django_capture_on_commit_callbacks(execute=True):
            announcements.start_sending(announcement=notice)

    by_rcpt = {r.rcpt_tos[0]: r.message for r in smtp_server.received}
    assert sorted(by_rcpt) == ["jose@example.com", "maria@example.com"]
    assert all(len(r.rcpt_tos) == 1 for r in smtp_server.received)  # one mail per person

    english, spanish = by_rcpt["maria@example.com"], by_rcpt["jose@example.com"]
    assert english["Subject"] == "Internet outage in Riverbend"
    assert spanish["Subject"] == "Corte de internet en Riverbend"
    spanish_text = spanish.get_body(("plain",))
    assert spanish_text is not None
    assert "Estamos reparando un corte de fibra." in spanish_text.get_content()
    assert "fibre cut" not in spanish_text.get_content()

    for message, person in ((english, maria), (spanish, jose)):
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert plain is not None
        assert html is not None
        assert plain.get_content_type() == "text/plain"
        assert html.get_content_type() == "text/html"
        assert "<html" in html.get_content()
        # RFC 8058 one-click unsubscribe, for this person and this category only
        match = UNSUBSCRIBE.match(str(message["List-Unsubscribe"]).strip())
        assert match is not None, message["List-Unsubscribe"]
        assert read_token(match.group(2)) == (person.user.pk, Category.OUTAGES)
        assert str(message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
        # the Message-ID is stable, so a retried send is recognizably the same mail
        assert message["Message-ID"].endswith("@dropline>")

    assert {m.status for m in Message.objects.filter(channel=Channel.EMAIL)} == {"sent"}
    assert len(mail.outbox) == 0  # it went over SMTP, not to the test mailbox


def test_a_security_alert_carries_no_unsubscribe_headers(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    maria = make_person(username="maria", email_address="maria@example.com")
    with (
        override_settings(**smtp_server.settings()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_notice(user=maria.user, category=Category.SECURITY, subject_key="login:1")
        send_notice(user=maria.user, category=Category.BILLING, subject_key="invoice:1")

    assert len(smtp_server.received) == 2
    security, billing = (
        smtp_server.received[0].message,
        smtp_server.received[1].message,
    )
    ids = {
        m.category: m.idempotency_key.replace(":", ".")
        for m in Message.objects.filter(channel=Channel.EMAIL)
    }
    if ids[Category.SECURITY] not in security["Message-ID"]:
        security, billing = billing, security
    assert ids[Category.SECURITY] in security["Message-ID"]
    assert "List-Unsubscribe" not in security
    assert "List-Unsubscribe-Post" not in security
    assert "/unsubscribe/" not in security.as_string()
    assert str(billing["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    match = UNSUBSCRIBE.match(str(billing["List-Unsubscribe"]).strip())
    assert match is not None
    assert read_token(match.group(2)) == (maria.user.pk, Category.BILLING)


def test_a_550_refusal_fails_the_message_and_marks_the_address_undeliverable(
    smtp_server: SmtpServer,
):
    gone = make_person(username="gone", email_address="gone@example.com")
    smtp_server.handler.refuse["gone@example.com"] = "550 5.1.1 <gone@example.com>: no such user"
    with clock.frozen(NOW):
        send_notice(user=gone.user)
        message = _email_of(gone.user.pk)
        with override_settings(**smtp_server.settings()):
            outcome = deliver(message.pk)

    assert outcome.status == MessageStatus.FAILED
    assert smtp_server.handler.rcpt_seen == ["gone@example.com"]
    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "550" in message.last_error
    contact = ContactPoint.objects.get(user=gone.user, address="gone@example.com")
    assert contact.status == ContactStatus.UNDELIVERABLE
    assert "550" in contact.failure_reason
    assert contact.failed_at == NOW
    [attempt] = DeliveryAttempt.objects.filter(message=message)
    assert not attempt.succeeded

    # the next notice does not use the dead address, and nothing is retried
    with clock.frozen(NOW + dt.timedelta(days=1)):
        later = send_notice(user=gone.user, subject_key="notice:2")
    assert [m.channel for m in later] == [Channel.IN_APP]


def test_a_451_deferral_is_retried_later_and_the_address_stays_good(smtp_server: SmtpServer):
    busy = make_person(username="busy", email_address="busy@example.com")
    smtp_server.handler.refuse["busy@example.com"] = "451 4.7.1 greylisted, try again later"
    with clock.frozen(NOW):
        send_notice(user=busy.user)
        message = _email_of(busy.user.pk)
        with override_settings(**smtp_server.settings()):
            outcome = deliver(message.pk)

    assert outcome.status == MessageStatus.PENDING
    assert outcome.retry_in == BACKOFF_SECONDS[0]
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.not_before == NOW + dt.timedelta(seconds=BACKOFF_SECONDS[0])
    assert message.not_before > NOW
    assert message.attempts == 1
    assert "451" in message.last_error
    [attempt] = DeliveryAttempt.objects.filter(message=message)
    assert not attempt.succeeded
    assert "451" in attempt.detail
    contact = ContactPoint.objects.get(user=busy.user, address="busy@example.com")
    assert contact.status == ContactStatus.OK
    assert contact.failure_reason == ""

    # once the server takes mail again, the retry delivers it, once
    del smtp_server.handler.refuse["busy@example.com"]
    with (
        clock.frozen(NOW + dt.timedelta(seconds=BACKOFF_SECONDS[0] + 1)),
        override_settings(**smtp_server.settings()),
    ):
        assert deliver(message.pk).status == MessageStatus.SENT
        assert deliver(message.pk).status == MessageStatus.SENT  # already sent: no resend
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert DeliveryAttempt.objects.filter(message=message, succeeded=True).count() == 1


def test_the_one_click_link_in_the_header_works_without_signing_in(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks, client
):
    maria = make_person(username="maria", email_address="maria@example.com")
    with (
        override_settings(**smtp_server.settings()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_notice(user=maria.user, category=Category.USAGE, subject_key="usage:80")
    [received] = smtp_server.received
    match = UNSUBSCRIBE.match(str(received.message["List-Unsubscribe"]).strip())
    assert match is not None
    path = urlsplit(match.group(1)).path

    # what a mail client sends (RFC 8058): a POST with no cookies and no CSRF token
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    grid = preference_grid(user=maria.user)
    assert grid[Category.USAGE][Channel.EMAIL] is False
    assert grid[Category.USAGE][Channel.SMS] is True
    assert grid[Category.OUTAGES][Channel.EMAIL] is True
    assert grid[Category.BILLING][Channel.EMAIL] is True

    # a link changed by one character does nothing
    token = match.group(2)
    forged = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert client.post(forged, {"List-Unsubscribe": "One-Click"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        created = send_notice(user=maria.user, category=Category.USAGE, subject_key="usage:90")
    assert Channel.EMAIL not in {m.channel for m in created}
