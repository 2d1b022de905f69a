"""Security events: every sign-in, failure, lockout and change to how a person signs in,
with when, the IP address and the device; and, for some, an alert (``alerts``).

Each write records one ``SecurityEvent`` and, for the changes a customer must hear
about (a sign-in from a new device, a new password, a new email address or mobile
number, a second factor added or removed), asks the notification outbox for a
security alert in the same transaction. Security alerts cannot be switched off: they
go by email, by text message to a verified mobile number, and to the portal.

What a person typed to sign in is never kept: a failed sign-in names the account
when one matches and otherwise says only "unknown account". Passwords never reach
this module. Addresses kept in ``data`` are masked.

Callers: ``dropline.identity.receivers`` (allauth's and Django's signals), the
account adapter (lockouts), the 429 handler (rate limits), and the places that
change a mobile number or a notification address, end a session or forget trusted
browsers, which have no signal.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from dropline.accounts.devices import Device, parse_user_agent
from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.accounts.queries import device_seen_at_sign_in, user_for_login
from dropline.core import clock
from dropline.identity.security_events import alerts
from dropline.identity.security_events.describe import RECOVERY_CODES, method_label

Kind = SecurityEventKind

# A client that keeps hitting a limit is recorded once per window, not once a request.
THROTTLE_RECORD_WINDOW = dt.timedelta(minutes=5)

USER_AGENT_MAX = 300

# --- who is asking, from where ----------------------------------------------------------


@dataclass(frozen=True)
class Client:
    ip: str | None
    user_agent: str
    device: Device


def client_from(request: HttpRequest | None) -> Client:
    """The IP address (as the WSGI server saw it, like the staff audit log) and device."""
    if request is None:
        return Client(ip=None, user_agent="", device=Device(browser="", os=""))
    user_agent = request.headers.get("User-Agent", "")[:USER_AGENT_MAX]
    return Client(
        ip=_valid_ip(request.META.get("REMOTE_ADDR")),
        user_agent=user_agent,
        device=parse_user_agent(user_agent),
    )


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def mask_email(address: str) -> str:
    """``m•••@example.com``: enough to recognize one's own address, not to harvest it."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return "•••"
    return f"{local[:1]}•••@{domain}"


def mask_phone(number: str) -> str:
    """``•••• 0142``: the last four digits."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"•••• {digits[-4:]}" if digits else "••••"


# --- recording --------------------------------------------------------------------------


def record(
    *,
    kind: str,
    user: User | None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Record one event as it is, with no alert: the building block of the rest."""
    if kind not in Kind.values:
        raise ValueError(f"unknown security event kind {kind!r}")
    return _create(kind=kind, user=user, client=client_from(request), data=data)


def _create(
    *, kind: str, user: User | None, client: Client, data: dict[str, Any] | None
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        at=clock.now(),
        ip=client.ip,
        user_agent=client.user_agent,
        browser=client.device.browser[:40],
        os=client.device.os[:40],
        device_fingerprint=client.device.fingerprint,
        data=data or {},
    )


def signed_in(*, request: HttpRequest | None, user: User) -> SecurityEvent:
    """A completed sign-in (password and any second step). Alerts the person when the
    device (browser and system) has never signed in to their login before; the very
    first sign-in is not news to them.

    A device seen before (the usual case) costs the event's row, and one look-up unless
    the sign-in already asked when it found the login (``queries.user_for_sign_in``); only
    an unknown one asks whether there were earlier sign-ins at all, and only an alert
    needs a transaction around the two.
    """
    client = client_from(request)
    earlier = SecurityEvent.objects.filter(user=user, kind=Kind.SIGN_IN)
    fingerprint = client.device.fingerprint
    seen = device_seen_at_sign_in(user, fingerprint)  # asked when the login was found
    if seen is None:
        seen = earlier.filter(device_fingerprint=fingerprint).exists()
    if seen or not earlier.exists():
        return _create(kind=Kind.SIGN_IN, user=user, client=client, data=None)
    with transaction.atomic():
        event = _create(kind=Kind.SIGN_IN, user=user, client=client, data={"new_device": True})
        alerts.alert(event, template=alerts.NEW_DEVICE_ALERT)
    return event


def sign_in_failed(*, request: HttpRequest | None, login: str) -> SecurityEvent:
    """A wrong password, for the account ``login`` names or for none ("unknown account").

    ``login`` is only looked up, never stored or logged. A signed-in person failing to
    confirm their password (re-authentication) is recorded against themselves.
    """
    current = getattr(request, "user", None) if request is not None else None
    if isinstance(current, User) and current.is_authenticated:
        return record(
            kind=Kind.SIGN_IN_FAILED,
            user=current,
            request=request,
            data={"reason": "wrong_password", "reauthentication": True},
        )
    user = user_for_login(login)
    return record(
        kind=Kind.SIGN_IN_FAILED,
        user=user,
        request=request,
        data={"reason": "wrong_password" if user is not None else "unknown_account"},
    )


def second_factor_failed(
    *, request: HttpRequest | None, user: User, method: str, reauthentication: bool = False
) -> SecurityEvent:
    """A wrong code at the second step: the password was right."""
    data: dict[str, Any] = {"method": method}
    if reauthentication:
        data["reauthentication"] = True
    return record(kind=Kind.SECOND_FACTOR_FAILED, user=user, request=request, data=data)


def throttled(
    *, request: HttpRequest | None, login: str = "", user: User | None = None
) -> SecurityEvent | None:
    """A rate limit answered: a sign-in paused after too many failures for ``login``
    (``locked_out``), or any other limit (``rate_limited``).

    Recorded at most once per person (or unknown account) and IP address every
    ``THROTTLE_RECORD_WINDOW``, so an attacker hammering the form cannot flood the
    table or the person's activity page. Returns None when already recorded.
    """
    kind = Kind.LOCKED_OUT if login else Kind.RATE_LIMITED
    if user is None and login:
        user = user_for_login(login)
    client = client_from(request)
    with transaction.atomic():
        recent = SecurityEvent.objects.filter(
            kind=kind, ip=client.ip, at__gte=clock.now() - THROTTLE_RECORD_WINDOW
        )
        recent = recent.filter(user=user) if user is not None else recent.filter(user__isnull=True)
        if recent.exists():
            return None
        data: dict[str, Any] = {}
        if request is not None and kind == Kind.RATE_LIMITED:
            data["path"] = request.path[:200]
        if user is None and login:
            data["reason"] = "unknown_account"
        return record(kind=kind, user=user, request=request, data=data)


def signed_out(*, request: HttpRequest | None, user: User) -> SecurityEvent:
    return record(kind=Kind.SIGN_OUT, user=user, request=request)


@dataclass(frozen=True)
class EndedSession:
    """What is known of a session someone ended: where it was signed in from."""

    ip: str
    user_agent: str


def sessions_ended(
    *, request: HttpRequest | None, user: User, sessions: Iterable[EndedSession]
) -> list[SecurityEvent]:
    """One ``session_ended`` event per session ended from the session list (web or app).

    The event's IP and device are the ones that ended it; the ended session's are in
    ``data``. allauth has no signal for this: the usersessions adapter's ``end_sessions``
    calls it (``dropline.identity.sessions.UserSessionsAdapter``).
    """
    events = []
    with transaction.atomic():
        for session in sessions:
            device = parse_user_agent(session.user_agent)
            events.append(
                record(
                    kind=Kind.SESSION_ENDED,
                    user=user,
                    request=request,
                    data={
                        "session_ip": _valid_ip(session.ip),
                        "session_browser": device.browser[:40],
                        "session_os": device.os[:40],
                    },
                )
            )
    return events


def trusted_browsers_revoked(*, request: HttpRequest | None, user: User) -> SecurityEvent:
    """The person stopped trusting the browsers that skip the second step."""
    return record(kind=Kind.TRUSTED_BROWSER_REVOKED, user=user, request=request)


def second_factor_added(*, request: HttpRequest | None, user: User, method: str) -> SecurityEvent:
    """A second factor (``totp``, ``webauthn``, ``sms``) added: alerted. Recovery codes
    made alongside a first factor are recorded as new recovery codes, not alerted."""
    if method == RECOVERY_CODES:
        return recovery_codes_generated(request=request, user=user)
    with transaction.atomic():
        event = record(
            kind=Kind.SECOND_FACTOR_ADDED, user=user, request=request, data={"method": method}
        )
        alerts.alert(
            event,
            template=alerts.SECOND_FACTOR_ADDED_ALERT,
            context={"method": method_label(method)},
        )
    return event


def second_factor_removed(*, request: HttpRequest | None, user: User, method: str) -> SecurityEvent:
    """A second factor removed: alerted, unless it is the recovery codes allauth deletes
    together with the last factor (that removal is already alerted)."""
    with transaction.atomic():
        event = record(
            kind=Kind.SECOND_FACTOR_REMOVED, user=user, request=request, data={"method": method}
        )
        if method != RECOVERY_CODES:
            alerts.alert(
                event,
                template=alerts.SECOND_FACTOR_REMOVED_ALERT,
                context={"method": method_label(method)},
            )
    return event


def recovery_codes_generated(*, request: HttpRequest | None, user: User) -> SecurityEvent:
    return record(kind=Kind.RECOVERY_CODES_GENERATED, user=user, request=request)


def password_changed(
    *, request: HttpRequest | None, user: User, how: str = Kind.PASSWORD_CHANGED
) -> SecurityEvent:
    """A password changed (signed in), set for the first time, or reset: alerted."""
    if how not in {Kind.PASSWORD_CHANGED, Kind.PASSWORD_SET, Kind.PASSWORD_RESET}:
        raise ValueError(f"not a password event: {how!r}")
    with transaction.atomic():
        event = record(kind=how, user=user, request=request)
        alerts.alert(
            event,
            template=alerts.PASSWORD_CHANGED_ALERT,
            context={"reset": how == Kind.PASSWORD_RESET},
        )
    return event


def email_added(*, request: HttpRequest | None, user: User, address: str) -> SecurityEvent:
    return record(
        kind=Kind.EMAIL_ADDED, user=user, request=request, data={"address": mask_email(address)}
    )


def email_removed(*, request: HttpRequest | None, user: User, address: str) -> SecurityEvent:
    return record(
        kind=Kind.EMAIL_REMOVED,
        user=user,
        request=request,
        data={"address": mask_email(address)},
    )


def email_changed(*, request: HttpRequest | None, user: User, old: str, new: str) -> SecurityEvent:
    """The sign-in email changed from ``old`` (may be "") to ``new``.

    Alerted as usual (email, SMS, portal) and, by email, to both addresses: the old
    one is no longer the person's, yet it is where they would notice someone else
    taking the account over.
    """
    with transaction.atomic():
        event = record(
            kind=Kind.EMAIL_CHANGED,
            user=user,
            request=request,
            data={"old": mask_email(old) if old else "", "new": mask_email(new)},
        )
        alerts.alert(
            event,
            template=alerts.EMAIL_CHANGED_ALERT,
            context={"old_address": event.data["old"], "new_address": event.data["new"]},
            also_email=[address for address in (old, new) if address],
        )
    return event


def contact_changed(
    *,
    request: HttpRequest | None,
    user: User,
    kind: str,
    added: str = "",
    removed: str = "",
) -> SecurityEvent:
    """A mobile number (``kind="phone"``) or notification email address (``"email"``)
    became verified (``added``) or was removed (``removed``, pass it only if it had
    been verified). Alerted, and told directly to both the added and the removed
    address (SMS for numbers, email for addresses)."""
    if kind not in {"phone", "email"} or not (added or removed):
        raise ValueError("contact_changed needs kind phone or email and an address")
    mask = mask_phone if kind == "phone" else mask_email
    data = {"added": mask(added) if added else "", "removed": mask(removed) if removed else ""}
    addresses = [address for address in (added, removed) if address]
    with transaction.atomic():
        if kind == "phone":
            event = record(kind=Kind.PHONE_CHANGED, user=user, request=request, data=data)
            alerts.alert(
                event,
                template=alerts.PHONE_CHANGED_ALERT,
                context={"added": data["added"], "removed": data["removed"]},
                also_sms=addresses,
            )
        else:
            event = record(
                kind=Kind.EMAIL_CHANGED,
                user=user,
                request=request,
                data={"old": data["removed"], "new": data["added"], "contact": True},
            )
            alerts.alert(
                event,
                template=alerts.EMAIL_CHANGED_ALERT,
                context={"old_address": data["removed"], "new_address": data["added"]},
                also_email=addresses,
            )
    return event
