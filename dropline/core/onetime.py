"""One-time codes: the one set of rules for every code Dropline sends a person.

A :class:`CodePolicy` names a purpose (a password reset, a sign-in code by text
message, proving a contact address) and its numbers: digits, lifetime, wrong tries.
Whatever the purpose, a code is

- made with ``secrets`` (:func:`generate`), ``digits`` long, zero-padded;
- kept only as a keyed hash: HMAC-SHA256 under a key derived from the ``SECRET_KEY``
  for the purpose (Django's ``salted_hmac``), with a random nonce, written
  ``hmac-sha256$<nonce>$<hex>`` (at most 93 characters). A copy of the database or
  the cache alone cannot be searched for the code; comparisons are constant-time;
- good until ``lifetime`` has passed, for at most ``max_attempts`` tries (the right
  code on the last allowed try still works; a wrong try is counted before the answer);
- newest-only: issuing a code for a purpose and subject replaces the one before;
- usable once;
- optionally bound to a context value (the reset code to the password hash it was made
  under): when the context changes, the code is dead.

Where a code is kept is the caller's choice:

- :class:`CacheCodes` keeps one live code per subject in the shared cache (the reset
  code), and does everything: issue, verify, consume, revoke;
- flows that keep codes on database rows (contact verification, SMS sign-in codes)
  call :func:`issue` for the code and the values to store, and :func:`verify` with
  the newest row as a :class:`StoredCode`; the :class:`Verdict` says what to write back
  (the attempts, whether it is now used) and why a code failed, so each flow keeps its
  own messages. :func:`send_check` applies the same "not again so soon, not so many
  an hour" rule to the times of the rows already sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from django.contrib.auth.hashers import check_password
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache
from django.utils.crypto import constant_time_compare, salted_hmac

from dropline.core import clock

SCHEME = "hmac-sha256"
_PURPOSE = re.compile(r"^[a-z0-9_.:-]{1,64}$")
_LOCK_SECONDS = 10  # how long a crashed holder keeps a code's lock
_LOCK_WAIT = 2.0  # seconds to wait for it


@dataclass(frozen=True)
class CodePolicy:
    """The numbers of one kind of code."""

    purpose: str
    lifetime: dt.timedelta
    max_attempts: int = 5
    digits: int = 6
    # The salt of the derived HMAC key; by default "dropline.core.onetime:<purpose>". Give
    # an existing flow's salt to keep codes it already stored working.
    key_salt: str = ""
    # Also accept codes stored as Django password hashes (``make_password``), as rows and
    # cache entries written before this module were.
    accept_password_hashes: bool = False
    # For flows that count sends themselves (:func:`send_check`):
    resend_after: dt.timedelta = dt.timedelta(0)
    max_sends: int = 0  # 0: no count
    send_window: dt.timedelta = dt.timedelta(hours=1)

    def __post_init__(self) -> None:
        if not _PURPOSE.match(self.purpose):
            raise ValueError(f"purpose {self.purpose!r}: lower-case letters, digits, _.:- only")
        if not 4 <= self.digits <= 12:
            raise ValueError("a code has 4 to 12 digits")
        if self.max_attempts < 1 or self.lifetime <= dt.timedelta(0):
            raise ValueError("a code needs at least one try and a lifetime")

    @property
    def salt(self) -> str:
        return self.key_salt or f"dropline.core.onetime:{self.purpose}"

    @property
    def lifetime_minutes(self) -> int:
        return int(self.lifetime.total_seconds() // 60)


# --- codes and hashes -----------------------------------------------------------------


def generate(policy: CodePolicy) -> str:
    """A new code: ``policy.digits`` digits from ``secrets``."""
    return f"{secrets.randbelow(10**policy.digits):0{policy.digits}d}"


def clean(text: str) -> str:
    """A typed code without the spaces and dashes people put in the middle."""
    return "".join(text.replace("-", " ").split())


def well_formed(policy: CodePolicy, text: str) -> str | None:
    """The typed code cleaned, or None unless that leaves exactly ``digits`` ASCII digits."""
    code = clean(text)
    if len(code) != policy.digits or not (code.isascii() and code.isdigit()):
        return None
    return code


def _digest(policy: CodePolicy, nonce: str, code: str) -> str:
    return salted_hmac(policy.salt, f"{nonce}:{code}", algorithm="sha256").hexdigest()


def hash_code(policy: CodePolicy, code: str) -> str:
    """``code`` as it may be stored: ``hmac-sha256$<nonce>$<hex>``."""
    nonce = secrets.token_hex(8)
    return f"{SCHEME}${nonce}${_digest(policy, nonce, code)}"


def code_matches(policy: CodePolicy, code: str, stored: str) -> bool:
    """Whether ``code`` is the one ``stored`` was made from; one HMAC either way."""
    parts = stored.split("$")
    if len(parts) == 3 and parts[0] == SCHEME:
        return constant_time_compare(_digest(policy, parts[1], code), parts[2])
    _digest(policy, "0" * 16, code)  # the same work for a stored value that is not ours
    if policy.accept_password_hashes and stored:
        return check_password(code, stored)
    return False


def context_mark(policy: CodePolicy, context: str) -> str:
    """What is stored of a code's context: a keyed hash, empty for no context."""
    if not context:
        return ""
    return salted_hmac(f"{policy.salt}:context", context, algorithm="sha256").hexdigest()


# --- issuing and checking against a stored record ---------------------------------------


@dataclass(frozen=True)
class Issued:
    """A new code: ``code`` to send (never to store), the rest to store."""

    code: str
    code_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime
    context_mark: str


def issue(policy: CodePolicy, *, context: str = "", now: dt.datetime | None = None) -> Issued:
    """A new code and what to store of it; the caller stores it as the newest."""
    at = now or clock.now()
    code = generate(policy)
    return Issued(
        code=code,
        code_hash=hash_code(policy, code),
        created_at=at,
        expires_at=at + policy.lifetime,
        context_mark=context_mark(policy, context),
    )


@dataclass(frozen=True)
class StoredCode:
    """The newest code for a purpose and subject, as a store keeps it."""

    code_hash: str
    expires_at: dt.datetime
    attempts: int = 0
    used: bool = False
    context_mark: str = ""

    @classmethod
    def of_row(cls, row: CodeRow | None) -> StoredCode | None:
        """The code a database row keeps (``code_hash``, ``expires_at``, ``attempts``,
        ``used_at``), or None when there is no row."""
        if row is None:
            return None
        return cls(
            code_hash=row.code_hash,
            expires_at=row.expires_at,
            attempts=row.attempts,
            used=row.used_at is not None,
        )


class CodeRow(Protocol):
    """A model row that keeps one code: the contact verification and SMS code tables."""

    code_hash: str
    expires_at: dt.datetime
    attempts: int
    used_at: dt.datetime | None


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"  # counted: ``Verdict.attempts`` is the new count
    EXPIRED = "expired"  # none, used, past its lifetime, or its context changed
    TOO_MANY_ATTEMPTS = "too_many_attempts"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    attempts: int  # the count to store (changed only by WRONG and ACCEPTED)
    attempts_left: int  # wrong tries still allowed after this one

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.ACCEPTED

    @property
    def counted(self) -> bool:
        """The store must write ``attempts`` back (and, if ``ok``, mark the code used)."""
        return self.outcome in (Outcome.ACCEPTED, Outcome.WRONG)


def verify(
    policy: CodePolicy,
    stored: StoredCode | None,
    code: str,
    *,
    context: str = "",
    now: dt.datetime | None = None,
) -> Verdict:
    """Check ``code`` (as typed: clean it first if the flow forgives spaces) against the
    newest stored code. Always one hash computation, whatever the outcome.

    In order: no code, a used one, an expired one or one whose context changed is
    EXPIRED; one with ``max_attempts`` wrong tries already is TOO_MANY_ATTEMPTS; then
    the comparison: ACCEPTED or WRONG.
    """
    at = now or clock.now()
    if (
        stored is None
        or stored.used
        or stored.expires_at <= at
        or not constant_time_compare(stored.context_mark, context_mark(policy, context))
    ):
        code_matches(policy, code, "")
        return Verdict(Outcome.EXPIRED, stored.attempts if stored else 0, 0)
    if stored.attempts >= policy.max_attempts:
        code_matches(policy, code, "")
        return Verdict(Outcome.TOO_MANY_ATTEMPTS, stored.attempts, 0)
    attempts = stored.attempts + 1
    if code_matches(policy, code, stored.code_hash):
        return Verdict(Outcome.ACCEPTED, attempts, policy.max_attempts - attempts)
    return Verdict(Outcome.WRONG, attempts, policy.max_attempts - attempts)


def burn(policy: CodePolicy, code: str = "000000") -> None:
    """The work of one check, for a path that has nothing to check (no such person)."""
    code_matches(policy, code, "")


@dataclass(frozen=True)
class SendCheck:
    allowed: bool
    too_soon: bool = False  # a code went out less than ``resend_after`` ago
    too_many: bool = False  # ``max_sends`` already went out in ``send_window``
    wait: dt.timedelta = dt.timedelta(0)

    @property
    def wait_seconds(self) -> int:
        return math.ceil(self.wait.total_seconds())


def send_check(
    policy: CodePolicy, sent_at: Iterable[dt.datetime], *, now: dt.datetime | None = None
) -> SendCheck:
    """May another code go out, given when the earlier ones did? ``resend_after`` is
    checked first, then ``max_sends`` within ``send_window`` (a send exactly
    ``send_window`` ago no longer counts)."""
    at = now or clock.now()
    recent = sorted((t for t in sent_at if t > at - policy.send_window), reverse=True)
    if recent and policy.resend_after and at - recent[0] < policy.resend_after:
        return SendCheck(allowed=False, too_soon=True, wait=policy.resend_after - (at - recent[0]))
    if policy.max_sends and len(recent) >= policy.max_sends:
        oldest = recent[policy.max_sends - 1]
        return SendCheck(allowed=False, too_many=True, wait=oldest + policy.send_window - at)
    return SendCheck(allowed=True)


# --- one live code per subject in the shared cache --------------------------------------


class CacheCodes:
    """One live code per subject of ``policy`` in the (shared) cache.

    Every read-modify-write holds a short cache lock (``cache.add``), so two requests
    never count or use one code at once. Subjects are hashed in the keys.
    """

    def __init__(self, policy: CodePolicy, *, cache: BaseCache | None = None) -> None:
        self.policy = policy
        self._cache = cache

    @property
    def cache(self) -> BaseCache:
        return self._cache if self._cache is not None else default_cache

    def key(self, subject: str) -> str:
        digest = salted_hmac(f"{self.policy.salt}:subject", subject, algorithm="sha256")
        return f"dropline:otc:{self.policy.purpose}:{digest.hexdigest()[:40]}"

    @property
    def _ttl(self) -> int:
        return math.ceil(self.policy.lifetime.total_seconds()) + 60

    @contextmanager
    def _locked(self, key: str) -> Iterator[bool]:
        lock_key = f"{key}:lock"
        deadline = time.monotonic() + _LOCK_WAIT
        pause = 0.01
        while not self.cache.add(lock_key, 1, timeout=_LOCK_SECONDS):
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        try:
            yield True
        finally:
            self.cache.delete(lock_key)

    def _read(self, key: str) -> StoredCode | None:
        entry = self.cache.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            return StoredCode(
                code_hash=str(entry["hash"]),
                expires_at=dt.datetime.fromtimestamp(float(entry["expires"]), tz=dt.UTC),
                attempts=int(entry["attempts"]),
                used=bool(entry.get("used", False)),
                context_mark=str(entry.get("context", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def _write(self, key: str, stored: StoredCode) -> None:
        entry = {
            "hash": stored.code_hash,
            "expires": stored.expires_at.timestamp(),
            "attempts": stored.attempts,
            "used": stored.used,
            "context": stored.context_mark,
        }
        self.cache.set(key, entry, timeout=self._ttl)

    def issue(self, subject: str, *, context: str = "") -> Issued:
        """A new code for ``subject``; the one before stops working."""
        issued = issue(self.policy, context=context)
        key = self.key(subject)
        stored = StoredCode(
            code_hash=issued.code_hash,
            expires_at=issued.expires_at,
            context_mark=issued.context_mark,
        )
        with self._locked(key):  # replace even if a stuck lock outlives the wait
            self._write(key, stored)
        return issued

    def peek(self, subject: str) -> StoredCode | None:
        return self._read(self.key(subject))

    def verify(
        self, subject: str, code: str, *, context: str = "", consume: bool = True
    ) -> Verdict:
        """Check ``code`` for ``subject``, counting a wrong try. With ``consume`` the
        right code is used up; without, it stays (see :meth:`consume`)."""
        key = self.key(subject)
        with self._locked(key) as locked:
            stored = self._read(key) if locked else None
            verdict = verify(self.policy, stored, code, context=context)
            if stored is None or verdict.outcome is Outcome.EXPIRED:
                return verdict
            if verdict.outcome is Outcome.WRONG:
                self._write(key, dataclasses.replace(stored, attempts=verdict.attempts))
            elif verdict.ok and consume:
                self.cache.delete(key)
            return verdict

    def consume(self, subject: str, code: str, *, context: str = "") -> bool:
        """Use up ``subject``'s code if it is still ``code`` (for a flow that checks,
        then does something that may fail, then uses the code); False if another
        request used or replaced it meanwhile. Counts nothing."""
        key = self.key(subject)
        with self._locked(key) as locked:
            if not locked:
                return False
            stored = self._read(key)
            if (
                stored is None
                or stored.used
                or stored.expires_at <= clock.now()
                or not constant_time_compare(
                    stored.context_mark, context_mark(self.policy, context)
                )
                or not code_matches(self.policy, code, stored.code_hash)
            ):
                return False
            self.cache.delete(key)
            return True

    def revoke(self, subject: str) -> None:
        """``subject``'s code, if any, stops working."""
        key = self.key(subject)
        with self._locked(key):
            self.cache.delete(key)
