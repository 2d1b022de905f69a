"""The local push service refuses what a real one refuses, so the delivery tests that
pass against it mean something: a request is built here by hand, right but for one
thing, and the stub must say no for that thing."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid.jwt import sign
from pywebpush import WebPusher

from tests.support.push_service import (
    PushServiceStub,
    b64url,
    public_point,
    running_push_service,
)


@pytest.fixture
def stub():
    with running_push_service() as running:
        yield running


SERVER_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())


def _claims(stub: PushServiceStub, **changes: Any) -> dict[str, Any]:
    claims = {"aud": stub.base_url, "exp": int(time.time()) + 3600, "sub": "mailto:ops@example.net"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _post(
    subscription: dict[str, Any],
    *,
    claims: dict[str, Any],
    signed_by: ec.EllipticCurvePrivateKey = SERVER_KEY,
    k: ec.EllipticCurvePrivateKey = SERVER_KEY,
    encrypt_to: dict[str, Any] | None = None,
    data: bytes = b'{"title": "Hi"}',
    headers: dict[str, str] | None = None,
) -> requests.Response:
    token = sign(claims, signed_by)
    body = WebPusher(encrypt_to or subscription).encode(data)["body"]
    return requests.post(
        subscription["endpoint"],
        data=body,
        headers={
            "Authorization": f"vapid t={token}, k={b64url(public_point(k))}",
            "TTL": "60",
            "Content-Encoding": "aes128gcm",
            **(headers or {}),
        },
        timeout=5,
    )


def _subscribed(stub: PushServiceStub) -> dict[str, Any]:
    return stub.subscribe(b64url(public_point(SERVER_KEY)))


def test_a_right_request_is_taken_and_decrypted(stub):
    subscription = _subscribed(stub)
    response = _post(subscription, claims=_claims(stub), data=json.dumps({"title": "é"}).encode())
    assert response.status_code == 201
    assert response.headers["Location"].startswith(stub.base_url)
    assert stub.payloads(subscription["endpoint"]) == [{"title": "é"}]


def test_a_signature_by_another_key_under_the_right_key_is_refused(stub):
    subscription = _subscribed(stub)
    response = _post(subscription, claims=_claims(stub), signed_by=OTHER_KEY)
    assert response.status_code == 403
    assert stub.refusals == [(403, "the signature does not verify with k")]
    assert stub.received == []


def test_another_key_than_the_subscriptions_is_refused(stub):
    subscription = _subscribed(stub)
    response = _post(subscription, claims=_claims(stub), signed_by=OTHER_KEY, k=OTHER_KEY)
    assert response.status_code == 403
    assert stub.refusals == [(403, "k is not the key the subscription was made with")]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "https://push.example.net"}, "aud"),
        ({"exp": int(time.time()) + 25 * 3600}, "exp"),
        ({"exp": int(time.time()) - 60}, "exp"),
        ({"sub": None}, "sub"),
        ({"sub": "ops@example.net"}, "sub"),
    ],
)
def test_claims_push_services_require(stub, changes, reason):
    subscription = _subscribed(stub)
    response = _post(subscription, claims=_claims(stub, **changes))
    assert response.status_code == 403
    [(_status, why)] = stub.refusals
    assert why.startswith(reason)


def test_a_body_encrypted_to_other_keys_is_refused(stub):
    subscription = _subscribed(stub)
    someone_else = _subscribed(stub)
    response = _post(subscription, claims=_claims(stub), encrypt_to=someone_else)
    assert response.status_code == 400
    assert stub.refusals == [(400, "body does not decrypt with the subscription's keys")]


def test_missing_or_wrong_headers_are_refused(stub):
    subscription = _subscribed(stub)
    assert _post(subscription, claims=_claims(stub), headers={"TTL": ""}).status_code == 400
    assert _post(subscription, claims=_claims(stub), headers={"Urgency": "now"}).status_code == 400
    assert _post(subscription, claims=_claims(stub), headers={"Topic": "x" * 33}).status_code == 400
    assert (
        _post(
            subscription, claims=_claims(stub), headers={"Content-Encoding": "aesgcm"}
        ).status_code
        == 400
    )
    assert stub.received == []


def test_unknown_and_dropped_subscriptions(stub):
    subscription = _subscribed(stub)
    unknown = {**subscription, "endpoint": f"{stub.base_url}/push/nobody"}
    assert _post(unknown, claims=_claims(stub)).status_code == 404
    stub.drop(subscription["endpoint"], status=410)
    assert _post(subscription, claims=_claims(stub)).status_code == 410
