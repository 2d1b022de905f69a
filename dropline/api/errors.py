"""Every API error is JSON naming the field and the reason."""

from __future__ import annotations

import json
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from dropline.api.schemas import BODY_FIELD


class FieldError(Exception):
    """Bad input for one field; answered 400 with the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class MalformedBodyError(ValueError):
    """The request body is not JSON at all; answered 400 naming ``body``."""


class JSONParser(Parser):
    """ninja's JSON parser, saying why a body is not JSON (ninja answers a bare
    ``{"detail": "Cannot parse request body"}`` for any parser error)."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body)
        except UnicodeDecodeError:
            raise MalformedBodyError("The body is not UTF-8 text.") from None
        except json.JSONDecodeError as exc:
            raise MalformedBodyError(
                f"The body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
            ) from None


def _location(error: dict[str, Any]) -> str:
    parts = [
        str(p)
        for p in error.get("loc", ())
        if p not in {"body", "query", "path", "header", "payload", "form", "file"}
    ]
    return ".".join(parts) or "body"


def invalid_input(detail: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    """The body of every field refusal (``schemas.InvalidInputOut``)."""
    return {"detail": detail, "errors": errors}


def install(api: NinjaAPI) -> None:
    api.parser = JSONParser()

    @api.exception_handler(FieldError)
    def field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
        return api.create_response(
            request,
            invalid_input(exc.reason, [{"field": exc.field, "reason": exc.reason}]),
            status=400,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """ninja's own refusals keep their ``{"detail": ...}``, except a body that is not
        JSON: that is bad input, named like any other."""
        if isinstance(exc.__cause__, MalformedBodyError):
            reason = str(exc.__cause__)
            return api.create_response(
                request,
                invalid_input(reason, [{"field": BODY_FIELD, "reason": reason}]),
                status=400,
            )
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _location(e), "reason": str(e.get("msg", "invalid"))} for e in exc.errors
        ]
        return api.create_response(
            request, invalid_input("The request is not valid.", errors), status=422
        )

    @api.exception_handler(ImmediateHttpResponse)
    def allauth_response(request: HttpRequest, exc: ImmediateHttpResponse) -> HttpResponse:
        """allauth stopped the request with its own answer (a rate limit, a gone session)."""
        response: HttpResponse = exc.response
        return response
