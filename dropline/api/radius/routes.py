"""FreeRADIUS accounting in: ``POST /api/v1/radius/accounting``, what FreeRADIUS 3's
``rest`` module posts for each accounting packet (``body = 'json'`` or ``'post'``).

Not a customer's operation: a collector signs in with HTTP basic credentials
(``dropline collectors add NAME``); anything else is 401 with ``WWW-Authenticate``, and
an address that keeps failing is refused with 429 for a while. No CSRF (not a
browser). 204 once the packet is counted (or is a type that counts nothing, such as
Accounting-On); 400 naming the attribute and the reason for a body that cannot be
counted, which is kept as a rejection for the ingest status page and counts nothing.
A packet posted twice (a retransmission) counts once.
"""

from __future__ import annotations

import base64
import binascii
import math

from django.http import HttpRequest, HttpResponse
from ninja import Router

from dropline.api.errors import FieldError
from dropline.api.schemas import ErrorOut, InvalidInputOut
from dropline.core import audit, clock
from dropline.usage import collectors, rlm_rest
from dropline.usage.errors import UsageError
from dropline.usage.ingest import ingest
from dropline.usage.models import Source
from dropline.usage.rejections import record_rejection

router = Router(tags=["radius"], auth=None)

REALM = 'Basic realm="dropline"'
ATTRIBUTES_SCHEMA = {
    "type": "object",
    "description": 'Each attribute as {"type": "...", "value": [...]} (rlm_rest\'s JSON).',
    "additionalProperties": {
        "type": "object",
        "properties": {"type": {"type": "string"}, "value": {"type": "array", "items": {}}},
    },
}
# A session's start as FreeRADIUS's rest module posts it: JSON with each attribute's type,
# or a form.
EXAMPLE_TYPES = {
    "User-Name": "string",
    "NAS-IP-Address": "ipaddr",
    "Acct-Status-Type": "integer",
    "Acct-Session-Id": "string",
    "Acct-Unique-Session-Id": "string",
    "Acct-Session-Time": "integer",
}
EXAMPLE = {
    "User-Name": "demo-internet",
    "NAS-IP-Address": "127.0.0.1",
    "Acct-Status-Type": "Start",
    "Acct-Session-Id": "sess-1",
    "Acct-Unique-Session-Id": "457461ed05a897752d751633d2f6a875",
    "Acct-Session-Time": "0",
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": ATTRIBUTES_SCHEMA,
                "example": {
                    name: {"type": EXAMPLE_TYPES[name], "value": [value]}
                    for name, value in EXAMPLE.items()
                },
            },
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                "example": EXAMPLE,
            },
        },
    }
}


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    """(name, password) from ``Authorization: Basic``; None when none was given."""
    scheme, _space, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    name, _colon, password = decoded.partition(":")
    return name, password


def _unauthorized(status: int = 401, detail: str = "Unauthorized") -> HttpResponse:
    response = HttpResponse(
        f'{{"detail": "{detail}"}}', status=status, content_type="application/json"
    )
    response["WWW-Authenticate"] = REALM
    return response


@router.post(
    "/radius/accounting",
    response={204: None, 400: InvalidInputOut, 401: ErrorOut, 429: ErrorOut},
    summary="An accounting packet from FreeRADIUS's rest module",
    openapi_extra=REQUEST_BODY,
)
def accounting(request: HttpRequest) -> HttpResponse:
    """Count one Start, Interim-Update or Stop (cumulative counters, gigawords folded
    in); other status types are accepted and count nothing. HTTP basic credentials of
    an active collector."""
    credentials = _credentials(request)
    if credentials is None:
        return _unauthorized()
    try:
        collector = collectors.sign_in(
            name=credentials[0], password=credentials[1], ip=audit.client_ip(request)
        )
    except collectors.CollectorRefusedError as exc:
        if exc.retry_after is None:
            return _unauthorized()
        response = _unauthorized(429, "Too many failed sign-ins; try again later.")
        response["Retry-After"] = str(max(1, math.ceil(exc.retry_after.total_seconds())))
        return response
    received_at = clock.now()
    body = request.body
    try:
        reading = rlm_rest.parse(
            body, content_type=request.content_type or "", received_at=received_at
        )
        if reading is not None:
            ingest(
                [reading],
                source=Source.RLM_REST,
                collector_id=collector.pk,
                received_at=received_at,
            )
    except UsageError as exc:
        record_rejection(
            source=Source.RLM_REST, reason=exc.message, excerpt=body, collector_id=collector.pk
        )
        raise FieldError(exc.field or "body", exc.message) from None
    collectors.touch(collector.pk)
    return HttpResponse(status=204)
