"""Sign-in throttling: guessing is slowed, the real person is not locked out.

allauth counts failed sign-ins (``login_failed`` in ``ACCOUNT_RATE_LIMITS``) per IP
address and per "key", its key being the login typed. Counted per login alone, five
wrong passwords from anywhere kept the right password out from everywhere: anyone
could keep a customer out. Dropline's rule (docs/OPERATIONS.md, "Sign-in throttling"):

1. Per address: allauth's ``10/m/ip``, whatever login is tried.
2. Per login and address: the account adapter adds the address to allauth's key, so
   ``5/5m/key`` pauses that login *from that address* only. The person, from any
   other address, still gets in.
3. Per account, from every address together (``login_failed_account``, counted here
   under the account the login names, so its username and email addresses share one
   count): a ceiling that slows guessing spread over many addresses. Once reached,
   a password is not even checked, from an address the account has not signed in
   from lately (``KNOWN_ADDRESS_DAYS``): the answer is the same "too many attempts"
   whatever the password, so a guessing tool learns nothing. The person gets in from
   an address they have signed in from before, or by proving control of their
   email or phone with a reset code (email link or code, or text message), which
   clears the counts (``clear_account_attempts``).

Like allauth's own, these counts are taken before the password is checked and given
back when it was right, so a person's own sign-ins never count against them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from allauth.core.internal import ratelimit
from django.http import HttpRequest

from dropline.accounts.devices import parse_user_agent
from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.accounts.queries import user_for_login, user_for_sign_in
from dropline.core import clock

ACCOUNT_ACTION = "login_failed_account"
# The login a sign-in names, looked up once for the ceiling and kept on the request so
# the password check (``dropline.accounts.backends``) does not look it up again.
_LOOKED_UP = "_dropline_login_looked_up"
KNOWN_ADDRESS_DAYS = 90
_APP = "allauth.account"


def attempts_key(login_key: str, request: HttpRequest) -> str:
    """allauth's per-login key, made per login *and address* (IPv6 by /64, as allauth's
    per-IP limit counts them)."""
    return f"{login_key}@{ratelimit.get_ip(request)}"


def count_account_attempt(
    request: HttpRequest, login: str, usage: ratelimit.RateLimitUsage | None
) -> bool:
    """Count one password attempt against the account's ceiling, added to allauth's
    ``usage`` so a right password gives it back. False: refuse without checking it.
    The login is found with what the sign-in's later steps ask of it
    (``queries.user_for_sign_in``)."""
    user_agent = request.headers.get("User-Agent", "")
    user = user_for_sign_in(login, device_fingerprint=parse_user_agent(user_agent).fingerprint)
    setattr(request, _LOOKED_UP, user)
    user_id = user.pk if user is not None else None
    counted = ratelimit.consume(
        request, app=_APP, action=ACCOUNT_ACTION, key=_account_key(login, user_id)
    )
    if counted is not None:
        if usage is not None:
            usage.usage.extend(counted.usage)
        return True
    return user_id is not None and _signed_in_from_here(request, user_id)


def looked_up(request: HttpRequest | None, username: str | None) -> User | None:
    """The login this sign-in already looked up, when its username is exactly
    ``username``; None when there is none to reuse."""
    user = getattr(request, _LOOKED_UP, None)
    if isinstance(user, User) and username is not None and user.username == username:
        return user
    return None


def clear_account_attempts(request: HttpRequest, login: str) -> None:
    """Forget the account's count (after a reset: the person proved who they are)."""
    key = _account_key(login, _account_id(login))
    ratelimit.clear(request, app=_APP, action=ACCOUNT_ACTION, key=key)


def _account_key(login: str, user_id: int | None) -> str:
    """The same on every web node, whatever host name and port the request names."""
    if user_id is not None:
        return f"account:{user_id}"
    return f"login:{login.strip().lower()}"


def _account_id(login: str) -> int | None:
    user = user_for_login(login)
    return user.pk if user is not None else None


def _signed_in_from_here(request: HttpRequest, user_id: int) -> bool:
    """Whether the account completed a sign-in from this address lately (the address
    as security events record it)."""
    try:
        ip = str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "").strip()))
    except ValueError:
        return False
    return SecurityEvent.objects.filter(
        user_id=user_id,
        kind=SecurityEventKind.SIGN_IN,
        ip=ip,
        at__gte=clock.now() - dt.timedelta(days=KNOWN_ADDRESS_DAYS),
    ).exists()
