"""The customer's address behind load balancers: ``REMOTE_ADDR`` from ``X-Forwarded-For``.

Behind a proxy every request arrives from the proxy's address, and every per-address
count (failed sign-ins, reset codes, speed tests) would lump all customers together.
With ``BEHIND_PROXY`` on, each of the ``DROPLINE_PROXY_COUNT`` proxies in front appends
the address it received the request from to ``X-Forwarded-For``; the customer's address
is therefore that many entries from the right. Entries further left were written by
the client itself and are never believed. A header with fewer entries, or an entry that
is not an IP address, leaves ``REMOTE_ADDR`` as the server saw it: a request that did
not come through every proxy is not given an address it named.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "HTTP_X_FORWARDED_FOR"


def forwarded_client(header: str, proxies: int) -> str | None:
    """The address ``proxies`` hops from the right of an ``X-Forwarded-For`` value, or
    None when the header cannot say it."""
    if proxies < 1:
        return None
    hops = [hop.strip() for hop in header.split(",")]
    if len(hops) < proxies:
        return None
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = settings.DROPLINE_PROXY_COUNT if settings.BEHIND_PROXY else 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.proxies:
            client = forwarded_client(request.META.get(HEADER, ""), self.proxies)
            if client is not None:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
