"""The OpenAPI document describes every operation well enough to build a client from it.

A walk over ``/api/v1/openapi.json``: each operation has a description, a success answer
with its schema, a documented 401 when it needs a sign-in, an example of its body, typed
path parameters, and input schemas that say what is accepted (a required text is never
empty by the schema and refused by the view; a number has bounds). The security schemes say
where their credential goes. Every schema name in the document stands for one model: two
models of one name would share a component, and one of them would be described wrongly.

An operation added tomorrow is walked the same way.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from django.test import Client

from dropline.api.api import api

Operation = tuple[str, str, dict[str, Any]]  # method, path, the operation object
SUCCESS_WITHOUT_BODY = {"204"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def offenders(document: dict[str, Any], problem: Any) -> list[str]:
    """``METHOD path: what is wrong`` for each operation ``problem`` finds fault with."""
    found = []
    for method, path, operation in operations(document):
        for fault in problem(document, operation):
            found.append(f"{method} {path}: {fault}")
    return found


def test_the_api_has_operations_to_walk(document):
    assert len(list(operations(document))) > 50
    assert "/api/v1/me" in document["paths"]


def _no_description(document, operation):
    if not (operation.get("description") or "").strip():
        yield "no description (the view's docstring)"


def test_every_operation_has_a_description(document):
    assert offenders(document, _no_description) == []


ALLAUTH_ANSWER = {"$ref": "#/components/schemas/AllauthAuthenticationOut"}


def _no_success_schema(document, operation):
    responses = operation["responses"]
    successes = {s: a for s, a in responses.items() if str(s).startswith("2")}
    # A step of allauth's sign-in succeeds with allauth's 401 naming the next step.
    steps = responses.get("401", {}).get("content", {}).get("application/json", {})
    if not successes and steps.get("schema") != ALLAUTH_ANSWER:
        yield "no success answer"
    for status, answer in successes.items():
        if status in SUCCESS_WITHOUT_BODY:
            continue
        schemas = [media.get("schema") for media in answer.get("content", {}).values()]
        if not schemas or not all(schemas):
            yield f"{status} without a schema"


def test_every_operation_documents_its_success_with_a_schema(document):
    assert offenders(document, _no_success_schema) == []


def _no_401(document, operation):
    if operation.get("security") and "401" not in operation["responses"]:
        yield "needs a sign-in but documents no 401"


def test_every_operation_behind_a_sign_in_documents_401(document):
    assert offenders(document, _no_401) == []


def test_the_401_of_the_api_sign_in_is_the_shared_one(document):
    """``{"detail": "Unauthorized"}`` wherever the API's sign-in guards the operation."""
    unauthorized = {"$ref": "#/components/schemas/UnauthorizedOut"}

    def fault(document, operation):
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        if not schemes & {"XSessionTokenAuth", "SessionAuth"}:
            return
        schema = operation["responses"]["401"]["content"]["application/json"]["schema"]
        if schema != unauthorized and unauthorized not in schema.get("anyOf", []):
            yield f"401 is {schema}"

    assert offenders(document, fault) == []
    assert resolve(document, unauthorized)["required"] == ["detail"]


def _body_without_example(document, operation):
    body = operation.get("requestBody")
    if not body:
        return
    for media_type, media in body["content"].items():
        places = [media, *_alternatives(document, media.get("schema", {}))]
        if not any({"example", "examples"} & place.keys() for place in places):
            yield f"{media_type} body without an example"


def test_every_body_has_an_example(document):
    assert offenders(document, _body_without_example) == []


def test_every_body_example_is_valid_by_its_schema(document):
    """An example is what a client copies first: it must be accepted as it stands."""
    import jsonschema_rs

    checked = []

    def fault(document, operation):
        body = operation.get("requestBody")
        for media_type, media in (body or {}).get("content", {}).items():
            if media_type != "application/json":
                continue
            examples = [media["example"]] if "example" in media else []
            for place in _alternatives(document, media["schema"]):
                examples += place.get("examples", [])
            # The components beside the schema, so that its references resolve.
            schema = {**media["schema"], "components": document["components"]}
            validator = jsonschema_rs.validator_for(schema)
            for example in examples:
                checked.append(example)
                for error in validator.iter_errors(example):
                    yield f"example {example} is not valid: {error.message}"

    assert offenders(document, fault) == []
    assert len(checked) > 25


def _untyped_path_parameter(document, operation):
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        schema = resolve(document, parameter.get("schema", {}))
        if "type" not in schema and "enum" not in schema:
            yield f"path parameter {parameter['name']} has no type"


def test_every_path_parameter_has_a_type(document):
    assert offenders(document, _untyped_path_parameter) == []


def test_every_security_scheme_says_where_its_credential_goes(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes, "no security scheme"
    faults = [
        f"{name}: {scheme}"
        for name, scheme in schemes.items()
        if scheme["type"] == "apiKey"
        and (scheme.get("in") not in {"header", "query", "cookie"} or not scheme.get("name"))
    ]
    assert faults == []
    assert schemes["XSessionTokenAuth"] | {"description": ""} == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Session-Token",
        "description": "",
    }
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_writes_with_the_browser_session_ask_for_the_csrf_token(document):
    def fault(document, operation):
        for requirement in operation.get("security", []):
            if "SessionAuth" in requirement and "CSRFToken" not in requirement:
                yield f"SessionAuth without CSRFToken: {requirement}"

    writes = {
        path: {m: o for m, o in item.items() if m in {"post", "put", "patch", "delete"}}
        for path, item in document["paths"].items()
    }
    assert offenders({**document, "paths": writes}, fault) == []
    me = document["paths"]["/api/v1/me"]["get"]
    assert {"SessionAuth": []} in me["security"]


def _inputs(document, operation) -> Iterator[tuple[str, dict[str, Any], bool, bool]]:
    """Each input field but the path's (an id or a code that names nothing answers 404,
    however long): its name, its schema, whether it is required, whether it is in the
    request line (which the server bounds: 414)."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            continue
        in_line = parameter["in"] == "query"
        yield parameter["name"], parameter.get("schema", {}), parameter.get("required"), in_line
    body = operation.get("requestBody")
    for media in (body or {}).get("content", {}).values():
        schema = resolve(document, media.get("schema", {}))
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            yield name, prop, name in required, False


def _alternatives(document, schema) -> list[dict[str, Any]]:
    schema = resolve(document, schema)
    if "anyOf" in schema:
        return [alt for choice in schema["anyOf"] for alt in _alternatives(document, choice)]
    return [schema]


def _unbounded_input(document, operation):
    for name, schema, required, in_line in _inputs(document, operation):
        for alternative in _alternatives(document, schema):
            kind = alternative.get("type")
            bounds = alternative.keys()
            if kind == "integer" and not (
                {"minimum", "exclusiveMinimum"} & bounds
                and {"maximum", "exclusiveMaximum"} & bounds
            ):
                yield f"{name}: an integer without a minimum and a maximum"
            if kind == "string" and not {"enum", "const", "format"} & bounds:
                if "maxLength" not in bounds and not in_line:
                    yield f"{name}: a text without a maxLength"
                if required and not alternative.get("minLength") and "pattern" not in bounds:
                    yield f"{name}: a required text that may be empty"


def test_every_input_says_what_is_accepted(document):
    assert offenders(document, _unbounded_input) == []


# --- one model per schema name -------------------------------------------------------------


def _models(annotation: Any) -> Iterator[type[pydantic.BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models(argument)


def _reachable(model: type[pydantic.BaseModel], seen: set[type[pydantic.BaseModel]]) -> None:
    if model in seen:
        return
    seen.add(model)
    for field in model.model_fields.values():
        for inner in _models(field.annotation):
            _reachable(inner, seen)


def test_no_two_models_share_a_schema_name():
    """ninja keeps one component per name: the model registered last would describe both."""
    seen: set[type[pydantic.BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    for found in _models(model):
                        _reachable(found, seen)
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in seen:
        # ninja's own wrappers (the response and parameter holders) are never components.
        if model.__module__.startswith("dropline."):
            by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert {name: sorted(where) for name, where in by_name.items() if len(where) > 1} == {}
