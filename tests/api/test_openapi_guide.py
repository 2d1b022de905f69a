"""The native app guide's examples really work: every ``curl`` of ``docs/API.md``, in
order, against a copy of the demo, answers the status written above it.

Each example is a ``sh`` block: a ``# → <status>`` line, then one ``curl`` command
(``-X``, ``-H``, ``-d``, the URL). The shell variables it uses are what the guide tells
the reader to keep: ``$TOKEN`` and ``$PENDING`` from a sign-in's answer, ``$CURSOR`` from a
page's, ``$CODE`` the code the pending step waits for (the authenticator app's, or the
text message's), ``$KEY`` a fresh idempotency key.
"""

from __future__ import annotations

import re
import shlex
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dropline.accounts.second_factor import enrol_authenticator_app
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_customer
from tests.support.factors import enable_sms, latest_code
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "API.md"
EXAMPLE = re.compile(r"```sh\n# → (\d{3})\n(.*?)```", re.DOTALL)
VARIABLE = re.compile(r"\$([A-Z]+)")


@dataclass
class Example:
    status: int
    command: str


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    data: str | None = None


def examples() -> list[Example]:
    return [Example(int(s), command.strip()) for s, command in EXAMPLE.findall(GUIDE.read_text())]


def parsed(command: str, variables: dict[str, str]) -> Request:
    """The request a ``curl`` line makes, its shell variables replaced."""
    line = command.replace("\\\n", " ")
    line = VARIABLE.sub(lambda found: variables[found.group(1)], line)
    words = shlex.split(line)
    assert words[0] == "curl", command
    request = Request(method="GET", path="")
    options = iter(words[1:])
    for word in options:
        if word == "-s":
            continue
        if word == "-X":
            request.method = next(options)
        elif word == "-H":
            name, _colon, value = next(options).partition(": ")
            request.headers[name] = value
        elif word == "-d":
            request.data = next(options)
        else:
            assert word.startswith("/"), f"unknown curl word {word!r}"
            assert not request.path, f"two addresses in {command!r}"
            request.path = word
    if request.data is not None and request.method == "GET":
        request.method = "POST"
    return request


def send(request: Request) -> Any:
    headers = dict(request.headers)
    content_type = headers.pop("Content-Type", "application/octet-stream")
    client = Client(headers={**headers, "User-Agent": "Dropline-App/2.4 (iOS 17)"})
    return client.generic(
        request.method, request.path, request.data or "", content_type=content_type
    )


def test_the_guide_has_examples_in_the_expected_shape():
    found = examples()
    assert len(found) > 15
    assert len(found) == GUIDE.read_text().count("```sh"), "a sh block without its # → status"
    for example in found:
        assert example.command.startswith("curl "), example.command
        assert "'$" not in example.command, "single quotes would keep a $VARIABLE as it is"


@pytest.fixture
def sam() -> None:
    """The guide's person with an authenticator app and codes by text message."""
    user = make_customer(username="sam").user
    enrol_authenticator_app(user=user, secret=STAFF_TOTP_SECRET)
    enable_sms(user)


def test_every_example_answers_as_the_guide_says(demo, sam):
    assert PASSWORD == "correct-horse-battery-staple"  # Sam's password in the guide
    variables = {"API": "", "TOKEN": "", "PENDING": "", "CURSOR": "", "CODE": ""}
    pending_step = ""
    for number, example in enumerate(examples(), start=1):
        variables["KEY"] = variables.get("KEY") or str(uuid.uuid4())
        if "$CODE" in example.command:
            variables["CODE"] = (
                latest_code()
                if pending_step == "dropline_sms_authenticate"
                else code_with_time_to_spare(STAFF_TOTP_SECRET)
            )
        request = parsed(example.command, variables)
        response = send(request)

        assert response.status_code == example.status, (number, example.command, response.content)
        body = response.json() if response.content else {}
        token = body.get("meta", {}).get("session_token") if isinstance(body, dict) else None
        signing_in = "X-Session-Token" not in request.headers
        if token and signing_in:
            variables["TOKEN" if response.status_code == 200 else "PENDING"] = token
        flows = body.get("data", {}).get("flows", []) if isinstance(body, dict) else []
        pending = [flow["id"] for flow in flows if flow.get("is_pending")]
        if pending:
            pending_step = pending[0]
        if isinstance(body, dict) and body.get("next_cursor"):
            variables["CURSOR"] = body["next_cursor"]
