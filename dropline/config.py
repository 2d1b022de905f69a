"""Reading configuration from the environment, with one-line errors.

Settings call these helpers; a bad value raises :class:`ConfigError`, which the
``dropline`` command and the WSGI entry point print as a single line.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import phonenumbers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DROPLINE_VAR_DIR", BASE_DIR / "var"))


class ConfigError(Exception):
    """A setting from the environment is missing or malformed."""


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, *, default: int, minimum: int = 0, maximum: int = 10**9) -> int:
    """A whole number from the environment, within ``minimum``..``maximum``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, not {value}")
    return value


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices`` from the environment."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_phone(name: str) -> str:
    """A phone number from the environment, as E.164 (US numbers may be written the
    national way); empty when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ConfigError(f"{name} must be a phone number such as +13195550100, not {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def env_http_url(name: str) -> str:
    """An http(s) address from the environment; empty when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"{name} must be an http:// or https:// address, not {raw!r}")
    return raw


def env_frn(name: str, *, default: str) -> str:
    """An FCC Registration Number: exactly 10 digits."""
    raw = os.environ.get(name, "").strip() or default
    if len(raw) != 10 or not raw.isascii() or not raw.isdigit():
        raise ConfigError(f"{name} must be a 10-digit FCC Registration Number, not {raw!r}")
    return raw


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def database_from_url(url: str) -> dict[str, Any]:
    """A Django DATABASES entry for ``url``: SQLite in WAL mode, or pooled PostgreSQL."""
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"DATABASE_URL has an unsupported scheme {scheme!r} "
            f"({redact_url(url)}); use sqlite:///path or postgres://user@host:port/name"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is malformed ({redact_url(url)}): {exc}") from None
    if scheme == "sqlite":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ConfigError("DATABASE_URL for SQLite must name a file: sqlite:///var/db.sqlite3")
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            # WAL lets readers run beside the single writer; IMMEDIATE takes the
            # write lock at BEGIN so two writers queue instead of deadlocking.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        if not config.get("NAME"):
            raise ConfigError(f"DATABASE_URL must name a database ({redact_url(url)})")
        options = config.setdefault("OPTIONS", {})
        if env_bool("DATABASE_POOL", default=True):
            options["pool"] = {"min_size": 1, "max_size": 8, "timeout": 10}
    return config


def default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'dropline.sqlite3'}"


def secret_key(*, demo: bool) -> str:
    """The SECRET_KEY from the environment; the demo keeps its own under var/."""
    value = os.environ.get("SECRET_KEY", "")
    if value:
        if len(value) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long")
        return value
    if not demo:
        raise ConfigError(
            "SECRET_KEY is not set: export SECRET_KEY with at least 50 random characters "
            "(or DROPLINE_DEMO=1 for the demo)"
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def secret_key_fallbacks() -> list[str]:
    """Earlier SECRET_KEYs (``SECRET_KEY_FALLBACKS``, comma-separated), still accepted for
    signed links, sessions and sealed second-factor secrets while a key is rotated."""
    keys = [key.strip() for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",")]
    keys = [key for key in keys if key]
    if any(len(key) < 32 for key in keys):
        raise ConfigError("each of SECRET_KEY_FALLBACKS must be at least 32 characters long")
    return keys


NOT_A_VAPID_KEY = "not a P-256 (prime256v1) private key"


def base64url_bytes(text: str) -> bytes:
    """Base64url with or without its padding (``binascii.Error`` when it is not)."""
    text = "".join(text.split())
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url_text(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_private_scalar(text: str) -> bytes:
    """The 32-byte private number of a P-256 key given as PEM (PKCS#8 or "EC PRIVATE
    KEY"; ``\\n`` for line breaks is accepted), as base64 DER, or as the raw 32 bytes
    in base64url (what ``web-push generate-vapid-keys`` prints). ``ValueError`` (which
    never repeats the key) for anything else."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    text = text.strip().replace("\\n", "\n")
    key: object
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = base64url_bytes(text)
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, binascii.Error):
        raise ValueError(NOT_A_VAPID_KEY) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError(NOT_A_VAPID_KEY)
    return key.private_numbers().private_value.to_bytes(32, "big")


def vapid_public_point(private_scalar: bytes) -> bytes:
    """The uncompressed public point (65 bytes) of a P-256 private number."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(int.from_bytes(private_scalar, "big"), ec.SECP256R1())
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def env_vapid_keys(private_name: str, public_name: str) -> tuple[str, str]:
    """The push notifications' VAPID key pair from the environment, as base64url (the
    private number, the public point); both empty when neither is set (then a key is
    made once under ``var/``: ``notifications.channels.vapid``). The public key may be
    left out; when given it must be the private key's."""
    private_text = os.environ.get(private_name, "").strip()
    public_text = os.environ.get(public_name, "").strip()
    if not private_text:
        if public_text:
            raise ConfigError(f"{public_name} is set without {private_name}: set both")
        return "", ""
    try:
        scalar = vapid_private_scalar(private_text)
    except ValueError as exc:
        raise ConfigError(f"{private_name} is {exc}") from None
    point = vapid_public_point(scalar)
    if public_text:
        try:
            given = base64url_bytes(public_text)
        except binascii.Error:
            given = b""
        if given != point:
            raise ConfigError(f"{public_name} is not the public key of {private_name}")
    return _b64url_text(scalar), _b64url_text(point)


def env_vapid_subject(name: str, *, from_email: str) -> str:
    """Who runs the push sender, for the push services (RFC 8292): ``mailto:`` an
    address or an ``https://`` page; by default the sender of customer email."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        address = parseaddr(from_email)[1]
        return f"mailto:{address or 'no-reply@localhost'}"
    if raw.startswith("mailto:") and "@" in raw:
        return raw
    if raw.startswith("https://") and len(raw) > len("https://"):
        return raw
    raise ConfigError(f"{name} must be mailto:someone@example.net or an https:// address")


def email_from_url(url: str) -> dict[str, Any]:
    """Django email settings from ``EMAIL_URL``.

    ``smtp://user:pass@host:587`` (STARTTLS with ``?tls=1``), ``smtps://`` for
    implicit TLS, ``console://`` to print, ``locmem://`` to keep in memory.
    """
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ConfigError(
            f"EMAIL_URL has an unsupported scheme {parts.scheme!r} ({redact_url(url)}); "
            "use smtp://, smtps://, console:// or locmem://"
        )
    config: dict[str, Any] = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"EMAIL_URL has a bad port ({redact_url(url)})") from None
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=parts.username or "",
            EMAIL_HOST_PASSWORD=parts.password or "",
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS="tls=1" in parts.query or "tls=true" in parts.query,
            EMAIL_TIMEOUT=10,
        )
    return config
