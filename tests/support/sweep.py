"""What the whole-site sweeps share: a URL pattern as a route, the JSON API's operations,
and a signed-in browser (past the staff second factor when the login has one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET

LOGIN = "/accounts/login/"


@dataclass(frozen=True)
class Route:
    path: str  # the pattern, e.g. "notifications/<int:message_id>/read/"
    name: str  # "notifications:mark_read"
    params: tuple[str, ...]
    is_regex: bool


def sign_in(username: str, ip: str) -> Client:
    client = Client(HTTP_USER_AGENT=f"Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0 {username}")
    response = client.post(LOGIN, {"login": username, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    if response["Location"] == reverse("mfa_authenticate"):
        from tests.support.totp import code_with_time_to_spare

        response = client.post(
            reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
        )
        assert response.status_code == 302
        if response["Location"] == reverse("mfa_trust"):
            response = client.post(reverse("mfa_trust"), {"action": "dont_trust"})
    assert response.status_code == 302
    return client


def api_paths() -> dict[str, dict[str, Any]]:
    spec = Client().get("/api/v1/openapi.json").json()
    return dict(spec["paths"])


def path_params(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"]


def query_params(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
