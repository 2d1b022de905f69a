"""Fixtures for notification tests: people to notify, a real SMTP server, a fake SMS API.

The SMTP server is aiosmtpd on 127.0.0.1 and the SMS provider is ``http.server`` in a
thread, both on free ports, so messages travel over real sockets the way they do in
production; nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

import pytest

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import (
    AccountStatus,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.onboarding import add_member, open_account
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import Announcement, ContactKind
from dropline.notifications.outbox import notify
from tests.factories import make_user
from tests.http_stub import HOST, serving

_serial = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- people -----------------------------------------------------------------------------


@dataclass
class Person:
    user: User
    account: CustomerAccount


def area(code: str) -> ServiceArea:
    found, _ = ServiceArea.objects.get_or_create(code=code, defaults={"name": code.title()})
    return found


def make_person(
    *,
    username: str,
    area_code: str = "north",
    language: str = "",
    account_language: str = "en",
    email_address: str | None = "",
    phone: str | None = None,
    status: str = AccountStatus.ACTIVE,
) -> Person:
    """An account holder in ``area_code`` with a verified e-mail (unless ``None``) and,
    when given, a verified mobile number."""
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} Notify Street",
        city="Riverbend",
        region="IA",
        postal_code="52240",
        service_area=area(area_code),
    )
    account = open_account(
        name=f"{username.title()} Household",
        service_address=address,
        bill_cycle_day=1,
        preferred_language=account_language,
        status=status,
    )
    user = make_user(username=username, preferred_language=language)
    add_member(account=account, user=user, role=MemberRole.HOLDER)
    if email_address is not None:
        add_verified_contact(
            user=user,
            kind=ContactKind.EMAIL,
            address=email_address or user.email,
            primary=True,
        )
    if phone:
        add_verified_contact(user=user, kind=ContactKind.PHONE, address=phone, primary=True)
    return Person(user=user, account=account)


@pytest.fixture
def person(db: None) -> Callable[..., Person]:
    return make_person


def announcement_stub(**extra: Any) -> Announcement:
    """An unsaved announcement: enough context for the ``announcement.*`` templates."""
    starts = dt.datetime(2025, 1, 20, 6, 0, tzinfo=dt.UTC)
    values: dict[str, Any] = {
        "kind": "maintenance",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "title_en": "Network maintenance tonight",
        "title_es": "Mantenimiento de la red esta noche",
        "body_en": "We are upgrading equipment in your area.",
        "body_es": "Estamos mejorando los equipos de su zona.",
        "created_at": clock.now(),
        **extra,
    }
    return Announcement(**values)


def send_notice(
    *,
    user: User,
    category: str = "outages",
    subject_key: str = "notice:1",
    account: CustomerAccount | None = None,
    announcement: Announcement | None = None,
) -> list[Any]:
    """Ask for an ``announcement.notice`` message to one person (the only templates there
    are, so they stand in for any category, security included)."""
    return notify(
        event="announcement.notice",
        category=category,
        subject_key=subject_key,
        context={"announcement": announcement or announcement_stub()},
        account=account,
        users=[user],
    )


# --- SMTP -------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpHandler:
    """Accepts mail, or answers RCPT with the reply set in ``refuse`` for an address."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    rcpt_seen: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpt_seen.append(address)
        reply = self.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), content))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    handler: SmtpHandler

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    handler = SmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname=HOST, port=port)
    controller.start()
    try:
        yield SmtpServer(port=port, handler=handler)
    finally:
        controller.stop()


# --- a Twilio-style SMS API ----------------------------------------------------------------


@dataclass
class SmsRequest:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]


@dataclass
class SmsApi:
    """Answers each POST with the next (status, body) in ``replies``, then with ``default``."""

    base_url: str
    requests: list[SmsRequest] = field(default_factory=list)
    replies: list[tuple[int, bytes]] = field(default_factory=list)
    default: tuple[int, bytes] = (201, b"")
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_reply(self, request: SmsRequest) -> tuple[int, bytes]:
        with self.lock:
            self.requests.append(request)
            if self.replies:
                return self.replies.pop(0)
            if self.default[1]:
                return self.default
            sid = f"SM{len(self.requests):032d}"
            return self.default[0], json.dumps({"sid": sid, "status": "queued"}).encode()


@pytest.fixture
def sms_api() -> Iterator[SmsApi]:
    api: SmsApi

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            request = SmsRequest(
                method="POST",
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                form=parse_qs(body, keep_blank_values=True),
            )
            status, payload = api.next_reply(request)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    with serving(Handler) as base_url:
        api = SmsApi(base_url=f"{base_url}/2010-04-01")
        yield api
