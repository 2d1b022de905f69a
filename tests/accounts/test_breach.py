"""The breached-password check against a range API served on 127.0.0.1 (never the internet).

The server is ``http.server`` in a thread and answers like Have I Been Pwned's Pwned
Passwords API: ``GET /range/ABCDE`` gives ``SUFFIX:COUNT`` lines, padded with decoy
lines of count 0 when asked with ``Add-Padding: true``.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from dropline.accounts import breach
from dropline.accounts.models import User
from tests.support.http_stub import HOST, serving

pytestmark = pytest.mark.django_db

BREACHED = "sunflower-meadow-42"  # stands in for a password found in a breach
FRESH = "quiet lantern over the harbor"
BREACH_MESSAGE = (
    "This password has appeared in a data breach, so attackers try it first. "
    "Choose a different one."
)


def sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class RangeApi:
    """Knows ``breached`` passwords; records every request it gets."""

    base_url: str
    breached: dict[str, int] = field(default_factory=dict)  # SHA-1 -> times seen
    padding: list[str] = field(default_factory=list)  # extra "SUFFIX:0" lines
    status: int = 200
    body: bytes | None = None  # answer this instead of the range
    delay: float = 0.0
    seen: list[Seen] = field(default_factory=list)

    def answer(self, prefix: str) -> bytes:
        lines = [
            f"{digest[5:]}:{count}"
            for digest, count in self.breached.items()
            if digest.startswith(prefix)
        ]
        lines.extend(self.padding)
        lines.append(f"{'0' * 35}:0")  # a padding line is always there
        return "\r\n".join(lines).encode()


@pytest.fixture
def range_api() -> Iterator[RangeApi]:
    api: RangeApi

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            api.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            if api.delay:
                time.sleep(api.delay)
            prefix = self.path.rsplit("/", 1)[-1]
            payload = api.body if api.body is not None else api.answer(prefix)
            self.send_response(api.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    with serving(Handler) as base_url:
        api = RangeApi(base_url=base_url)
        yield api


@pytest.fixture
def check_on(settings, range_api: RangeApi) -> RangeApi:
    settings.DROPLINE_BREACHED_PASSWORD_CHECK = True
    settings.DROPLINE_BREACHED_PASSWORD_API = range_api.base_url
    range_api.breached[sha1(BREACHED)] = 52_361
    return range_api


def refusal(password: str) -> list[str]:
    try:
        validate_password(password, user=User(username="someone", email="s@example.com"))
    except ValidationError as exc:
        return list(exc.messages)
    return []


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- what a person notices ----------------------------------------------------------------


def test_a_password_from_a_breach_is_refused(check_on):
    assert refusal(BREACHED) == [BREACH_MESSAGE]


def test_a_password_not_in_any_breach_is_accepted(check_on):
    assert refusal(FRESH) == []
    assert len(check_on.seen) == 1


def test_padding_lines_do_not_count_as_a_breach(check_on):
    # A decoy line that happens to carry the password's own suffix with count 0.
    check_on.padding.append(f"{sha1(FRESH)[5:]}:0")
    assert refusal(FRESH) == []


def test_the_check_is_part_of_the_project_policy(check_on):
    from django.contrib.auth.password_validation import get_default_password_validators

    assert any(
        isinstance(validator, breach.BreachedPasswordValidator)
        for validator in get_default_password_validators()
    )


# --- what must not leave the server -----------------------------------------------------------


def test_only_the_first_five_hex_digits_of_the_hash_are_sent(check_on):
    digest = sha1(BREACHED)

    refusal(BREACHED)

    (request,) = check_on.seen
    assert request.path == f"/range/{digest[:5]}"
    assert request.headers["add-padding"] == "true"
    everything_sent = request.path + "".join(f"{k}{v}" for k, v in request.headers.items())
    assert digest[5:] not in everything_sent.upper()
    assert BREACHED not in everything_sent


def test_the_check_is_off_by_default_and_sends_nothing(settings, range_api):
    settings.DROPLINE_BREACHED_PASSWORD_API = range_api.base_url
    range_api.breached[sha1(BREACHED)] = 10
    settings.DROPLINE_BREACHED_PASSWORD_CHECK = False

    assert refusal(BREACHED) == []
    assert range_api.seen == []


# --- failing open ---------------------------------------------------------------------------


def assert_one_safe_warning(caplog: pytest.LogCaptureFixture, password: str) -> str:
    records = [r for r in caplog.records if r.name == "dropline.accounts.breach"]
    assert len(records) == 1
    (record,) = records
    assert record.levelno == logging.WARNING
    text = record.getMessage()
    digest = sha1(password)
    for secret in (password, digest, digest[:5], digest[5:], digest.lower()[:5]):
        assert secret not in text
    return text


def test_service_down_accepts_the_password_with_one_warning(settings, caplog):
    settings.DROPLINE_BREACHED_PASSWORD_CHECK = True
    settings.DROPLINE_BREACHED_PASSWORD_API = f"http://{HOST}:{closed_port()}"

    with caplog.at_level(logging.WARNING, logger="dropline.accounts.breach"):
        assert refusal(BREACHED) == []

    text = assert_one_safe_warning(caplog, BREACHED)
    assert "password accepted" in text
    assert "unreachable" in text


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (503, b"Service Unavailable", "HTTP 503"),
        (200, b"<html>captive portal</html>", "not a list"),
        (200, b"", "empty"),
        (200, b"\xff\xfe\x00garbage", "not text"),
    ],
    ids=["server-error", "html", "empty", "binary"],
)
def test_a_bad_answer_accepts_the_password_with_one_warning(check_on, caplog, status, body, reason):
    check_on.status = status
    check_on.body = body

    with caplog.at_level(logging.WARNING, logger="dropline.accounts.breach"):
        assert refusal(BREACHED) == []

    assert reason in assert_one_safe_warning(caplog, BREACHED)


def test_a_slow_service_is_given_up_on(check_on, caplog, monkeypatch):
    monkeypatch.setattr(breach, "TIMEOUT", 0.3)
    check_on.delay = 1.5

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="dropline.accounts.breach"):
        assert refusal(BREACHED) == []

    assert time.monotonic() - started < 1.2
    assert "unreachable" in assert_one_safe_warning(caplog, BREACHED)


def test_the_timeout_is_three_seconds():
    assert breach.TIMEOUT == 3.0


def test_only_http_addresses_are_called(settings, caplog):
    settings.DROPLINE_BREACHED_PASSWORD_CHECK = True
    settings.DROPLINE_BREACHED_PASSWORD_API = "file:///etc"

    with caplog.at_level(logging.WARNING, logger="dropline.accounts.breach"):
        assert refusal(BREACHED) == []

    assert "not an http(s) URL" in assert_one_safe_warning(caplog, BREACHED)


# --- through a real page -------------------------------------------------------------------


def test_the_password_reset_page_refuses_a_breached_password(client, check_on):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    from tests.support.factories import make_user

    user = make_user(username="breachy")
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    form_url = client.get(f"/accounts/password/reset/key/{key}/")["Location"]

    response = client.post(form_url, {"password1": BREACHED, "password2": BREACHED})

    assert response.status_code == 200
    assert BREACH_MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password(BREACHED)
