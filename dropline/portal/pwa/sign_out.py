"""Signing out empties what the browser kept of the site.

The answer to any request that ends the browser's signed-in session (the sign-out
button, the 24-hour limit ending it, anything calling Django's ``logout``) carries
``Clear-Site-Data: "cache", "storage"``: the browser drops its HTTP cache for the site
and its storage, which includes the service worker's caches (the pages kept for offline
reading) and the worker itself, registered again by the next page. Cookies stay: the
language chosen and a browser trusted for two-step verification are not the session.

It sits right below the session middleware, so every later middleware and view that can
sign someone out does so inside it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"cache", "storage"'


def _signed_in(request: HttpRequest) -> bool:
    # Without a session cookie there is nothing to load (and nothing to sign out of).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return SESSION_KEY in request.session


class ClearSiteDataOnSignOutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_signed_in = _signed_in(request)
        response = self.get_response(request)
        if was_signed_in and SESSION_KEY not in request.session:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
