"""What a speed test measures against: a ping, download chunks and upload chunks.

Each request names its budget in the ``X-Speed-Test-Token`` header (from ``start``)
and the chunk's number in ``?n=``; the browser sends these without cookies (see
``network.speed_tests.budget``: no session is read or saved per chunk). Without a live
budget from the same address nobody gets a byte: a visitor who is not signed in is sent
to sign in (an empty redirect), a signed-in person gets a short 403. A chunk past the
budget or larger than a chunk may be is 413, a chunk number served already 409.

Downloads are incompressible bytes, cut at random places from a pool of random bytes
made once per process, streamed 64 KiB at a time with their length and
``Cache-Control: no-store, no-transform``; no ``Content-Encoding`` (nothing in the
middleware compresses: there is no GZipMiddleware, and ``no-transform`` asks proxies
not to). Uploads are read in pieces and thrown away, never held in memory whole.
"""

from __future__ import annotations

import functools
import os
import random
from collections.abc import Iterator

from django.contrib.auth.views import redirect_to_login
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from dropline.core.audit import client_ip
from dropline.network.speed_tests import budget as budgets

TOKEN_HEADER = "X-Speed-Test-Token"  # noqa: S105 - a header's name
POOL_BYTES = 4 * 2**20
PIECE_BYTES = 64 * 2**10
NO_STORE = "no-store, no-transform"


@functools.cache
def _pool() -> memoryview:
    return memoryview(os.urandom(POOL_BYTES))


def _pieces(size: int) -> Iterator[bytes]:
    pool = _pool()
    pick = random.Random()  # where to cut, not a secret
    left = size
    previous = -POOL_BYTES
    while left:
        n = min(PIECE_BYTES, left)
        start = pick.randrange(0, POOL_BYTES - n + 1)
        # Never overlapping the piece before: bytes repeated within a compressor's window
        # (zlib's 32 KiB) would make the download compressible.
        while abs(start - previous) < PIECE_BYTES:
            start = pick.randrange(0, POOL_BYTES - n + 1)
        previous = start
        yield bytes(pool[start : start + n])
        left -= n


def address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _number(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _refused(request: HttpRequest) -> HttpResponse:
    """No live budget: sign in (nothing else), or a short 403 for someone signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return JsonResponse({"detail": _("Start a new speed test: this one has ended.")}, status=403)


def _budget(request: HttpRequest) -> budgets.Budget | None:
    return budgets.find(request.headers.get(TOKEN_HEADER, ""), address=address(request))


def _answer(refusal: str) -> HttpResponse:
    if refusal == budgets.Refusal.TAKEN:
        return JsonResponse({"detail": _("That part of the test was sent already.")}, status=409)
    return JsonResponse({"detail": _("That is more than this speed test may use.")}, status=413)


def _empty(status: int = 204) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Cache-Control"] = NO_STORE
    return response


def ping(request: HttpRequest) -> HttpResponse:
    """Nothing, as fast as possible: the browser times the round trip."""
    budget = _budget(request)
    if budget is None:
        return _refused(request)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    refusal = budgets.take(budget, kind=budgets.PING, number=_number(request, "n") or 0)
    return _answer(refusal) if refusal else _empty()


def download(request: HttpRequest) -> HttpResponseBase:
    """``?bytes=`` incompressible bytes (a whole chunk if not given), at most a chunk."""
    budget = _budget(request)
    if budget is None:
        return _refused(request)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    size = _number(request, "bytes")
    size = budget.chunk_bytes if size is None else size
    number = _number(request, "n")
    refusal = budgets.take(
        budget, kind=budgets.DOWNLOAD, number=-1 if number is None else number, size=size
    )
    if refusal:
        return _answer(refusal)
    response = StreamingHttpResponse(_pieces(size), content_type="application/octet-stream")
    response["Content-Length"] = str(size)
    response["Cache-Control"] = NO_STORE
    return response


@csrf_exempt  # no cookies: the token in a header, which another site cannot send
def upload(request: HttpRequest) -> HttpResponse:
    """Read the body (at most a chunk, its length given first) and throw it away."""
    budget = _budget(request)
    if budget is None:
        return _refused(request)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return JsonResponse({"detail": _("Say how many bytes are sent.")}, status=411)
    number = _number(request, "n")
    refusal = budgets.take(
        budget, kind=budgets.UPLOAD, number=-1 if number is None else number, size=length
    )
    if refusal:
        return _answer(refusal)
    received = 0
    while received < length:
        piece = request.read(min(PIECE_BYTES, length - received))
        if not piece:
            break
        received += len(piece)
    response = JsonResponse({"received": received})
    response["Cache-Control"] = NO_STORE
    return response
