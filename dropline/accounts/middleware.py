"""Sessions end after 60 idle minutes, and 24 hours after sign-in however active.

A web session's idle timeout is its cookie's age, renewed on every request
(``SESSION_SAVE_EVERY_REQUEST``). The mobile app's session token (``X-Session-Token``,
allauth headless) is the key of a session that no cookie renews, so for it this
middleware keeps both limits itself: every signed-in use moves its expiry on (one
save, as the web's cookie does), and a token idle too long or older than the
absolute lifetime is ended before allauth or the API look it up, so
``/_allauth/app/...`` answers that the session is gone (410) and ``/api/v1/`` 401.

The 24 hours count from the sign-in itself (``stamp_sign_in``, called when allauth
signs someone in, on the web or in the app); a session signed in some other way is
stamped at its first signed-in request.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.core.internal.sessionkit import get_session_user
from allauth.headless import app_settings as headless_settings
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

from dropline.core import clock

SIGNED_IN_AT = "dropline_signed_in_at"
LAST_USED_AT = "dropline_last_used_at"


def stamp_sign_in(session: SessionBase) -> None:
    """Start the absolute lifetime of the session just signed in."""
    session[SIGNED_IN_AT] = [session.session_key, clock.now().timestamp()]


def _outlived(session: SessionBase, *, now: float, idle_seconds: float | None) -> bool:
    """Whether ``session`` is older than the absolute lifetime (or, given
    ``idle_seconds``, unused for longer); stamps it when first seen signed in.

    Signing in gives the session a new key (Django cycles it), so a stamp made under
    another key belongs to an earlier sign-in.
    """
    stamp = session.get(SIGNED_IN_AT)
    if not stamp or stamp[0] != session.session_key:
        session[SIGNED_IN_AT] = [session.session_key, now]
        return False
    if now - float(stamp[1]) > settings.DROPLINE_SESSION_ABSOLUTE_LIFETIME.total_seconds():
        return True
    last_used = float(session.get(LAST_USED_AT, stamp[1]))
    return idle_seconds is not None and now - last_used > idle_seconds


def _end_app_session(request: HttpRequest, session: SessionBase) -> None:
    """Sign the token's session out as ``logout`` signs a web session out (same
    signal, so the same security event), leaving the request's own alone."""
    own_session, own_user = request.session, request.user
    request.session = session
    request.user = get_session_user(session)
    try:
        logout(request)
    finally:
        request.session, request.user = own_session, own_user


def _check_app_token(request: HttpRequest, token: str) -> None:
    session = headless_settings.TOKEN_STRATEGY.lookup_session(token)
    if session is None or session.get(SESSION_KEY) is None:
        return  # unknown, expired, or a login still pending: allauth answers those
    now = clock.now().timestamp()
    if _outlived(session, now=now, idle_seconds=settings.SESSION_COOKIE_AGE):
        _end_app_session(request, session)
        return
    session[LAST_USED_AT] = now
    session.save()  # also moves the stored expiry on: the idle timeout restarts


class AbsoluteSessionLifetimeMiddleware:
    """Sign the person out once their session is older than the absolute lifetime,
    and keep the app's session tokens to the idle timeout too.

    The absolute lifetime bounds how long a stolen but busy session can live.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.headers.get("X-Session-Token")
        if token:
            _check_app_token(request, token)
        if request.user.is_authenticated and _outlived(
            request.session, now=clock.now().timestamp(), idle_seconds=None
        ):
            logout(request)
        return self.get_response(request)
