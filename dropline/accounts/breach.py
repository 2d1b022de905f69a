"""Refusing passwords known from data breaches, without telling anyone the password.

A k-anonymity range query in the shape of Have I Been Pwned's Pwned Passwords API: only
the first five hex digits of the password's SHA-1 leave the server
(``GET {DROPLINE_BREACHED_PASSWORD_API}/range/ABCDE``); the service answers every
suffix it knows with that prefix as ``SUFFIX:COUNT`` lines, and the match is made here.
``Add-Padding: true`` asks the service to add decoy lines with a count of 0, so the
answer's size says nothing about the prefix either; those lines are ignored.

Off unless ``DROPLINE_BREACHED_PASSWORD_CHECK`` is true. The check fails open: when the
service cannot be reached in ``TIMEOUT`` seconds or answers with something else, the
password is accepted and one warning is logged (never the password or its hash), so an
outage elsewhere never stops a customer from setting a password.
"""

from __future__ import annotations

import hashlib
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_API = "https://api.pwnedpasswords.com"
TIMEOUT = 3.0  # seconds
PREFIX_LENGTH = 5
MAX_RESPONSE_BYTES = 2 * 1024 * 1024  # a real answer is about 40 KB with padding
USER_AGENT = "Dropline-password-check"


class ServiceUnavailableError(Exception):
    """The range service did not give a usable answer; the message is safe to log."""


def sha1_hex(password: str) -> str:
    return hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def range_url(base: str, prefix: str) -> str:
    return f"{base.rstrip('/')}/range/{prefix}"


def fetch_range(prefix: str, *, base: str, timeout: float = TIMEOUT) -> dict[str, int]:
    """The suffixes the service knows for ``prefix`` and how often each was seen.

    Padding lines (count 0) are left out. Raises ``ServiceUnavailableError`` when there
    is no usable answer.
    """
    url = range_url(base, prefix)
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ServiceUnavailableError("the API address is not an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        headers={"Add-Padding": "true", "User-Agent": USER_AGENT, "Accept": "text/plain"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise ServiceUnavailableError(f"the service answered HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceUnavailableError(f"unreachable ({type(reason).__name__})") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise ServiceUnavailableError("the answer is too large")
    return parse_range(body)


def parse_range(body: bytes) -> dict[str, int]:
    """``SUFFIX:COUNT`` lines into a dict; padding (count 0) left out."""
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise ServiceUnavailableError("the answer is not text") from None
    suffix_length = 40 - PREFIX_LENGTH
    counts: dict[str, int] = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ServiceUnavailableError("the answer is empty")
    for line in lines:
        suffix, sep, count = line.partition(":")
        suffix = suffix.strip().upper()
        if (
            not sep
            or len(suffix) != suffix_length
            or any(ch not in "0123456789ABCDEF" for ch in suffix)
            or not count.strip().isdigit()
        ):
            raise ServiceUnavailableError("the answer is not a list of SUFFIX:COUNT lines")
        seen = int(count)
        if seen > 0:
            counts[suffix] = seen
    return counts


def times_seen(password: str, *, base: str, timeout: float = TIMEOUT) -> int:
    """How often ``password`` appears in the service's breach corpus (0: not at all)."""
    digest = sha1_hex(password)
    prefix, suffix = digest[:PREFIX_LENGTH], digest[PREFIX_LENGTH:]
    return fetch_range(prefix, base=base, timeout=timeout).get(suffix, 0)


class BreachedPasswordValidator:
    """A password validator that refuses passwords seen in data breaches."""

    def validate(self, password: str, user: object = None) -> None:
        if not getattr(settings, "DROPLINE_BREACHED_PASSWORD_CHECK", False):
            return
        base = getattr(settings, "DROPLINE_BREACHED_PASSWORD_API", "") or DEFAULT_API
        try:
            seen = times_seen(password, base=base, timeout=TIMEOUT)
        except ServiceUnavailableError as exc:
            logger.warning(
                "breached-password check skipped, password accepted: %s (%s)",
                exc,
                urlsplit(base).hostname or "?",
            )
            return
        if seen:
            raise ValidationError(
                _(
                    "This password has appeared in a data breach, so attackers try it "
                    "first. Choose a different one."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        if not getattr(settings, "DROPLINE_BREACHED_PASSWORD_CHECK", False):
            return _("Use a password you do not use anywhere else.")
        return _("Your password cannot be one that has appeared in a known data breach.")
