"""What the request-latency middleware costs a request, against the same site without it.

    .venv/bin/python -m bench.metrics --requests 20000

In one process, with no server and no database: Django's WSGI handler answers
``/healthz`` (the cheapest view, so the middleware's share is as large as it gets) with
the full ``MIDDLEWARE`` and, as the floor, the same list without
``RequestLatencyMiddleware``. Measured both ways prometheus_client keeps samples: in the
process (tests, ``runserver``) and in memory-mapped files shared by gunicorn's workers
(``PROMETHEUS_MULTIPROC_DIR``, as ``dropline serve`` runs), the latter in a child
process since the storage is chosen when prometheus_client is first imported. Rounds
alternate, and the best of five is kept for each.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import subprocess
import sys
import tempfile
import time
from typing import Any

LATENCY = "dropline.core.metrics.RequestLatencyMiddleware"
ROUNDS = 5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=20_000, help="requests per round")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropline.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DROPLINE_HTTPS", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import warnings

    import django

    # No collected static files here, and none are asked for.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def per_request(with_latency: bool, requests: int) -> float:
    """Seconds per ``/healthz`` through Django's WSGI handler, best of the rounds."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    middleware = [m for m in settings.MIDDLEWARE if with_latency or m != LATENCY]
    with override_settings(MIDDLEWARE=middleware):
        handler = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/healthz",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }

    def start_response(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        assert status.startswith("200"), status
        return None

    for _ in range(200):  # warm
        b"".join(handler(dict(environ), start_response))
    started = time.perf_counter()
    for _ in range(requests):
        response = handler(dict(environ), start_response)
        b"".join(response)
        response.close()
    return (time.perf_counter() - started) / requests


def recording(samples: int) -> float:
    """Seconds per recording alone (two clock reads, the labels, the observation), best
    of the rounds: what the middleware adds, without the noise of a whole request."""
    from dropline.core.metrics import REQUEST_LATENCY

    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(samples):
            begun = time.perf_counter()
            REQUEST_LATENCY.labels("healthz", "GET", "2xx").observe(time.perf_counter() - begun)
        best = min(best, (time.perf_counter() - started) / samples)
    return best


def measure(requests: int) -> tuple[float, float, float]:
    best_with, best_without = float("inf"), float("inf")
    for _ in range(ROUNDS):
        best_without = min(best_without, per_request(False, requests))
        best_with = min(best_with, per_request(True, requests))
    return best_with, best_without, recording(requests * 5)


def report(label: str, with_latency: float, without: float, alone: float) -> None:
    print(
        f"{label}: {with_latency * 1e6:.1f} µs per request with the middleware, "
        f"{without * 1e6:.1f} µs without (floor); {(with_latency - without) * 1e6:+.1f} µs, "
        f"ratio {with_latency / without:.3f}; recording alone {alone * 1e6:.1f} µs"
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        setup()
        print(" ".join(repr(figure) for figure in measure(args.requests)))
        return
    with tempfile.TemporaryDirectory() as directory:
        child = subprocess.run(
            [sys.executable, "-m", "bench.metrics", "--child", "--requests", str(args.requests)],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": directory},
            capture_output=True,
            text=True,
            check=True,
        )
    shared = [float(part) for part in child.stdout.split()[-3:]]
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    setup()
    in_process = measure(args.requests)
    print(
        f"/healthz through Django's WSGI handler, {args.requests} requests a round, "
        f"best of {ROUNDS}"
    )
    report("samples in the process      ", *in_process)
    report("samples shared by the workers", *shared)


if __name__ == "__main__":
    main()
