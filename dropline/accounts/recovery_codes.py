"""Recovery codes kept as hashes.

allauth's recovery codes all derive from one seed stored in the database: whoever reads
the seed has every code. Dropline keeps instead, in the same ``recovery_codes``
authenticator row:

- ``hashes``: HMAC-SHA256 of each code under a key derived from ``SECRET_KEY`` (a
  "pepper", not in the database) and a random per-row ``salt``. Codes are 10 Crockford
  base32 characters (50 bits), so even with the key a guess costs 2^50 tries.
- ``used_mask``: which codes have been spent, as allauth keeps it.
- ``pending``: the codes themselves, sealed (``accounts.sealed``), only until the person
  first sees them; seeing them erases it. From then on only the hashes remain, and
  nobody (the person included) can see the codes again: they can make new ones.

allauth has no setting for how recovery codes are kept. ``install()`` (called once at
start-up) makes allauth use ``HashedRecoveryCodes`` wherever it uses its own class:
``Authenticator.wrap()`` looks the class up in its module at each call, and allauth's
recovery-code flows imported it by name. Every allauth route (the web pages, the
headless API, the sign-in and re-authentication forms) then goes through this class.
Tests pin that for each route, so an allauth upgrade that moves the class fails them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import auth as allauth_auth
from allauth.mfa.recovery_codes.internal import flows as allauth_flows
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes as AllauthRecoveryCodes
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from dropline.accounts import sealed

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O or U
CODE_LENGTH = 10
HIDDEN = "*" * CODE_LENGTH  # stands for a code in counts once the codes are gone
_TYPED_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_PEPPER_PURPOSE = b"dropline.accounts.recovery_codes pepper"
_REVEALED = "_dropline_revealed_codes"  # on the instance, for the rest of the request


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def formatted(code: str) -> str:
    """``ABCDE-FGHJK``: easier to read out and copy by hand."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code


def normalized(typed: str) -> str:
    """What the person typed, as stored: case, spaces and dashes do not matter, and the
    letters O, I and L are read as the digits they look like."""
    kept = "".join(ch for ch in typed.upper() if ch.isalnum())
    return kept.translate(_TYPED_ALIASES)


def _peppers() -> list[bytes]:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    return [hmac.new(key.encode(), _PEPPER_PURPOSE, hashlib.sha256).digest() for key in keys]


def code_hash(code: str, *, salt: str, pepper: bytes | None = None) -> str:
    key = pepper if pepper is not None else _peppers()[0]
    message = f"{salt}:{normalized(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def hashed_data(codes: list[str], *, pending: bool) -> dict[str, Any]:
    """The authenticator's ``data`` for ``codes``; ``pending`` keeps them, sealed, to show."""
    salt = secrets.token_hex(16)
    data: dict[str, Any] = {
        "salt": salt,
        "hashes": [code_hash(code, salt=salt) for code in codes],
        "used_mask": 0,
    }
    if pending:
        data["pending"] = sealed.seal(json.dumps([formatted(code) for code in codes]))
    return data


class HashedRecoveryCodes(AllauthRecoveryCodes):
    """allauth's recovery-code wrapper, on hashes instead of a seed."""

    instance: Authenticator

    @classmethod
    def activate(cls, user: AbstractBaseUser) -> HashedRecoveryCodes:
        instance = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        if instance is None:
            codes = [new_code() for _ in range(app_settings.RECOVERY_CODE_COUNT)]
            instance = Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.RECOVERY_CODES,
                data=hashed_data(codes, pending=True),
            )
        return cls(instance)

    # --- what allauth's pages and API read -------------------------------------------

    def _shown_codes(self) -> list[str] | None:
        """The codes in clear while they may still be shown (this request included)."""
        revealed: list[str] | None = getattr(self.instance, _REVEALED, None)
        if revealed is not None:
            return revealed
        pending = self.instance.data.get("pending")
        if pending is None:
            return None
        codes: list[str] = json.loads(sealed.unseal(pending))
        return codes

    def generate_codes(self) -> list[str]:
        """Every code, used or not; ``HIDDEN`` for each once they have been shown."""
        shown = self._shown_codes()
        if shown is not None:
            return shown
        return [HIDDEN] * len(self.instance.data["hashes"])

    def get_unused_codes(self) -> list[str]:
        codes = self.generate_codes()
        return [code for index, code in enumerate(codes) if not self._is_code_used(index)]

    def mark_as_viewed(self) -> None:
        """Seen once: the sealed copy is erased; this request can still show them."""
        if self.did_view:
            return
        shown = self._shown_codes()
        if shown is not None:
            setattr(self.instance, _REVEALED, shown)
        self.instance.data.pop("pending", None)
        self.instance.data["viewed_at"] = time.time()
        self.instance.save(update_fields=["data"])

    # --- signing in --------------------------------------------------------------------

    @transaction.atomic
    def validate_code(self, code: str) -> bool:
        if self.instance.pk is not None:
            self.instance = Authenticator.objects.select_for_update().get(pk=self.instance.pk)
        typed = normalized(code)
        if not typed:
            return False
        salt = self.instance.data["salt"]
        candidates = [code_hash(typed, salt=salt, pepper=pepper) for pepper in _peppers()]
        matched: int | None = None
        for index, stored in enumerate(self.instance.data["hashes"]):
            # Compare against every code, so the time taken does not say which matched.
            hit = any(hmac.compare_digest(stored, candidate) for candidate in candidates)
            if hit and matched is None and not self._is_code_used(index):
                matched = index
        if matched is None:
            return False
        self._mark_code_used(matched)
        return True


def install() -> None:
    """Make allauth use ``HashedRecoveryCodes`` (see the module docstring)."""
    allauth_auth.RecoveryCodes = HashedRecoveryCodes
    allauth_flows.RecoveryCodes = HashedRecoveryCodes


def from_legacy(data: dict[str, Any]) -> dict[str, Any]:
    """allauth's seed-based ``data`` turned into hashes of the same codes (a migration).

    Codes already used stay used; codes never shown stay pending so they can be shown once.
    """
    legacy = AllauthRecoveryCodes(
        Authenticator(type=Authenticator.Type.RECOVERY_CODES, data=dict(data))
    )
    codes = legacy.generate_codes()
    converted = hashed_data(codes, pending=not data.get("viewed_at"))
    converted["used_mask"] = data.get("used_mask", 0)
    if data.get("viewed_at"):
        converted["viewed_at"] = data["viewed_at"]
    return converted
