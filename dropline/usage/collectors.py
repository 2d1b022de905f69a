"""Collectors: the systems (FreeRADIUS servers) that post accounting to Dropline with
HTTP basic credentials, added and revoked by an administrator (audited).

The password is ``secrets.token_urlsafe(24)``: 192 random bits, shown once. Only its
SHA-256 is stored. A slow password hash (Argon2) protects passwords people choose,
which can be guessed; a random 192-bit token cannot be, so a fast hash loses nothing,
and it keeps every accounting request (hundreds a second) from paying ~50 ms of
Argon2. Digests are compared with ``hmac.compare_digest``.

``authenticate`` keeps each collector it let in for ``CACHE_SECONDS`` in the process, so
a busy collector costs one query every few seconds, not one a request. Revoking clears
the entry in the revoking process; every other process refuses the collector within
``CACHE_SECONDS``. ``touch`` writes ``last_record_at`` at most every
``TOUCH_SECONDS`` per process and collector.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from dropline.accounts.models import User
from dropline.core import audit, clock, ratelimit
from dropline.usage.errors import UsageError
from dropline.usage.models import Collector

CACHE_SECONDS = 5.0
TOUCH_SECONDS = 5.0
NAME_MAX = 60
ADDED = "usage.collector_added"
REVOKED = "usage.collector_revoked"
# Wrong credentials from one address: a misconfigured server or someone guessing. Past
# the limit the address is refused (429) before any lookup, until the window moves on.
FAILURES_PER_IP = ratelimit.Limit.per("collector_sign_in:ip", 30, dt.timedelta(minutes=10))


class CollectorRefusedError(UsageError):
    """Credentials that belong to no active collector; ``retry_after`` when the address
    has failed too often and is not even checked."""

    def __init__(self, message: str, *, retry_after: dt.timedelta | None = None) -> None:
        super().__init__(message, field="authorization")
        self.retry_after = retry_after


def digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def add_collector(*, name: str, actor: User | None = None) -> tuple[Collector, str]:
    """A new collector and its password (the only time the password is known)."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise UsageError(f"A collector's name is 1 to {NAME_MAX} characters.", field="name")
    try:
        validate_slug(name)
    except ValidationError:
        raise UsageError(
            "A collector's name is letters, digits, hyphens and underscores only.", field="name"
        ) from None
    password = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            collector = Collector.objects.create(
                name=name, password_digest=digest(password), created_at=clock.now()
            )
            audit.record(action=ADDED, actor=actor, target=collector)
    except IntegrityError:
        raise UsageError(f"There is already a collector named {name}.", field="name") from None
    return collector, password


def revoke_collector(*, collector_id: int, actor: User | None) -> Collector:
    """Refuse the collector's credentials from now on (within ``CACHE_SECONDS`` in
    other processes)."""
    with transaction.atomic():
        collector = Collector.objects.select_for_update().filter(pk=collector_id).first()
        if collector is None:
            raise UsageError("There is no such collector.", field="collector")
        if collector.revoked_at is not None:
            raise UsageError(
                f"The collector {collector.name} is already revoked.", field="collector"
            )
        collector.revoked_at = clock.now()
        collector.save(update_fields=["revoked_at"])
        audit.record(action=REVOKED, actor=actor, target=collector)
    _forget(collector.name)
    return collector


def find(name: str) -> Collector | None:
    return Collector.objects.filter(name=name).first()


# --- signing in, fast ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Known:
    collector: Collector
    digest: str
    until: float


_known: dict[str, _Known] = {}
_touched: dict[int, float] = {}
_lock = threading.Lock()


def sign_in(*, name: str, password: str, ip: str | None) -> Collector:
    """The active collector of these credentials, or ``CollectorRefusedError``. A
    collector let in a moment ago costs nothing; anything else passes the limit on
    failures from ``ip`` first, and a failure counts against it."""
    collector = _recognised(name, password)
    if collector is not None:
        return collector
    if ip:
        decision = ratelimit.check(FAILURES_PER_IP, ip)
        if not decision.allowed:
            raise CollectorRefusedError(
                "Too many failed sign-ins from this address.", retry_after=decision.retry_after
            )
    collector = authenticate(name, password)
    if collector is None:
        if ip:
            ratelimit.hit(FAILURES_PER_IP, ip)
        raise CollectorRefusedError("The credentials are not an active collector's.")
    return collector


def _recognised(name: str, password: str) -> Collector | None:
    known = _known.get(name)
    if known is None or known.until <= time.monotonic():
        return None
    return known.collector if hmac.compare_digest(known.digest, digest(password)) else None


def authenticate(name: str, password: str) -> Collector | None:
    """The active collector these credentials belong to, or None."""
    if not name or not password or len(name) > NAME_MAX or len(password) > 200:
        return None
    collector = _recognised(name, password)
    if collector is not None:
        return collector
    given = digest(password)
    now = time.monotonic()
    collector = (
        Collector.objects.filter(name=name, revoked_at__isnull=True)
        .only("id", "name", "password_digest", "revoked_at")
        .first()
    )
    if collector is None or not hmac.compare_digest(collector.password_digest, given):
        return None
    with _lock:
        _known[name] = _Known(collector, collector.password_digest, now + CACHE_SECONDS)
    return collector


def touch(collector_id: int) -> bool:
    """Record that the collector sent something, at most every ``TOUCH_SECONDS``;
    True when it wrote."""
    now = time.monotonic()
    last = _touched.get(collector_id)
    if last is not None and now - last < TOUCH_SECONDS:
        return False
    with _lock:
        _touched[collector_id] = now
    Collector.objects.filter(pk=collector_id).update(last_record_at=clock.now())
    return True


def _forget(name: str) -> None:
    with _lock:
        _known.pop(name, None)


def forget_all() -> None:
    """Empty the process's caches (tests; a process that must see a revocation now)."""
    with _lock:
        _known.clear()
        _touched.clear()
