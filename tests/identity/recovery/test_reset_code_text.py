"""The reset code by text message leaves the request as a sealed background task, so
the request takes as long whether or not it found a login with a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dropline.accounts import sealed
from dropline.identity import tasks
from dropline.identity.recovery import email_reset, reset_codes, text_reset
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, SimulatedSms
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db

PHONE = "+13195550142"


@pytest.fixture
def handed_off(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the request gives the task queue (as a broker would keep it), not run."""
    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks.send_reset_code_text, "delay", lambda **kw: queued.append(kw))
    return queued


def test_the_request_only_queues_the_text_and_the_code_travels_sealed(handed_off):
    user = make_user(username="maria")
    add_verified_contact(user=user, kind=ContactKind.PHONE, address=PHONE, primary=True)

    text_reset.request_reset_code(identifier="maria", ip="203.0.113.5", language="en")

    assert not SimulatedSms.objects.exists()  # nothing sent during the request
    (job,) = handed_off
    assert job["phone"] == PHONE
    assert job["user_id"] == user.pk
    assert sealed.is_sealed(job["sealed_body"])

    # The worker sends it; the code in the text resets the password.
    assert tasks.send_reset_code_text(**job) is True
    code = re.search(r"\b(\d{6})\b", SimulatedSms.objects.get(to=PHONE).body)
    assert code is not None
    assert code.group(1) not in job["sealed_body"]  # the broker never saw it in clear
    assert reset_codes.reset_password_with_code(
        identifier="maria",
        code=code.group(1),
        new_password="a-brand-new-passphrase-7",
        request=None,
    )


def test_nothing_is_queued_for_a_login_that_does_not_exist(handed_off):
    text_reset.request_reset_code(identifier="nobody", ip="203.0.113.5", language="en")
    assert handed_off == []


def test_a_gateway_failure_in_the_worker_is_logged_not_raised(monkeypatch, caplog):
    class Down:
        def send(self, **kwargs: Any) -> None:
            raise tasks.SmsError("gateway unreachable")

    monkeypatch.setattr(tasks, "gateway", lambda: Down())
    sent = tasks.send_reset_code_text(
        user_id=7,
        phone=PHONE,
        sealed_body=sealed.seal("Your code is 123456"),
        idempotency_key="reset_code:7:abc",
    )
    assert sent is False
    assert "not sent to user 7" in caplog.text
    assert "123456" not in caplog.text


def test_reset_emails_are_queued_sealed_for_known_and_unknown_addresses(monkeypatch):
    """Both a real reset email and the "no login uses this address" one leave the
    request as a queued job; the link and code in it are sealed."""
    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks.send_recovery_email, "delay", lambda **kw: queued.append(kw))
    user = make_user(username="maria", email="maria@example.com")
    email_reset.send_reset_email(
        user=user,
        email="maria@example.com",
        link="https://portal.example.net/reset/reset-key-abc123",
        language="en",
    )
    email_reset.send_no_login_email(email="nobody@example.com", language="en")

    assert [job["to"] for job in queued] == ["maria@example.com", "nobody@example.com"]
    for job in queued:
        assert sealed.is_sealed(job["sealed_text"])
        assert sealed.is_sealed(job["sealed_html"])
    assert "reset-key-abc123" not in queued[0]["sealed_text"]
    assert "reset-key-abc123" in sealed.unseal(queued[0]["sealed_text"])
