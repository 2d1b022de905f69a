"""The limits on recovery requests: ``core.ratelimit`` limits with one fixed window
each (``buckets=1``, aligned to ``core.clock``), counted in the shared cache (Redis or
the database cache): they end, and never lock anyone out for good.

The limits a visitor can see are keyed by what they typed and their IP address, never
by the account found; those keyed by the account are silent: past them nothing more is
sent, and the answer is the same.
"""

from __future__ import annotations

import datetime as dt

from dropline.accounts.models import User
from dropline.core import ratelimit
from dropline.core.ratelimit import Limit
from dropline.identity.recovery.errors import ThrottledError

_HOUR = dt.timedelta(hours=1)
_QUARTER = dt.timedelta(minutes=15)

# Seen by the visitor (the answer becomes "too many requests"): keyed by IP or input.
CODE_REQUESTS_PER_IP = Limit.per("reset_code_request:ip", 10, _HOUR, buckets=1)
CODE_REQUESTS_PER_INPUT = Limit.per("reset_code_request:input", 3, _QUARTER, buckets=1)
CODE_ATTEMPTS_PER_IP = Limit.per("reset_code_attempt:ip", 30, _HOUR, buckets=1)
CODE_ATTEMPTS_PER_INPUT = Limit.per("reset_code_attempt:input", 10, _QUARTER, buckets=1)
# Silent, keyed by the account: past them nothing is sent (or checked), same answer.
CODE_REQUESTS_PER_ACCOUNT = Limit.per("reset_code_request:account", 3, _HOUR, buckets=1)
CODE_REQUESTS_PER_ACCOUNT_DAY = Limit.per(
    "reset_code_request:account:day", 10, dt.timedelta(days=1), buckets=1
)
CODE_ATTEMPTS_PER_ACCOUNT = Limit.per("reset_code_attempt:account", 15, _HOUR, buckets=1)


def check_visible(limits: list[tuple[Limit, str]]) -> None:
    """Count against every limit; raise ``ThrottledError`` with the longest wait."""
    decision = ratelimit.hit_all(limits)
    if not decision:
        assert decision.retry_after is not None
        raise ThrottledError(decision.retry_after)


def allowed_silently(limits: list[Limit], user: User) -> bool:
    """Count against every one of the account's ``limits``; False past any of them."""
    return bool(ratelimit.hit_all([(limit, f"user:{user.pk}") for limit in limits]))


def input_key(text: str) -> str:
    return " ".join(text.split()).casefold()
