"""Log lines for a person at a terminal (text) or for a log collector (one JSON object a
line), with the request id of the request being served and without secrets.

``DROPLINE_LOG_FORMAT=json`` chooses JSON; settings build ``LOGGING`` with
:func:`logging_config`. Every line goes through :class:`RedactSecrets`, whichever the
format: a password, a cookie, an ``Authorization`` header or a token that found its way
into a message or a traceback is replaced by ``[redacted]`` before it is written.
Nothing from the request but its id is ever logged: Django attaches the request to the
records of failed requests, and neither formatter looks at it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from dropline.core.request_id import current_request_id

REDACTED = "[redacted]"

# "Authorization: Bearer abc", "Bearer abc", "Basic abc" (credentials of any scheme).
_AUTH = re.compile(r"(?i)\b(bearer|basic|token|digest)\s+[A-Za-z0-9._~+/=:\-]+")
# password=..., "password": "...", secret: ..., sessionid=..., csrftoken=..., key=...
_NAMED = re.compile(
    r"(?i)(\"?(?:[a-z0-9_\-]*(?:password|passwd|secret|token|api_?key|sessionid|csrftoken"
    r"|cookie|authorization|signature|code_hash|p256dh|auth))\"?\s*[=:]\s*)"
    r"(\"[^\"]*\"|'[^']*'|[^\s,;&}]+)"
)
# user:password@host in URLs.
_URL_PASSWORD = re.compile(r"(?i)([a-z][a-z0-9+.\-]*://[^:/@\s]*:)[^@\s/]+@")
# Path segments or words that look like keys: 24 or more characters of a token's
# alphabet with letters and digits both (a password-reset key, a signed link).
_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-:.]*\d)(?=[A-Za-z0-9_\-:.]*[A-Za-z])"
    r"[A-Za-z0-9_\-:.]{24,}(?![A-Za-z0-9_\-])"
)


def redact(text: str) -> str:
    """``text`` with credentials and token-like words replaced by ``[redacted]``."""
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}@", text)
    text = _AUTH.sub(lambda match: f"{match.group(1)} {REDACTED}", text)
    text = _NAMED.sub(rf"\1{REDACTED}", text)
    return _TOKEN.sub(_keep_dotted_names, text)


def _keep_dotted_names(match: re.Match[str]) -> str:
    word = match.group(0)
    # Module paths and host names (dropline.billing.tasks, gunicorn.error) are not keys.
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+", word):
        return word
    # Nor are lowercase snake_case names (a test's directory, a task or a table name).
    if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}", word):
        return word
    return REDACTED


class RedactSecrets(logging.Filter):
    """Replaces secrets in a record's message and exception text (both formats)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (empty outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message,
    request_id (in a request), exception (with its traceback) and the structured
    fields a caller chose to pass in ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            line["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                line.setdefault(str(key), value)
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger message`` and, in a request, ``[request id]``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", "")
        if request_id:
            first, newline, rest = text.partition("\n")
            text = f"{first} [{request_id}]{newline}{rest}"
        return text


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """Django's ``LOGGING`` for ``log_format`` (``text`` or ``json``)."""
    formatter = (
        "dropline.core.logs.JsonFormatter"
        if log_format == "json"
        else ("dropline.core.logs.TextFormatter")
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "dropline.core.logs.RequestIdFilter"},
            "redact": {"()": "dropline.core.logs.RedactSecrets"},
        },
        "formatters": {"line": {"()": formatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "filters": ["request_id", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
