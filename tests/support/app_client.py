"""The mobile app signed in as one person: JSON and the session token, no cookies."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.support.factories import PASSWORD

APP = "/_allauth/app/v1"
PHONE_UA = "Dropline-App/2.3 (Android 14; Pixel 8) okhttp/4.12.0"


class App:
    def __init__(self, username: str, *, reauthenticated: bool = True) -> None:
        login = Client().post(
            f"{APP}/auth/login",
            {"username": username, "password": PASSWORD},
            content_type="application/json",
        )
        assert login.status_code == 200, login.content
        self.token = login.json()["meta"]["session_token"]
        if reauthenticated:
            self.reauthenticate()

    def reauthenticate(self) -> None:
        again = self._client().post(
            f"{APP}/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json"
        )
        assert again.status_code == 200, again.content

    def _client(self, **headers: str) -> Client:
        named = {name.replace("_", "-"): value for name, value in headers.items()}
        return Client(headers={"User-Agent": PHONE_UA, "X-Session-Token": self.token, **named})

    def get(self, url: str) -> Any:
        return self._client().get(url)

    def post(self, url: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        """``headers`` by their HTTP names with underscores (``Idempotency_Key="..."``)."""
        return self._client(**headers).post(url, body or {}, content_type="application/json")

    def put(self, url: str, body: dict[str, Any] | None = None) -> Any:
        return self._client().put(url, body or {}, content_type="application/json")

    def delete(self, url: str) -> Any:
        return self._client().delete(url)


def is_reauthentication_answer(response: Any) -> bool:
    body = response.json()
    flows = [flow["id"] for flow in body["data"]["flows"]]
    return response.status_code == 401 and "reauthenticate" in flows
