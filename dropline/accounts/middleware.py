"""Sessions end 24 hours after sign-in, however active they have been."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from dropline.core import clock

SIGNED_IN_AT = "dropline_signed_in_at"


class AbsoluteSessionLifetimeMiddleware:
    """Sign the person out once their session is older than the absolute lifetime.

    The idle timeout is the session cookie's age, renewed on every request; this
    bounds how long a stolen but busy session can live.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = clock.now().timestamp()
            # Signing in gives the session a new key (Django cycles it), so a
            # stamp made under another key belongs to an earlier sign-in.
            key = request.session.session_key
            stamp = request.session.get(SIGNED_IN_AT)
            if not stamp or stamp[0] != key:
                request.session[SIGNED_IN_AT] = [key, now]
            elif (
                now - float(stamp[1]) > settings.DROPLINE_SESSION_ABSOLUTE_LIFETIME.total_seconds()
            ):
                logout(request)
        return self.get_response(request)
