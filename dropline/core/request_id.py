"""Every request gets an id, in its log lines and on its answer (``X-Request-ID``).

Behind a load balancer that sets ``X-Request-ID`` (``DROPLINE_TRUST_REQUEST_ID``, on
by default when ``BEHIND_PROXY`` is), its id is kept so the balancer's lines and
Dropline's can be joined; an id that is not 8 to 128 characters of letters, digits and
``-_.:`` is replaced, so a client cannot write arbitrary text into the logs. Otherwise
Dropline makes one (32 hex digits).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._:\-]{8,128}")

_current: ContextVar[str] = ContextVar("dropline_request_id", default="")


def current_request_id() -> str:
    """The id of the request this thread is serving; empty outside a request."""
    return _current.get()


def request_id_for(request: HttpRequest) -> str:
    if getattr(settings, "DROPLINE_TRUST_REQUEST_ID", False):
        given = request.META.get(_META_KEY, "")
        if WELL_FORMED.fullmatch(given):
            return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request's id (``request.request_id``) for its log lines and answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        # Kept until the answer is sent (``request_finished``), not just until this
        # returns: Django logs a failed request's "Not Found" or "Internal Server Error"
        # after the middleware, and that line should carry the id too.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget(**kwargs: object) -> None:
    _current.set("")


request_finished.connect(_forget, dispatch_uid="dropline.core.request_id.forget")
