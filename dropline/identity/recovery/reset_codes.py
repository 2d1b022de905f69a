"""Getting back in without the password: a reset by e-mail (a link and a code in one
message) or by a code in a text message. (The username reminder, which shares this
module's limits and look-ups, is ``accounts.username_reminder``.)

The e-mailed link is allauth's (bound to the password hash, so it works once, for
``PASSWORD_RESET_TIMEOUT``); the account adapter asks ``prepare_reset_email`` for the
code that goes beside it. Codes from either channel are this module's, and one path
checks them: 6 digits, made with ``secrets``, stored only as a password hash in the
shared cache (Redis or the database cache, as the rate limits are), one live code per
person (a new one, by either channel, replaces the old), bound to the password the
person had when it was made (a reset by the link kills the code beside it), usable
once, for ``CODE_LIFETIME``, with at most ``MAX_CODE_ATTEMPTS`` wrong tries. Each wrong
try is recorded before the answer is given, outside any transaction that could roll
it back.

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
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.accounts import sealed
from dropline.accounts.models import SecurityEventKind, User
from dropline.core import audit, clock
from dropline.identity.security_events import record as security_events
from dropline.identity.tasks import send_recovery_email, send_reset_code_text
from dropline.notifications.contacts import ContactError, normalize
from dropline.notifications.models import ContactKind, ContactPoint, ContactStatus
from dropline.notifications.rendering import render

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
MAX_TARGETS = 10  # logins one identifier may reach (a shared household phone)

RESET_CODE_EVENT = "account.password_reset_code"
# allauth's template names, so whatever sends these e-mails sends Dropline's words.
RESET_EMAIL = "account/email/password_reset_key"
NO_LOGIN_EMAIL = "account/email/unknown_account"


@dataclass(frozen=True)
class Limit:
    """At most ``amount`` in each fixed ``window``."""

    action: str
    amount: int
    window: dt.timedelta


# Seen by the visitor (the answer becomes "too many requests"): keyed by IP or input.
CODE_REQUESTS_PER_IP = Limit("reset_code_request:ip", 10, dt.timedelta(hours=1))
CODE_REQUESTS_PER_INPUT = Limit("reset_code_request:input", 3, dt.timedelta(minutes=15))
CODE_ATTEMPTS_PER_IP = Limit("reset_code_attempt:ip", 30, dt.timedelta(hours=1))
CODE_ATTEMPTS_PER_INPUT = Limit("reset_code_attempt:input", 10, dt.timedelta(minutes=15))
# Silent, keyed by the account: past them nothing is sent (or checked), same answer.
CODE_REQUESTS_PER_ACCOUNT = Limit("reset_code_request:account", 3, dt.timedelta(hours=1))
CODE_REQUESTS_PER_ACCOUNT_DAY = Limit("reset_code_request:account:day", 10, dt.timedelta(days=1))
CODE_ATTEMPTS_PER_ACCOUNT = Limit("reset_code_attempt:account", 15, dt.timedelta(hours=1))

_LOCK_SECONDS = 10
_LOCK_WAIT = 2.0


class RecoveryError(Exception):
    """Recovery did not go ahead; ``str()`` is the message for the person."""


class ThrottledError(RecoveryError):
    """Too many requests from this IP address or for what was typed."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = retry_after
        super().__init__(
            ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                self.minutes,
            )
            % {"minutes": self.minutes}
        )

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


class CodeRejectedError(RecoveryError):
    """Wrong, expired, used up or never sent: deliberately the same for each."""

    def __init__(self) -> None:
        super().__init__(_("That code did not work. Check it, or ask for a new code."))


class PasswordRejectedError(RecoveryError):
    """The code was right but the new password breaks the policy; the code still works."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


class InvalidAddressError(RecoveryError):
    """What was typed is neither an e-mail address nor a mobile number."""


# --- limits ---------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _window(limit: Limit) -> tuple[int, float]:
    """The current window's number and the seconds until it ends."""
    seconds = limit.window.total_seconds()
    now = clock.now().timestamp()
    number = int(now // seconds)
    return number, (number + 1) * seconds - now


def _hit(limit: Limit, key: str) -> dt.timedelta | None:
    """Count one use against ``key``; how long to wait if that was one too many."""
    number, remaining = _window(limit)
    cache_key = f"dropline:recovery:{limit.action}:{number}:{_digest(key)}"
    timeout = math.ceil(limit.window.total_seconds()) + 60
    cache.add(cache_key, 0, timeout=timeout)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        count = 1
    if count > limit.amount:
        return dt.timedelta(seconds=remaining)
    return None


def check_visible(limits: list[tuple[Limit, str]]) -> None:
    """Count against every limit; raise ``ThrottledError`` with the longest wait."""
    waits = [wait for limit, key in limits if (wait := _hit(limit, key)) is not None]
    if waits:
        raise ThrottledError(max(waits))


def allowed_silently(limits: list[Limit], user: User) -> bool:
    results = [_hit(limit, f"user:{user.pk}") for limit in limits]
    return all(result is None for result in results)


def _input_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- who is meant ---------------------------------------------------------------------


def as_phone(text: str) -> str | None:
    """``text`` as an E.164 mobile number, if it reads as one."""
    if "@" in text or any(ch.isalpha() for ch in text):
        return None
    try:
        return normalize(kind=ContactKind.PHONE, address=text)
    except ContactError:
        return None


def verified_email_owners(email: str) -> Q:
    sign_in = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    contacts = ContactPoint.objects.filter(
        kind=ContactKind.EMAIL, address__iexact=email, verified_at__isnull=False
    ).values("user_id")
    return Q(pk__in=sign_in) | Q(pk__in=contacts)


def verified_phone_owners(phone: str) -> Q:
    contacts = ContactPoint.objects.filter(
        kind=ContactKind.PHONE, address=phone, verified_at__isnull=False
    ).values("user_id")
    return Q(pk__in=contacts)


def users_for_identifier(identifier: str) -> list[User]:
    """Active logins whose username, verified e-mail or verified mobile is ``identifier``."""
    text = identifier.strip()
    if not text:
        return []
    query = Q(username__iexact=text)
    if "@" in text:
        query |= verified_email_owners(text)
    phone = as_phone(text)
    if phone:
        query |= verified_phone_owners(phone)
    return list(User.objects.filter(query, is_active=True).order_by("pk")[:MAX_TARGETS])


def _phone_for(user: User, typed_phone: str | None) -> str | None:
    """Where to text ``user``: the number they typed if it is theirs and verified, else
    their primary verified number; None when they have none that works."""
    phones = ContactPoint.objects.filter(
        user=user, kind=ContactKind.PHONE, verified_at__isnull=False, status=ContactStatus.OK
    ).order_by("-is_primary", "id")
    if typed_phone:
        typed = phones.filter(address=typed_phone).first()
        if typed is not None:
            return typed.address
    first = phones.first()
    return first.address if first is not None else None


# --- codes ----------------------------------------------------------------------------


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A hash no typed code matches, checked when there is nothing real to check, so a
    miss takes as long as a real comparison."""
    return make_password(secrets.token_hex(16))


def _code_key(user_pk: int) -> str:
    return f"dropline:recovery:reset_code:{user_pk}"


@contextmanager
def _locked(key: str) -> Iterator[bool]:
    """Hold a short cache lock on ``key`` so two requests never count or use the same
    code at once; yields False if it could not be had in time."""
    lock_key = f"{key}:lock"
    deadline = time.monotonic() + _LOCK_WAIT
    pause = 0.01
    while not cache.add(lock_key, 1, timeout=_LOCK_SECONDS):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    try:
        yield True
    finally:
        cache.delete(lock_key)


def clean_code(text: str) -> str | None:
    """A typed code without spaces and dashes; None unless that leaves 6 digits."""
    code = "".join(text.replace("-", " ").split())
    if len(code) != CODE_DIGITS or not (code.isascii() and code.isdigit()):
        return None
    return code


def _password_mark(user: User) -> str:
    """Changes whenever the password does, so a code dies with the password it was made
    for, as allauth's link does."""
    return _digest(f"{user.pk}:{user.password}")


def _store_code(user: User, code_hash: str) -> None:
    now = clock.now()
    entry = {
        "hash": code_hash,
        "expires": (now + CODE_LIFETIME).timestamp(),
        "attempts": 0,
        "password": _password_mark(user),
    }
    key = _code_key(user.pk)
    with _locked(key):  # replace even if a stuck lock outlives the wait
        cache.set(key, entry, timeout=math.ceil(CODE_LIFETIME.total_seconds()) + 60)


def _public_url(path: str) -> str:
    return settings.DROPLINE_PUBLIC_URL.rstrip("/") + path


def language_for(user: User, asked_in: str) -> str:
    """The person's chosen language, or else the one they asked in."""
    return user.preferred_language or asked_in


def base_context() -> dict[str, Any]:
    return {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "login_url": _public_url(reverse("account_login")),
        "lifetime_minutes": int(CODE_LIFETIME.total_seconds() // 60),
    }


def _send_code(*, user: User, phone: str, code: str, language: str) -> None:
    """Hand the text to ``tasks.send_reset_code_text``: with a broker, the gateway's
    round trip happens outside this request (see ``request_reset_code``)."""
    rendered = render(
        event=RESET_CODE_EVENT,
        language=language_for(user, language),
        context={**base_context(), "user": user, "code": code, "username": user.username},
    )
    send_reset_code_text.delay(
        user_id=user.pk,
        phone=phone,
        sealed_body=sealed.seal(rendered.sms),
        idempotency_key=f"reset_code:{user.pk}:{secrets.token_hex(8)}",
    )


def request_reset_code(*, identifier: str, ip: str | None, language: str) -> None:
    """Text a reset code to the verified mobile of each login ``identifier`` names.

    Answers the same (returns None) whether or not anything was sent, after the same
    work: one code hashed per login found, or one for none; the text itself is sent by
    a background task. Raises ``ThrottledError`` past the limits for this IP address
    or this identifier.
    """
    check_visible(
        [
            (CODE_REQUESTS_PER_IP, ip or "unknown"),
            (CODE_REQUESTS_PER_INPUT, _input_key(identifier)),
        ]
    )
    typed_phone = as_phone(identifier.strip())
    users = users_for_identifier(identifier)
    if not users:
        make_password(_new_code())  # the same work as for a real login
        return
    for user in users:
        code = _new_code()
        code_hash = make_password(code)
        phone = _phone_for(user, typed_phone)
        if phone is None:
            continue
        if not allowed_silently([CODE_REQUESTS_PER_ACCOUNT, CODE_REQUESTS_PER_ACCOUNT_DAY], user):
            logger.info("password reset code for user %s held back by the account limit", user.pk)
            continue
        _store_code(user, code_hash)
        _send_code(user=user, phone=phone, code=code, language=language)


def _try_code(user: User, code: str) -> bool:
    """Check ``code`` against ``user``'s live code, counting a wrong try. Never raises."""
    key = _code_key(user.pk)
    with _locked(key) as locked:
        entry = cache.get(key) if locked else None
        if (
            not isinstance(entry, dict)
            or entry.get("expires", 0) <= clock.now().timestamp()
            or entry.get("password") != _password_mark(user)
        ):
            check_password(code, _decoy_hash())
            return False
        if entry.get("attempts", 0) >= MAX_CODE_ATTEMPTS:
            check_password(code, _decoy_hash())
            return False
        if check_password(code, entry["hash"]):
            return True
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        cache.set(key, entry, timeout=math.ceil(CODE_LIFETIME.total_seconds()) + 60)
        return False


def _use_code(user: User, code: str) -> bool:
    """Take the code out of the cache; False if another request used (or replaced) it."""
    key = _code_key(user.pk)
    with _locked(key) as locked:
        if not locked:
            return False
        entry = cache.get(key)
        if (
            not isinstance(entry, dict)
            or entry.get("password") != _password_mark(user)
            or not check_password(code, entry["hash"])
        ):
            return False
        cache.delete(key)
        return True


def reset_password_with_code(
    *, identifier: str, code: str, new_password: str, request: HttpRequest | None
) -> User:
    """Set a new password for the login ``identifier`` names, given the code that was
    texted or e-mailed to it.

    Raises ``ThrottledError`` past the visible limits, ``CodeRejectedError`` for any
    code that does not work (wrong, expired, used, too many tries, or no such login),
    and ``PasswordRejectedError`` when the code is right but the password breaks the
    policy (the code then stays usable). On success every other session of the person
    ends (the password is saved, so their session hash changes), the reset is recorded
    as a security event with its alert, as a reset by e-mailed link is, and allauth's
    count of failed sign-ins is forgotten, so the person can sign straight in.
    """
    ip = audit.client_ip(request) if request is not None else None
    check_visible(
        [
            (CODE_ATTEMPTS_PER_IP, ip or "unknown"),
            (CODE_ATTEMPTS_PER_INPUT, _input_key(identifier)),
        ]
    )
    typed = "".join(code.split())
    users = users_for_identifier(identifier)
    matched: User | None = None
    if not users:
        check_password(typed, _decoy_hash())
    for user in users:
        if not allowed_silently([CODE_ATTEMPTS_PER_ACCOUNT], user):
            check_password(typed, _decoy_hash())
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


def sign_in_names(*, user: User) -> list[str]:
    """What ``user`` can type to sign in: the username and each of their e-mail addresses."""
    emails = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return sorted({user.username, *emails})


# --- reset by e-mail: allauth's link and this module's code in one message -------------


@dataclass(frozen=True)
class ResetEmail:
    """What goes into a reset e-mail beside allauth's link."""

    code: str | None  # None when the address is not verified on the login
    language: str
    lifetime_minutes: int


def reset_email_minutes() -> int:
    """How long a reset e-mail's link and code both work: the shorter of the two."""
    return int(min(CODE_LIFETIME.total_seconds(), settings.PASSWORD_RESET_TIMEOUT) // 60)


def request_reset_email(*, email: str, request: HttpRequest) -> None:
    """E-mail a reset link and code to each login that signs in with ``email``.

    allauth finds the logins and sends through the account adapter, so its headless
    endpoint sends the same message; an address with no login gets the adapter's "no
    login uses this address" message after the same work. Raises
    ``InvalidAddressError`` for something that is not an e-mail address and
    ``ThrottledError`` past the visible limits, which a text-message request counts
    against too.
    """
    form = ResetPasswordForm(data={"email": email})
    if not form.is_valid():
        raise InvalidAddressError(_("Enter a valid e-mail address, such as maria@example.com."))
    check_visible(
        [
            (CODE_REQUESTS_PER_IP, audit.client_ip(request) or "unknown"),
            (CODE_REQUESTS_PER_INPUT, _input_key(form.cleaned_data["email"])),
        ]
    )
    form.save(request)


def send_reset_email(*, user: User, email: str, link: str, language: str) -> None:
    """Dropline's reset e-mail to ``user`` at ``email``: allauth's single-use ``link``,
    a code, the username, how long they work and what to do if it was not them.

    Past the account's silent limit nothing is sent. Sent now, not through the outbox,
    so the link and the code never rest in the message log; a mail server that fails
    is logged for staff, never shown: the visitor's answer is the same either way.
    """
    prepared = _prepare_reset_email(user=user, email=email, language=language)
    if prepared is None:
        return
    context = {
        **base_context(),
        "username": user.username,
        "password_reset_url": link,
        "code": prepared.code,
        "lifetime_minutes": prepared.lifetime_minutes,
    }
    _send_email(template=RESET_EMAIL, to=email, language=prepared.language, context=context)


def send_no_login_email(*, email: str, language: str) -> None:
    """What an address with no login gets when someone asks to reset its password (or
    otherwise names it to allauth), after the hashing a real reset e-mail costs."""
    make_password(_new_code())
    context = {
        **base_context(),
        "email": email,
        "claim_url": _public_url(reverse("accounts_portal:claim")),
    }
    _send_email(template=NO_LOGIN_EMAIL, to=email, language=language, context=context)


def _send_email(*, template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Render now; ``tasks.send_recovery_email`` sends it (with a broker, outside this
    request)."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context).strip()
        html = render_to_string(f"{template}_message.html", context).strip()
    send_recovery_email.delay(
        to=to,
        subject=subject,
        sealed_text=sealed.seal(text),
        sealed_html=sealed.seal(html),
        message_id=f"<recovery.{secrets.token_hex(12)}@dropline>",
        kind=template.rsplit("/", 1)[-1],
    )


def _prepare_reset_email(*, user: User, email: str, language: str) -> ResetEmail | None:
    """The code for a reset e-mail; None when the account's silent limit holds it back.

    The code replaces any live one, and goes only to an address verified on the
    login, because the code page finds logins by verified addresses only.
    """
    code = _new_code()
    code_hash = make_password(code)  # the same work as for an address with no login
    if not allowed_silently([CODE_REQUESTS_PER_ACCOUNT, CODE_REQUESTS_PER_ACCOUNT_DAY], user):
        logger.info("password reset e-mail for user %s held back by the account limit", user.pk)
        return None
    verified = User.objects.filter(verified_email_owners(email), pk=user.pk).exists()
    if verified:
        _store_code(user, code_hash)
    return ResetEmail(
        code=code if verified else None,
        language=language_for(user, language),
        lifetime_minutes=reset_email_minutes(),
    )
