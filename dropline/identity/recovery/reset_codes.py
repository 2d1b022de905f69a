"""Reset codes: what a password reset by email (``email_reset``: a link and a code in
one message) and by text message (``text_reset``) share, and the reset with a code.
(The username reminder, which shares the limits and look-ups, is ``username_reminder``.)

The emailed link is allauth's (bound to the password hash, so it works once, for
``PASSWORD_RESET_TIMEOUT``); the account adapter asks ``prepare_reset_email`` for the
code that goes beside it. Codes from either channel are this module's, and one path
checks them. They are ``core.onetime`` codes (``RESET_CODE``): 6 digits, made with
``secrets``, kept only as a keyed hash in the shared cache (Redis or the database
cache, as the rate limits are), one live code per person (a new one, by either
channel, replaces the old), bound to the password the person had when it was made (a
reset by the link kills the code beside it), usable once, for ``CODE_LIFETIME``, with
at most ``MAX_CODE_ATTEMPTS`` wrong tries. Each wrong try is recorded before the
answer is given, outside any transaction that could roll it back.

Nobody learns from these whether an account, an address or a phone exists: every
request gets the same answer after the same work (a code is always made and hashed,
a code is always checked against a hash), and the limits that a visitor can see are
keyed by what they typed and their IP address, never by the account found. Limits
keyed by the account are silent: past them nothing more is sent, and the answer is the
same.

Every limit here is a fixed window on ``core.clock``: it ends, and never locks anyone
out for good.

A reset by code is recorded and alerted by ``security_events`` exactly as allauth's
reset by link is (there through allauth's ``password_reset`` signal), so the person
gets one "your password was reset" notice, whichever way they came. Messages go in
the person's chosen language, or else in the language they asked in.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from dropline.accounts.models import SecurityEventKind, User
from dropline.core import audit, onetime
from dropline.identity.recovery.errors import CodeRejectedError, PasswordRejectedError
from dropline.identity.recovery.identifiers import sign_in_names, users_for_identifier
from dropline.identity.recovery.limits import (
    CODE_ATTEMPTS_PER_ACCOUNT,
    CODE_ATTEMPTS_PER_INPUT,
    CODE_ATTEMPTS_PER_IP,
    allowed_silently,
    check_visible,
    input_key,
)
from dropline.identity.security_events import record as security_events

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
RESET_CODE = onetime.CodePolicy(
    "reset_code", lifetime=CODE_LIFETIME, max_attempts=MAX_CODE_ATTEMPTS, digits=CODE_DIGITS
)
RESET_CODES = onetime.CacheCodes(RESET_CODE)


def clean_code(text: str) -> str | None:
    """A typed code without spaces and dashes; None unless that leaves 6 digits."""
    return onetime.well_formed(RESET_CODE, text)


def _subject(user: User) -> str:
    return f"user:{user.pk}"


def _password_mark(user: User) -> str:
    """Changes whenever the password does, so a code dies with the password it was made
    for, as allauth's link does."""
    return f"{user.pk}:{user.password}"


def issue_code(user: User) -> str:
    """A new code for ``user``, replacing any live one, bound to their password now."""
    return RESET_CODES.issue(_subject(user), context=_password_mark(user)).code


def decoy_code() -> None:
    """The work of :func:`issue_code` (one code made and hashed), keeping nothing: for a
    request that finds nobody to send a code to, so it costs what a real one does."""
    onetime.issue(RESET_CODE)


def public_url(path: str) -> str:
    return settings.DROPLINE_PUBLIC_URL.rstrip("/") + path


def language_for(user: User, asked_in: str) -> str:
    """The person's chosen language, or else the one they asked in."""
    return user.preferred_language or asked_in


def base_context() -> dict[str, Any]:
    return {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "login_url": public_url(reverse("account_login")),
        "lifetime_minutes": RESET_CODE.lifetime_minutes,
    }


def _try_code(user: User, code: str) -> bool:
    """Check ``code`` against ``user``'s live code, counting a wrong try. Never raises."""
    return RESET_CODES.verify(_subject(user), code, context=_password_mark(user), consume=False).ok


def _use_code(user: User, code: str) -> bool:
    """Use the code up; False if another request used (or replaced) it meanwhile."""
    return RESET_CODES.consume(_subject(user), code, context=_password_mark(user))


def reset_password_with_code(
    *, identifier: str, code: str, new_password: str, request: HttpRequest | None
) -> User:
    """Set a new password for the login ``identifier`` names, given the code that was
    texted or emailed to it.

    Raises ``ThrottledError`` past the visible limits, ``CodeRejectedError`` for any
    code that does not work (wrong, expired, used, too many tries, or no such login),
    and ``PasswordRejectedError`` when the code is right but the password breaks the
    policy (the code then stays usable). On success every other session of the person
    ends (the password is saved, so their session hash changes), the reset is recorded
    as a security event with its alert, as a reset by emailed link is, and allauth's
    count of failed sign-ins is forgotten, so the person can sign straight in.
    """
    ip = audit.client_ip(request) if request is not None else None
    check_visible(
        [
            (CODE_ATTEMPTS_PER_IP, ip or "unknown"),
            (CODE_ATTEMPTS_PER_INPUT, input_key(identifier)),
        ]
    )
    typed = "".join(code.split())
    users = users_for_identifier(identifier)
    matched: User | None = None
    if not users:
        onetime.burn(RESET_CODE, typed)
    for user in users:
        if not allowed_silently([CODE_ATTEMPTS_PER_ACCOUNT], user):
            onetime.burn(RESET_CODE, typed)
            continue
        if _try_code(user, typed):
            matched = user
            break
    if matched is None:
        raise CodeRejectedError()
    try:
        validate_password(new_password, user=matched)
    except ValidationError as exc:
        raise PasswordRejectedError(list(exc.messages)) from None
    if not _use_code(matched, typed):
        raise CodeRejectedError()
    with transaction.atomic():
        matched.set_password(new_password)
        matched.save(update_fields=["password"])
        security_events.password_changed(
            request=request, user=matched, how=SecurityEventKind.PASSWORD_RESET
        )
    if request is not None:
        _clear_sign_in_throttle(request, matched)
    return matched


def _clear_sign_in_throttle(request: HttpRequest, user: User) -> None:
    """As allauth does after its own reset: forget the failed sign-ins counted against
    each name the person signs in with."""
    adapter = get_adapter(request)
    for login in sign_in_names(user=user):
        adapter._delete_login_attempts_cached_email(request, email=login)
