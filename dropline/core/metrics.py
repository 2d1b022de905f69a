"""Request latency for Prometheus, from every web process of a server.

``RequestLatencyMiddleware`` (first in ``MIDDLEWARE``) times each request and records it
in one histogram labelled by the route's name (the URL pattern's name, such as
``portal:overview``, or its route when it has none), never the path with its ids, the
method and the status class (``2xx``). Static files answered by WhiteNoise are
``static``, and a path no pattern matched is ``unmatched``.

gunicorn runs several worker processes; each writes its samples to memory-mapped files
in one directory (prometheus_client's multiprocess mode) so that one scrape of
``/metrics``, answered by any worker, adds them all up. ``dropline serve`` (its
gunicorn configuration, ``dropline.gunicorn_conf``) sets ``PROMETHEUS_MULTIPROC_DIR``
(``var/prometheus`` unless it is set), empties it at start and marks each worker that
exits. Without the variable (tests, ``runserver``) the histogram lives in the process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# From a fast page to a slow PDF or bill preview, and the 100 ms a page must keep.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_LATENCY = Histogram(
    "dropline_http_request_duration_seconds",
    "Time from a request reaching Dropline to its answer, by route name, method and status class.",
    ["route", "method", "status"],
    buckets=BUCKETS,
    registry=None,
)


def multiprocess_dir() -> str:
    """The directory the web processes share their samples in; empty when off."""
    return os.environ.get(MULTIPROC_ENV, "")


def prepare_multiprocess_dir(path: Path) -> None:
    """Creates ``path`` and removes samples a previous server left there (their
    processes are gone; kept, they would count again)."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)


def request_registry() -> CollectorRegistry:
    """A registry with the request histogram: every worker's when the web processes
    share a directory, this process's otherwise."""
    registry = CollectorRegistry()
    directory = multiprocess_dir()
    if directory:
        MultiProcessCollector(registry, path=directory)
    else:
        registry.register(REQUEST_LATENCY)
    return registry


def route_of(request: HttpRequest) -> str:
    """The route's name for a label: never the path, so never an id."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path_info.startswith("/static/") else "unmatched"
    if match.url_name:
        return str(match.view_name)
    return "/" + str(match.route).lstrip("^").rstrip("$")


class RequestLatencyMiddleware:
    """Records every request's time in ``REQUEST_LATENCY``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        method = request.method if request.method in METHODS else "other"
        status = f"{response.status_code // 100}xx"
        REQUEST_LATENCY.labels(route_of(request), method, status).observe(elapsed)
        return response
