"""``/metrics``: Prometheus's text format, never public.

A request is answered when it carries ``Authorization: Bearer`` and the
``DROPLINE_METRICS_TOKEN`` (compared in constant time) or, when no token is set, when
it comes straight from the machine itself: a loopback address and no proxy's
forwarding header (a proxy on the same machine forwards the world's requests from
127.0.0.1). Anyone else gets the site's "not found", as for a page that does not exist.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from dropline.core.metrics import request_registry
from dropline.operations.gauges import StateCollector

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _from_this_machine(request: HttpRequest) -> bool:
    if any(request.META.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def allowed(request: HttpRequest) -> bool:
    token: str = settings.DROPLINE_METRICS_TOKEN
    if not token:
        return _from_this_machine(request)
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    registry = request_registry()
    registry.register(StateCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
