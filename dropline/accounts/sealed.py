"""Second-factor secrets sealed at rest with a key that is not in the database.

allauth keeps each authenticator app's shared secret in the database and passes it
through the MFA adapter's ``encrypt``/``decrypt``. Dropline seals it (and recovery
codes waiting to be shown) with Fernet (AES-128-CBC and HMAC-SHA256) under a key
derived from ``SECRET_KEY``, so a copy of the database alone does not give anyone the
codes of every customer's authenticator app.

Rotating ``SECRET_KEY``: put the old one in ``SECRET_KEY_FALLBACKS``; sealed values
still open under it, and new ones are sealed under the new key.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sealed1:"
_PURPOSE = b"dropline.accounts.sealed second-factor secrets"


class SealError(ValueError):
    """A sealed value that no configured key opens (wrong key or tampered)."""


def _fernet_key(secret_key: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=4)
def _keys(secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in (secret_key, *fallbacks)])


def _fernet() -> MultiFernet:
    return _keys(settings.SECRET_KEY, tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def seal(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode("ascii")


def unseal(stored: str) -> str:
    """The plain text of ``stored``; a value written before sealing is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken as error:
        raise SealError("no configured key opens this sealed value") from error


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)
