"""The key push notifications are signed with (VAPID, RFC 8292).

A browser subscribes with the public key (its "application server key"), and its push
service then takes only messages signed with the matching private key. So the key
must stay the same for as long as the subscriptions live: a new key silently ends
every browser's subscription.

Where it comes from: ``DROPLINE_VAPID_PRIVATE_KEY`` (checked at start-up by
``dropline.config.env_vapid_keys``); unset, a key made once in
``DROPLINE_VAPID_KEY_FILE`` (``var/vapid_private_key.pem``, readable by its owner
only) and read from there afterwards. The private key is never logged or shown;
``dropline pushkeys`` prints the key in use for an operator who moves it to the
environment.
"""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from dropline.config import vapid_private_scalar

logger = logging.getLogger(__name__)


def b64url(data: bytes) -> str:
    """Base64url without padding, as the Push API writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class VapidKey:
    private_key: ec.EllipticCurvePrivateKey

    @property
    def public_point(self) -> bytes:
        """The uncompressed public point (65 bytes)."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    @property
    def application_server_key(self) -> str:
        """The public key as ``PushManager.subscribe`` takes it: base64url."""
        return b64url(self.public_point)

    def __repr__(self) -> str:  # never the private number, in a traceback or a log
        return f"VapidKey(public={self.application_server_key})"


def _from_scalar(scalar: bytes) -> VapidKey:
    return VapidKey(ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1()))


@lru_cache(maxsize=4)
def _from_setting(scalar_b64url: str) -> VapidKey:
    return _from_scalar(vapid_private_scalar(scalar_b64url))


def _made_once(path: Path) -> None:
    """Write a new key to ``path`` unless one is there: created exclusively, so two
    processes starting at once keep the same key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    logger.info("made a new push notification (VAPID) key in %s", path)


@lru_cache(maxsize=4)
def _from_file(path_text: str) -> VapidKey:
    path = Path(path_text)
    if not path.exists():
        _made_once(path)
    return _from_scalar(vapid_private_scalar(path.read_text()))


def vapid_key() -> VapidKey:
    """The key in use: the environment's, else the one kept in the key file."""
    if settings.DROPLINE_VAPID_PRIVATE_KEY:
        return _from_setting(settings.DROPLINE_VAPID_PRIVATE_KEY)
    return _from_file(str(settings.DROPLINE_VAPID_KEY_FILE))


def application_server_key() -> str:
    """What a browser subscribes with (and the API's ``GET /push/key`` answers)."""
    return vapid_key().application_server_key
