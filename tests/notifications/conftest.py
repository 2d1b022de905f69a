"""Fixtures for notification tests: people to notify, a real SMTP server, a fake SMS API.

The helpers behind them are in ``tests/support/notifications.py`` and
``tests/support/servers.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.support.http_stub import HOST, serving
from tests.support.notifications import Person, make_person
from tests.support.servers import SmsApi, SmsRequest, SmtpHandler, SmtpServer, free_port

# --- people -----------------------------------------------------------------------------


@pytest.fixture
def person(db: None) -> Callable[..., Person]:
    return make_person


# --- SMTP -------------------------------------------------------------------------------


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
