"""The answers any operation can give besides its own, written into the OpenAPI document
once here rather than in every route:

- ``401`` (``UnauthorizedOut``) on every operation behind the API's sign-in: no token
  or browser session, or an ended one. An operation that documents its own 401 (allauth's
  re-authentication answer) gets both, as ``anyOf``.
- ``403`` (``ErrorOut``) on writes behind the API's sign-in: the browser session's CSRF
  check; the writes also publish the ``CSRFToken`` header beside ``SessionAuth``.
- ``400`` (``InvalidInputOut``) on every operation with a body: the body is not JSON (the
  error names ``body``), besides the operation's own refusals.
- ``422`` (``InvalidInputOut``) on every operation with parameters or a body: input of the
  wrong shape or out of the schema's bounds, each field named with the reason.
- ``404`` (``ErrorOut``) on every operation that names something: a path id, or an
  ``account`` that is not the caller's.
- ``414`` on every operation: a request line longer than the WSGI server reads (gunicorn:
  4094 bytes), answered by the server itself, as HTML, before Dropline sees it.

An operation's own answer for the same status stays first in an ``anyOf``.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema

from dropline.api.authentication import CSRFToken, SessionAuth, XSessionTokenAuth, csrf_token
from dropline.api.schemas import ErrorOut, InvalidInputOut, UnauthorizedOut

JSON = "application/json"
WRITES = frozenset({"post", "put", "patch", "delete"})
SIGNED_IN = frozenset({XSessionTokenAuth.__name__, SessionAuth.__name__})
ACCOUNT = "account"

UNAUTHORIZED = "Not signed in: no session token or browser session, or one that has ended."
CSRF_REFUSED = "A write with the browser session but without its CSRF token."
NOT_JSON = "The body is not JSON (`errors` names `body`), or a field is refused."
WRONG_SHAPE = "Input of the wrong shape or out of bounds: `errors` names each field and why."
NOT_FOUND = "Nothing of the caller's by that id, or an `account` that is not theirs."
URI_TOO_LONG = (
    "The request line is longer than the WSGI server reads (gunicorn: 4094 bytes); the "
    "server answers in HTML before Dropline sees the request."
)


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """Add the shared answers and the CSRF scheme to ``document`` (ninja's), in place."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (UnauthorizedOut, ErrorOut, InvalidInputOut):
        _add_schema(schemas, model)
    schemes = components.setdefault("securitySchemes", {})
    schemes[CSRFToken.__name__] = dict(csrf_token.openapi_security_schema)
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            _complete_operation(method, operation, schemas)
    return document


def _complete_operation(method: str, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    security = operation.get("security") or []
    signed_in = any(SIGNED_IN.intersection(requirement) for requirement in security)
    parameters = operation.get("parameters") or []
    body = operation.get("requestBody")
    if signed_in:
        _answer(operation, 401, UnauthorizedOut, UNAUTHORIZED)
        if method in WRITES:
            operation["security"] = [
                {**requirement, CSRFToken.__name__: []}
                if SessionAuth.__name__ in requirement
                else requirement
                for requirement in security
            ]
            _answer(operation, 403, ErrorOut, CSRF_REFUSED)
    if body:
        _answer(operation, 400, InvalidInputOut, NOT_JSON)
    if body or parameters:
        _answer(operation, 422, InvalidInputOut, WRONG_SHAPE)
    in_path = any(parameter.get("in") == "path" for parameter in parameters)
    if in_path or ACCOUNT in _input_names(parameters, body, schemas):
        _answer(operation, 404, ErrorOut, NOT_FOUND)
    responses = operation["responses"]
    if not _documented(responses, 414):
        responses[414] = {
            "description": URI_TOO_LONG,
            "content": {"text/html": {"schema": {"type": "string"}}},
        }


def _add_schema(schemas: dict[str, Any], model: type[Schema]) -> None:
    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas.setdefault(model.__name__, schema)


def _ref(model: type[Schema]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _documented(responses: dict[Any, Any], status: int) -> Any:
    return responses.get(status) or responses.get(str(status))


def _answer(operation: dict[str, Any], status: int, model: type[Schema], description: str) -> None:
    """Document ``model`` as an answer with ``status``: alone if the operation has no
    answer with that status, else beside the operation's own."""
    responses = operation["responses"]
    ours = _ref(model)
    existing = _documented(responses, status)
    if not existing:
        responses[status] = {"description": description, "content": {JSON: {"schema": ours}}}
        return
    content = existing.setdefault("content", {})
    media = content.setdefault(JSON, {})
    schema = media.get("schema")
    if schema is None:
        media["schema"] = ours
    elif schema != ours and ours not in schema.get("anyOf", []):
        media["schema"] = {"anyOf": [*schema.get("anyOf", [schema]), ours]}


def _input_names(
    parameters: list[dict[str, Any]], body: dict[str, Any] | None, schemas: dict[str, Any]
) -> set[str]:
    names = {parameter["name"] for parameter in parameters}
    for media in (body or {}).get("content", {}).values():
        names.update(_resolve(media.get("schema", {}), schemas).get("properties", {}))
    return names


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return dict(schemas.get(ref.rsplit("/", 1)[-1], {}))
    return schema
