"""Log lines: one JSON object each when asked, with the request's id, never a secret."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.test import Client

from dropline.core.logs import logging_config, redact
from tests.support.failing_view import BEARER, PASSWORD

COOKIE = "sessioncookie0123456789abcdefghij"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The root logger writes through the JSON configuration into a buffer."""
    import logging.config

    stream = io.StringIO()
    config = logging_config(log_format="json", level="INFO")
    config["handlers"]["console"]["stream"] = stream
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        root.handlers[:], root.level = saved


def parsed(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_every_line_is_one_json_object_with_time_level_logger_and_message(json_lines):
    logging.getLogger("dropline.test").warning("disk at %d%%", 91)
    try:
        raise ValueError("bad thing")
    except ValueError:
        logging.getLogger("dropline.test").exception("it failed")
    first, second = parsed(json_lines)
    assert first["message"] == "disk at 91%"
    assert first["level"] == "warning"
    assert first["logger"] == "dropline.test"
    assert first["time"].endswith("+00:00")
    assert "T" in first["time"]
    assert "request_id" not in first
    assert second["level"] == "error"
    assert "ValueError: bad thing" in second["exception"]
    assert "Traceback" in second["exception"]


@pytest.mark.urls("tests.support.failing_view")
def test_a_failed_request_logs_its_id_and_no_secret(db, json_lines, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = COOKIE
    response = client.post(
        "/boom?token=" + BEARER,
        {"password": PASSWORD},
        HTTP_AUTHORIZATION=f"Bearer {BEARER}",
    )
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = parsed(json_lines)
    failure = [line for line in lines if line["logger"] == "django.request"]
    assert failure, lines
    assert failure[0]["request_id"] == request_id
    assert "RuntimeError" in failure[0]["exception"]
    text = json_lines.getvalue()
    for secret in (PASSWORD, BEARER, COOKIE):
        assert secret not in text


@pytest.mark.urls("tests.support.failing_view")
def test_a_not_found_line_carries_the_id_and_no_token_from_the_path(db, json_lines):
    reset_key = "2f-cd1a7b9e3f0c44d1a2b3c4d5e6f7a8b9c0d1"
    response = Client().get(f"/no-such-page/{reset_key}/")
    assert response.status_code == 404
    lines = parsed(json_lines)
    not_found = [line for line in lines if "Not Found" in line["message"]]
    assert not_found
    assert not_found[0]["request_id"] == response["X-Request-ID"]
    assert "cd1a7b9e3f0c44d1a2b3c4d5e6f7a8b9c0d1" not in json_lines.getvalue()


def test_a_proxy_request_id_is_kept_only_when_trusted_and_well_formed(db, settings):
    given = "lb-7f3a9c21-0001"
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] != given
    settings.DROPLINE_TRUST_REQUEST_ID = True
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    for forged in ["short", "has space in it", "x" * 129, 'quote"{json}', "line\nbreak-1234"]:
        answered = Client().get("/healthz", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
        assert answered != forged
        assert len(answered) == 32


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("login failed password=hunter2hunter2", "hunter2hunter2"),
        ('{"password": "hunter2 with spaces"}', "hunter2 with spaces"),
        ("Cookie: sessionid=abcd1234; csrftoken=efgh5678", "abcd1234"),
        ("Cookie: sessionid=abcd1234; csrftoken=efgh5678", "efgh5678"),
        ("postgres://dropline:pa55word@db:5432/dropline", "pa55word"),
        ("GET /unsubscribe/eyJ1Ijo0Mn0:1tAbCd:Zx9yWvUtSrQpOnMlKj/ 200", "eyJ1Ijo0Mn0:1tAbCd"),
        ("DROPLINE_METRICS_TOKEN=0123456789abcdef0123456789abcdef", "0123456789abcdef"),
    ],
)
def test_secrets_are_redacted(line, secret):
    cleaned = redact(line)
    assert secret not in cleaned
    assert "[redacted]" in cleaned


def test_ordinary_words_are_kept():
    line = "dropline.billing.tasks.run_chunk finished chunk 12 of bill run 2026-03-05 in 1.2 s"
    assert redact(line) == line
    path = "made a key in /tmp/test_without_a_setting_a_key_i0/keys/vapid_private_key.pem"
    assert redact(path) == path
    # A lowercase token with one underscore is still a token.
    assert "[redacted]" in redact("GET /reset/k9x2mq7vz3rt8wp4ny6b_c5hd/ 200")


def test_the_setting_chooses_json_for_every_line():
    env = {
        "DJANGO_SETTINGS_MODULE": "dropline.settings",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "localhost",
        "DROPLINE_LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('dropline.x').warning('hello %s', 'there')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello there"
    assert line["logger"] == "dropline.x"


def test_text_lines_carry_the_request_id_for_a_person_too():
    import logging as std_logging

    from dropline.core.logs import TextFormatter

    record = std_logging.LogRecord("dropline.x", std_logging.INFO, __file__, 1, "hi", None, None)
    record.request_id = "abc123def456"
    assert TextFormatter().format(record).endswith("INFO dropline.x hi [abc123def456]")
