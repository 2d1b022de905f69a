"""A person's signed-in sessions and devices, on allauth.usersessions.

Every web sign-in and every mobile-app session token is a Django session, and allauth
keeps one ``UserSession`` row per session (IP address, browser, first and last seen).
Ending one deletes the Django session itself, so the browser's next request is
anonymous and the app's ``X-Session-Token`` is refused with 401: nothing waits for
the idle timeout.

Reads and writes are scoped to the person in the query; another person's session id
is simply not found.

``track_sign_in`` keeps the list at each sign-in in place of allauth's own receiver:
it adds the new session's row, one ``INSERT``, and nothing else. Rows whose session
has ended are never shown: reading the list removes them (``active_sessions``,
allauth's page and API; also the rows whose session still exists but no longer
authenticates, as after a password change), and the hourly sweep
(``identity.tasks.clear_ended_sessions``) removes the rest, so a person's rows stay
few without a sign-in paying for it.

``UserSessionsAdapter`` is allauth's documented hook (``USERSESSIONS_ADAPTER``) for
ending sessions: it records a security event for each one, whether it was ended from
the portal's session list or by the mobile app (``DELETE /_allauth/app/v1/auth/sessions``).

Trusted browsers ("trust this browser for 30 days") live in a signed cookie only;
``forget_trusted_browsers`` makes every one issued so far worthless
(``trusted_browsers.revoke_trusted_browsers``) and records that it did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa import app_settings as mfa_settings
from allauth.usersessions.adapter import DefaultUserSessionsAdapter, get_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dropline.accounts.devices import Device, parse_user_agent
from dropline.accounts.models import User
from dropline.identity.factors import listing, trusted_browsers
from dropline.identity.security_events import record as security_events


class SessionError(Exception):
    """A session could not be ended."""


class SessionNotFoundError(SessionError):
    """No such session among the person's own (another person's id looks the same)."""


@dataclass(frozen=True)
class ActiveSession:
    id: int
    ip: str
    device: Device
    user_agent: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    is_current: bool

    @property
    def device_label(self) -> str:
        return self.device.label


def _active(session: UserSession, *, current_session_key: str | None) -> ActiveSession:
    return ActiveSession(
        id=session.pk,
        ip=session.ip,
        device=parse_user_agent(session.user_agent),
        user_agent=session.user_agent,
        first_seen=session.created_at,
        last_seen=session.last_seen_at,
        is_current=bool(current_session_key) and session.session_key == current_session_key,
    )


def active_sessions(*, user: User, current_session_key: str | None) -> list[ActiveSession]:
    """The person's live sessions: this one first, then the most recently seen.

    Rows whose Django session has expired or no longer authenticates (a password
    change signs other sessions out) are removed on the way, as allauth does.
    """
    sessions = [
        _active(session, current_session_key=current_session_key)
        for session in UserSession.objects.purge_and_list(user)
    ]
    sessions.sort(key=lambda s: s.last_seen, reverse=True)
    sessions.sort(key=lambda s: not s.is_current)
    return sessions


def end_session(*, user: User, session_id: int, current_session_key: str | None) -> ActiveSession:
    """End one of the person's sessions; its next request (web or app) is signed out.

    Raises ``SessionNotFoundError`` for an id that is not one of theirs. Ending the current
    session is allowed; the caller then signs the request out too.
    """
    with transaction.atomic():
        session = UserSession.objects.select_for_update().filter(user=user, pk=session_id).first()
        if session is None:
            raise SessionNotFoundError(session_id)
        ended = _active(session, current_session_key=current_session_key)
        get_adapter().end_sessions([session])
    return ended


def end_other_sessions(*, user: User, current_session_key: str | None) -> list[ActiveSession]:
    """End every session of the person except ``current_session_key``; the ones ended."""
    with transaction.atomic():
        others = list(
            UserSession.objects.select_for_update()
            .filter(user=user)
            .exclude(session_key=current_session_key or "")
            .order_by("pk")
        )
        ended = [_active(s, current_session_key=current_session_key) for s in others]
        get_adapter().end_sessions(others)
    return ended


# Session engines that keep every session in ``django_session``.
_DATABASE_SESSION_ENGINES = frozenset(
    {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
        "dropline.accounts.session_store",
    }
)


def keeps_sessions_in_database() -> bool:
    return settings.SESSION_ENGINE in _DATABASE_SESSION_ENGINES


def purge_ended_sessions(*, user: User) -> None:
    """Remove the person's rows whose Django session has expired or been deleted.

    One statement, however many rows the person has. With a session engine that does
    not keep sessions in the database, allauth's own purge (one look-up per row).
    """
    if not keeps_sessions_in_database():
        UserSession.objects.purge_and_list(user)
        return
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user_id=user.pk).exclude(session_key__in=live).delete()


def track_sign_in(*, request: HttpRequest, user: User) -> None:
    """The session a sign-in just started joins the person's list (IP and browser).

    Replaces allauth's ``user_logged_in`` receiver, which lists and checks every earlier
    session of the person one by one before adding the row. Ended sessions are left to
    the list's reads and the hourly sweep (see the module).
    """
    session = request.session
    if not session.session_key:
        session.save()
    user_agent_field = UserSession._meta.get_field("user_agent")
    try:
        with transaction.atomic():
            UserSession.objects.create(
                user=user,
                session_key=session.session_key,
                ip=get_account_adapter().get_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[: user_agent_field.max_length],
            )
    except IntegrityError:
        # This session already has a row: allauth updates it (and says so if the
        # browser changed).
        UserSession.objects.create_from_request(request, user=user)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """allauth's usersessions hooks: every ended session is a security event."""

    def end_sessions(self, sessions: Iterable[UserSession]) -> None:
        ended = list(sessions)
        if not ended:
            return
        request = self.request if isinstance(self.request, HttpRequest) else None
        with transaction.atomic():
            super().end_sessions(ended)
            people = User.objects.in_bulk({s.user_id for s in ended})
            for user_id, person in people.items():
                security_events.sessions_ended(
                    request=request,
                    user=person,
                    sessions=[
                        security_events.EndedSession(ip=s.ip, user_agent=s.user_agent)
                        for s in ended
                        if s.user_id == user_id
                    ],
                )


# Trusted browsers --------------------------------------------------------------------------


def trust_applies(*, user: User) -> bool:
    """Whether trusted browsers mean anything for the person: trusting a browser skips
    the second factor, so only with allauth's trust on and a second factor to skip."""
    return bool(mfa_settings.TRUST_ENABLED) and bool(listing.available_methods(user=user))


def trusted_browser_until(*, request: HttpRequest, user: User) -> dt.datetime | None:
    """Until when the browser making ``request`` skips the second factor; None if not."""
    return trusted_browsers.trusted_until(request=request, user=user)


def forget_trusted_browsers(*, user: User, request: HttpRequest | None) -> None:
    """Every browser trusted so far asks for the second factor at its next sign-in."""
    with transaction.atomic():
        trusted_browsers.revoke_trusted_browsers(user=user)
        security_events.trusted_browsers_revoked(request=request, user=user)
