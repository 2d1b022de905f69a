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

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.headless.base.response import UnauthorizedResponse
from allauth.headless.constants import Client
from allauth.headless.internal import authkit
from allauth.headless.internal.decorators import mark_request_as_headless
from django.http import HttpRequest, HttpResponse

Run = Callable[..., HttpResponse]


def _in_context(run: Run, *, gone_is_401: bool) -> Run:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        mark_request_as_headless(request, Client.APP)
        try:
            with authkit.authentication_context(request):
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
    token: one that opens no session gets allauth's unauthenticated answer with 401,
    as any bad token does under ``/api/v1/``."""
    return _in_context(run, gone_is_401=True)
