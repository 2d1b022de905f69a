"""Who is calling the API, as the OpenAPI document publishes it: the app's allauth
headless session token, or the portal's browser session (with its CSRF token on writes).

Both answer ``401 {"detail": "Unauthorized"}`` when they find nobody signed in; a
signed-in browser session whose write lacks the CSRF token answers ``403``.
"""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.ninja import security as allauth_ninja
from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyHeader
from ninja.security import SessionAuth as NinjaSessionAuth

SESSION_TOKEN_HEADER = "X-Session-Token"  # noqa: S105 - a header's name
CSRF_HEADER = "X-CSRFToken"


class XSessionTokenAuth(allauth_ninja.XSessionTokenAuth):
    """allauth headless's app session token, published with where it goes."""

    openapi_in = "header"
    openapi_name = SESSION_TOKEN_HEADER
    openapi_description = (
        "The app's session token: `meta.session_token` of allauth headless's answers "
        "(`POST /_allauth/app/v1/auth/login`). It stops working 60 minutes after its last "
        "use and 24 hours after sign-in."
    )


class SessionAuth(NinjaSessionAuth):
    """The portal's browser session cookie.

    CSRF is checked only once the session has signed someone in: a caller with no
    session gets the same 401 as one with no token, not a CSRF refusal.
    """

    openapi_description = (
        "The portal's browser session. Writes (POST, PUT, PATCH, DELETE) also need the "
        f"CSRF token: the `{settings.CSRF_COOKIE_NAME}` cookie and the page's token in the "
        f"`{CSRF_HEADER}` header."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        key: str | None = super()._get_key(request)
        return key


class CSRFToken(APIKeyHeader):
    """Published beside ``SessionAuth`` on writes; never called: ``SessionAuth`` checks it."""

    param_name = CSRF_HEADER
    openapi_description = (
        "The CSRF token of a portal page, required with the browser session on writes "
        f"(Django's CSRF protection, with the `{settings.CSRF_COOKIE_NAME}` cookie)."
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None


session_token_auth = XSessionTokenAuth()
browser_session_auth = SessionAuth()
csrf_token = CSRFToken()
