"""Every API error is JSON naming the field and the reason."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError


class FieldError(Exception):
    """Bad input for one field; answered 400 with the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _location(error: dict[str, Any]) -> str:
    parts = [
        str(p)
        for p in error.get("loc", ())
        if p not in {"body", "query", "path", "header", "payload"}
    ]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(FieldError)
    def field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": exc.reason, "errors": [{"field": exc.field, "reason": exc.reason}]},
            status=400,
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _location(e), "reason": str(e.get("msg", "invalid"))} for e in exc.errors
        ]
        return api.create_response(
            request, {"detail": "The request is not valid.", "errors": errors}, status=422
        )

    @api.exception_handler(ImmediateHttpResponse)
    def allauth_response(request: HttpRequest, exc: ImmediateHttpResponse) -> HttpResponse:
        """allauth stopped the request with its own answer (a rate limit, a gone session)."""
        response: HttpResponse = exc.response
        return response
