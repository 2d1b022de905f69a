"""Test budgets: what one speed test may take from the portal's server.

Starting a test (signed in, a POST with CSRF) is rate limited per person and per
address (``core.ratelimit``) and grants a budget kept in the shared cache for a
minute: a random token, bound to the person, the account and the address that asked,
allowing a few pings, a number of download chunks and a number of upload chunks, each
of at most ``CHUNK_BYTES``. So one test can never move more than
``chunks * CHUNK_BYTES`` each way, sized from the plan's speeds (enough for the phase
at twice the plan's speed, within fixed bounds).

Each request for a chunk names its number; taking it is one ``cache.add`` of that
number's key, which only one request can win on every cache Dropline runs on (Redis
``SET NX``, the database cache's unique key, the local-memory cache's lock). Racing
requests can therefore never take more chunks than the budget holds, and a number is
never served twice. The result is taken once, the same way.

The chunk requests carry the token in a header and no cookies: the token is the proof
that a signed-in person started this test a moment ago from this address, and without
cookies no session is read, renewed or saved for each chunk (the session is saved on
every request it is read in, ``SESSION_SAVE_EVERY_REQUEST``), so the measurement is of
the network rather than of the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import secrets
from typing import Any

from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import clock, ratelimit
from dropline.customers.models import CustomerAccount
from dropline.network.speed_tests.recording import PlanSpeeds

LIFETIME = dt.timedelta(seconds=60)
PHASE_SECONDS = 5  # download, then upload, each this long
STREAMS = 4
PINGS = 20
CHUNK_BYTES = 4 * 2**20
DEFAULT_MBPS = 300  # sizing a budget when the plan states no speed
MIN_DOWNLOAD_CHUNKS = 24
MIN_UPLOAD_CHUNKS = 64  # uploads start with small chunks and grow
MAX_CHUNKS = 320

PER_PERSON = ratelimit.Limit.per("speed_test.person", 10, dt.timedelta(hours=1))
PER_ADDRESS = ratelimit.Limit.per("speed_test.address", 30, dt.timedelta(hours=1))

PING = "ping"
DOWNLOAD = "down"
UPLOAD = "up"
KINDS = (PING, DOWNLOAD, UPLOAD)

_SALT = "dropline.network.speed_tests.budget"


class TooManyTestsError(Exception):
    """Too many tests started in the last hour; ``retry_after`` says how long to wait."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = retry_after
        self.minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        super().__init__(
            _(
                "You have run several speed tests in the last hour. You can run another "
                "in %(minutes)s minutes."
            )
            % {"minutes": self.minutes}
        )


@dataclasses.dataclass(frozen=True)
class Budget:
    token: str
    user_id: int
    account_id: int
    address: str  # a keyed hash of the address that started it
    expires_at: float  # a timestamp on core.clock
    pings: int
    download_chunks: int
    upload_chunks: int
    chunk_bytes: int = CHUNK_BYTES
    streams: int = STREAMS
    seconds: int = PHASE_SECONDS

    def chunks(self, kind: str) -> int:
        return {PING: self.pings, DOWNLOAD: self.download_chunks, UPLOAD: self.upload_chunks}[kind]

    @property
    def download_bytes(self) -> int:
        return self.download_chunks * self.chunk_bytes

    @property
    def upload_bytes(self) -> int:
        return self.upload_chunks * self.chunk_bytes


def _digest(text: str) -> str:
    return salted_hmac(_SALT, text, algorithm="sha256").hexdigest()[:40]


def _key(token: str) -> str:
    return f"dropline:speedtest:{_digest(token)}"


def _ttl() -> int:
    return int(LIFETIME.total_seconds()) + 30


def chunks_for(mbps: int | None, *, minimum: int) -> int:
    """Chunks enough for a phase at twice ``mbps``, within ``minimum`` and MAX_CHUNKS."""
    wanted = (mbps or DEFAULT_MBPS) * 125_000 * PHASE_SECONDS * 2
    return max(minimum, min(MAX_CHUNKS, math.ceil(wanted / CHUNK_BYTES) + 2 * STREAMS))


def grant(*, user: User, account: CustomerAccount, address: str, plan: PlanSpeeds) -> Budget:
    """A new budget for one test of ``account`` by ``user`` from ``address``; raises
    ``TooManyTestsError`` past the limits per person and per address (a refused start
    is not counted)."""
    decision = ratelimit.hit_all([(PER_PERSON, str(user.pk)), (PER_ADDRESS, address)])
    if not decision.allowed:
        assert decision.retry_after is not None
        raise TooManyTestsError(decision.retry_after)
    budget = Budget(
        token=secrets.token_urlsafe(32),
        user_id=user.pk,
        account_id=account.pk,
        address=_digest(address),
        expires_at=(clock.now() + LIFETIME).timestamp(),
        pings=PINGS,
        download_chunks=chunks_for(plan.download_mbps, minimum=MIN_DOWNLOAD_CHUNKS),
        upload_chunks=chunks_for(plan.upload_mbps, minimum=MIN_UPLOAD_CHUNKS),
    )
    cache.set(_key(budget.token), dataclasses.asdict(budget), timeout=_ttl())
    return budget


def find(token: str, *, address: str | None = None) -> Budget | None:
    """The live budget ``token`` names (from ``address``, when given); None if there is
    none, it has run out of time, or it was started from another address."""
    if not token or len(token) > 100:
        return None
    stored: Any = cache.get(_key(token))
    if not isinstance(stored, dict):
        return None
    budget = Budget(**stored)
    if clock.now().timestamp() >= budget.expires_at:
        return None
    if address is not None and not secrets.compare_digest(budget.address, _digest(address)):
        return None
    return budget


class Refusal:
    """Why a chunk was not given."""

    NOT_IN_BUDGET = "not_in_budget"  # a number past the budget: it is spent
    TOO_LARGE = "too_large"  # more bytes than a chunk may hold
    TAKEN = "taken"  # that number was served already


def take(budget: Budget, *, kind: str, number: int, size: int = 0) -> str | None:
    """Take chunk ``number`` of ``kind`` (ping, down, up) holding ``size`` bytes: None
    when given, else a ``Refusal``. At most once per number, atomically."""
    if kind not in KINDS:
        raise ValueError(kind)
    if number < 0 or number >= budget.chunks(kind):
        return Refusal.NOT_IN_BUDGET
    if size < 0 or size > budget.chunk_bytes:
        return Refusal.TOO_LARGE
    if not cache.add(f"{_key(budget.token)}:{kind}:{number}", 1, timeout=_ttl()):
        return Refusal.TAKEN
    return None


def settle(token: str, *, user: User) -> Budget | None:
    """The budget ``token`` names, once, for recording its result by the person who
    started it; None if it is not theirs, has run out of time or was settled already."""
    budget = find(token)
    if budget is None or budget.user_id != user.pk:
        return None
    if not cache.add(f"{_key(token)}:result", 1, timeout=_ttl()):
        return None
    return budget
