"""Passkeys in tests: a software authenticator and registering it through the pages."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
)

from dropline.accounts.models import User
from tests.support.factors import reauthenticate

ORIGIN = "https://testserver"


RP_ID = "testserver"


@dataclass
class SoftwareAuthenticator:
    """A platform authenticator in a few lines: one ES256 key, "none" attestation."""

    private_key: ec.EllipticCurvePrivateKey
    credential_id: bytes
    sign_count: int = 0
    user_handle: bytes = b""  # the site's id for the person, kept as a passkey keeps it

    @classmethod
    def new(cls) -> SoftwareAuthenticator:
        return cls(
            private_key=ec.generate_private_key(ec.SECP256R1()), credential_id=os.urandom(32)
        )

    @staticmethod
    def _client_data(kind: str, challenge: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": False}
        ).encode()

    def create(self, options: dict[str, Any], *, resident: bool = True) -> dict[str, Any]:
        public = options["publicKey"]
        assert public["rp"]["id"] == RP_ID
        if "user" in public:
            self.user_handle = websafe_decode(public["user"]["id"])
        client_data = self._client_data("webauthn.create", public["challenge"])
        credential_data = AttestedCredentialData.create(
            b"\0" * 16,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(), flags, self.sign_count, credential_data
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(bytes(attestation)),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": resident}},
        }

    def get(self, options: dict[str, Any]) -> dict[str, Any]:
        public = options["publicKey"]
        allowed = [websafe_decode(c["id"]) for c in public.get("allowCredentials", [])]
        assert not allowed or self.credential_id in allowed
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", public["challenge"])
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        auth_data = bytes(
            AuthenticatorData.create(
                hashlib.sha256(RP_ID.encode()).digest(), flags, self.sign_count
            )
        )
        signature = self.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": websafe_encode(self.user_handle),
            },
            "clientExtensionResults": {},
        }


def register_passkey(client: Client, user: User, authenticator: SoftwareAuthenticator) -> None:
    client.force_login(user)
    reauthenticate(client)
    page = client.get(reverse("mfa_add_webauthn"))
    assert 'id="mfa_webauthn_add"' in page.content.decode()
    options = page.context["js_data"]["creation_options"]
    response = client.post(
        reverse("mfa_add_webauthn"),
        {
            "name": "Soft key",
            "passwordless": "on",
            "credential": json.dumps(authenticator.create(options)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("account_logout"))
