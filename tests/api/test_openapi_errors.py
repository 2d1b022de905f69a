"""The answers every operation shares, as the OpenAPI document promises them: a body that
is not JSON names ``body``; nobody signed in is 401 ``{"detail": "Unauthorized"}``, writes
included; the browser session's writes need the CSRF token, the app's token none."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

from tests.support.app_client import App
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets"
A_TICKET = {"category": "internet", "subject": "No internet", "description": "Since 9 a.m."}


def documented(response: Any, path: str, method: str) -> None:
    """The answer is the one the document lists for its status, body and all."""
    document = Client().get("/api/v1/openapi.json").json()
    answer = document["paths"][path][method]["responses"][str(response.status_code)]
    schema = answer["content"]["application/json"]["schema"]
    validator = jsonschema_rs.validator_for({**schema, "components": document["components"]})
    assert validator.is_valid(response.json()), response.json()


@pytest.fixture
def ann() -> Any:
    return make_customer(username="ann")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"category": "internet",', "The body is not valid JSON"),
        (b'{"subject": "caf\xe9"}', "The body is not UTF-8 text."),
    ],
)
def test_a_body_that_is_not_json_names_the_body(ann, body, reason):
    app = App("ann")
    response = app._client().post(TICKETS, body, content_type="application/json")

    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"].startswith(reason)
    assert answer["errors"] == [{"field": "body", "reason": answer["detail"]}]
    documented(response, TICKETS, "post")


def test_a_body_of_the_wrong_shape_names_each_field(ann):
    response = App("ann").post(TICKETS, {"category": "internet", "subject": 7})

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"subject", "description"}
    documented(response, TICKETS, "post")


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_signed_in_is_401_for_reads_and_writes_alike(db, method):
    """Not a CSRF refusal for a write: there is no session whose CSRF could matter."""
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(TICKETS, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    documented(response, TICKETS, method)


def test_an_ended_or_forged_token_is_401(db):
    client = Client(enforce_csrf_checks=True, HTTP_X_SESSION_TOKEN="forged-token")
    response = client.post(TICKETS, A_TICKET, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_browser_sessions_write_needs_its_csrf_token(ann):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ann.user)
    browser.get("/")  # a portal page, which sets the CSRF cookie
    token = browser.cookies["csrftoken"].value

    refused = browser.post(TICKETS, A_TICKET, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF check Failed"}
    documented(refused, TICKETS, "post")
    assert browser.get(TICKETS).status_code == 200  # reads need none

    made = browser.post(TICKETS, A_TICKET, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert made.status_code == 201, made.content


def test_the_apps_token_needs_no_csrf_token(ann):
    app = App("ann")
    response = app._client().post(TICKETS, A_TICKET, content_type="application/json")
    assert response.status_code == 201, response.content
