"""Running an API operation as one of allauth headless's own app endpoints.

Some operations act on a login that is not signed in yet: it lives in the session
behind the app's ``X-Session-Token``, not in a signed-in user. Decorated with
``decorate_view(in_allauth_app_context)``, such an operation runs as allauth's
``/_allauth/app/v1/...`` views do: ``request.session`` is the token's session (saved
afterwards if it changed), the request counts as the ``app`` client, and allauth's
responses carry the new session token once the sign-in completes, exactly as after
allauth's own steps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from allauth.core.exceptions import ImmediateHttpResponse, ReauthenticationRequired
from allauth.headless import app_settings as headless_settings
from allauth.headless.base.response import ReauthenticationResponse, UnauthorizedResponse
from allauth.headless.constants import Client
from allauth.headless.internal import authkit
from allauth.headless.internal.decorators import mark_request_as_headless
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

Run = Callable[..., HttpResponse]


def _in_context(run: Run, *, gone_is_401: bool) -> Run:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        mark_request_as_headless(request, Client.APP)
        try:
            with authkit.authentication_context(request):
                if gone_is_401 and not request.headers.get("X-Session-Token"):
                    return UnauthorizedResponse(request)
                return run(request, *args, **kwargs)
        except ImmediateHttpResponse as exc:
            if gone_is_401:
                return UnauthorizedResponse(request)
            response: HttpResponse = exc.response
            return response

    return wrapper


def in_allauth_app_context(run: Run) -> Run:
    """Wrap a ninja operation's ``run`` in allauth's app-client authentication context.

    A token that opens no session (ended, expired, forged) is answered as allauth
    answers it: 410.
    """
    return _in_context(run, gone_is_401=False)


def in_pending_login_context(run: Run) -> Run:
    """``in_allauth_app_context`` for operations whose credential is a pending login's
    token: no token, or one that opens no session, gets allauth's unauthenticated answer
    with 401 (before the input is read), as any bad token does under ``/api/v1/``."""
    return _in_context(run, gone_is_401=True)


def require_recent_authentication(request: HttpRequest, *, app: str = "") -> None:
    """Stop with allauth's 401 "reauthentication required" answer (and the flows that
    satisfy it) unless the caller confirmed their sign-in within
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT``, as the web's pages require. ``app`` names the
    allauth app whose ``REAUTHENTICATION_REQUIRED`` setting applies; none: always.

    allauth keeps that confirmation in the session it happened in: for the app, the
    session behind the ``X-Session-Token``, which allauth's app context makes
    ``request.session`` for the check and the answer; else the browser session. The
    answer reaches the caller through ``errors.install``'s ``ImmediateHttpResponse``
    handler.
    """
    token = request.headers.get("X-Session-Token")
    mark_request_as_headless(request, Client.APP if token else Client.BROWSER)
    if not token:
        _raise_if_stale(request, app=app)
        return
    with authkit.authentication_context(request):
        _raise_if_stale(request, app=app)


def _raise_if_stale(request: HttpRequest, *, app: str) -> None:
    try:
        raise_if_reauthentication_required(request, app=app)
    except ReauthenticationRequired:
        raise ImmediateHttpResponse(ReauthenticationResponse(request)) from None


def caller_session_key(request: HttpRequest) -> str | None:
    """The key of the session the caller is signed in with: the one behind the app's
    ``X-Session-Token`` when the token opens a signed-in session, else the browser's.
    It names "this device" in the person's list of sessions, as the web's page does."""
    token = request.headers.get("X-Session-Token")
    if token:
        session = headless_settings.TOKEN_STRATEGY.lookup_session(token)
        if session is not None and session.get(SESSION_KEY) is not None:
            return session.session_key
    return request.session.session_key
