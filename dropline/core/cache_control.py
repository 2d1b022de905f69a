"""No shared cache or browser history keeps what Dropline answers.

Every answer the application itself makes (pages, the JSON API, allauth's headless API,
the back office, the health probes) is sent with ``Cache-Control: no-store``, signed in
or not: the portal and the API are about one person's household, and a page kept by a
proxy or on a shared computer's disk would show it to the next person. Static files are
WhiteNoise's and keep its long cache headers: ``NoStoreMiddleware`` sits below
``WhiteNoiseMiddleware`` in ``MIDDLEWARE``, which answers them before they get here.

A view whose answer may stay in the person's own browser (revalidated on every use)
opts in with ``@private_cache``, which sends ``Cache-Control: private, no-cache``
instead. A page that is the same for everyone and shows no one's data (the public
status page) opts in with ``@public_cache(max_age)``, which lets shared caches keep it
that long. Nothing else overrides the rule: a view that sets some other Cache-Control
header still gets ``no-store`` unless that header already forbids storing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase

NO_STORE = "no-store"
PRIVATE_NO_CACHE = "private, no-cache"

# Set on a response by ``private_cache``: the view chose PRIVATE_NO_CACHE.
_OPT_IN = "dropline_private_cache"
# Set on a response by ``public_cache``: the header the view chose.
_PUBLIC = "dropline_public_cache"

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def private_cache(view: View) -> View:
    """Let the person's own browser keep this view's answer, revalidating every time
    (``Cache-Control: private, no-cache``); shared caches still may not."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        setattr(response, _OPT_IN, True)
        return response

    return wrapped  # type: ignore[return-value]


def public_cache(max_age: int) -> Callable[[View], View]:
    """Let shared caches keep this view's successful answers ``max_age`` seconds
    (``Cache-Control: public, max-age=...``). Only for pages that are the same for
    everyone, signed in or not: never one that shows anything of an account."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                setattr(response, _PUBLIC, f"public, max-age={max_age}")
            return response

        return wrapped  # type: ignore[return-value]

    return decorate


def cache_control_for(response: HttpResponseBase) -> str:
    """The Cache-Control header ``response`` leaves with."""
    public = getattr(response, _PUBLIC, "")
    if public and not response.cookies:  # a cookie set on the way out is one person's
        return str(public)
    if getattr(response, _OPT_IN, False):
        return PRIVATE_NO_CACHE
    current = response.get("Cache-Control", "")
    directives = {part.strip().split("=")[0].lower() for part in current.split(",")}
    if NO_STORE in directives:
        return current  # e.g. Django's never_cache: already stricter than needed
    return NO_STORE


class NoStoreMiddleware:
    """Sends ``Cache-Control: no-store`` (or a view's ``private_cache`` opt-in) on every
    answer that reaches it; see the module docstring for where it sits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = cache_control_for(response)
        return response
