"""A local push service for tests: a real HTTP server on a free port that checks what a
browser's push service (RFC 8030) checks, and decrypts what a browser would.

``subscribe`` plays the browser: it makes a P-256 key pair and an auth secret, as
``PushManager.subscribe`` does, remembers the application server key it was given, and
returns the subscription's JSON (``endpoint`` on this server, ``keys``). A POST to an
endpoint is then answered as a push service would:

- 404 for an endpoint it never made, the status given to ``drop`` (404 or 410) for one
  the browser dropped, and any status queued with ``reply`` (503, 429: for every
  endpoint, or for one) before checking anything;
- 403 unless ``Authorization: vapid t=<JWT>, k=<key>`` holds an ES256 JWT whose
  signature verifies with ``k``, ``k`` is the key the subscription was made with,
  ``aud`` is this server's origin, ``exp`` is in the future and within 24 hours, and
  ``sub`` is a ``mailto:`` or ``https:`` contact (RFC 8292);
- 400 without a ``TTL``, with an unknown ``Urgency``, a ``Topic`` longer than 32
  base64url characters, or a body that is not ``aes128gcm`` (RFC 8188) encrypted to the
  subscription's keys (RFC 8291), which it decrypts here with its own code;
- 201 with a ``Location`` otherwise, the decrypted payload kept in ``received``.

Every refusal is kept in ``refusals`` with its reason, so a test can say why.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import re
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tests.support.http_stub import serving

AUTHORIZATION = re.compile(r"^vapid\s+t=([A-Za-z0-9_.=-]+)\s*,\s*k=([A-Za-z0-9_=-]+)$")
URGENCIES = {"very-low", "low", "normal", "high"}
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_EXPIRY = 24 * 60 * 60


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def new_vapid_key() -> str:
    """A fresh VAPID private key as ``DROPLINE_VAPID_PRIVATE_KEY`` takes it (the raw
    32 bytes, base64url)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key_of(private_b64url: str) -> str:
    scalar = int.from_bytes(unb64url(private_b64url), "big")
    return b64url(public_point(ec.derive_private_key(scalar, ec.SECP256R1())))


class RefusedError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Browser:
    """What a browser keeps for one subscription: its key pair and auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: bytes
    gone: int | None = None

    @property
    def p256dh(self) -> str:
        return b64url(public_point(self.private_key))


@dataclass
class Received:
    token: str
    payload: dict[str, Any]
    ttl: int
    urgency: str
    topic: str
    claims: dict[str, Any]


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def decrypt(body: bytes, browser: Browser) -> bytes:
    """RFC 8291 over RFC 8188 ``aes128gcm``, as the receiving browser does it."""
    if len(body) < 21:
        raise RefusedError(400, "body shorter than an aes128gcm header")
    salt, record_size, id_length = body[:16], struct.unpack(">I", body[16:20])[0], body[20]
    sender = body[21 : 21 + id_length]
    records = body[21 + id_length :]
    if id_length != 65 or record_size < 18:
        raise RefusedError(400, "aes128gcm header does not carry the sender's key")
    try:
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
    except ValueError:
        raise RefusedError(400, "sender's key is not a P-256 point") from None
    shared = browser.private_key.exchange(ec.ECDH(), sender_key)
    own = public_point(browser.private_key)
    ikm = _hkdf(browser.auth, shared, b"WebPush: info\x00" + own + sender, 32)
    key = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    chunks = [records[i : i + record_size] for i in range(0, len(records), record_size)]
    if not chunks:
        raise RefusedError(400, "no encrypted record")
    plain = b""
    for index, chunk in enumerate(chunks):
        counter = (int.from_bytes(nonce, "big") ^ index).to_bytes(12, "big")
        try:
            record = AESGCM(key).decrypt(counter, chunk, None)
        except InvalidTag:
            raise RefusedError(400, "body does not decrypt with the subscription's keys") from None
        data = record.rstrip(b"\x00")
        last = index == len(chunks) - 1
        if not data or data[-1] != (2 if last else 1):
            raise RefusedError(400, "record padding is wrong")
        plain += data[:-1]
    return plain


def _verify_jwt(token: str, key: bytes) -> dict[str, Any]:
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        claims = json.loads(unb64url(claims_b64))
        signature = unb64url(signature_b64)
    except ValueError:
        raise RefusedError(403, "the token is not a JWT") from None
    if header.get("alg") != "ES256":
        raise RefusedError(403, "the token is not signed with ES256")
    if len(signature) != 64:
        raise RefusedError(403, "the signature is not 64 bytes")
    try:
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
        public.verify(
            encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            ),
            f"{header_b64}.{claims_b64}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
    except (ValueError, InvalidSignature):
        raise RefusedError(403, "the signature does not verify with k") from None
    if not isinstance(claims, dict):
        raise RefusedError(403, "the claims are not an object")
    return claims


@dataclass
class PushServiceStub:
    base_url: str = ""
    browsers: dict[str, Browser] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    refusals: list[tuple[int, str]] = field(default_factory=list)
    queued: dict[str, list[int]] = field(default_factory=dict)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _tokens: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # --- what a browser does -------------------------------------------------------

    def subscribe(self, application_server_key: str) -> dict[str, Any]:
        """Subscribe as a browser would with ``application_server_key``; the
        subscription's JSON (``PushSubscription.toJSON()``)."""
        browser = Browser(
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
            application_server_key=unb64url(application_server_key),
        )
        with self.lock:
            token = f"sub{next(self._tokens)}-{b64url(os.urandom(9))}"
            self.browsers[token] = browser
        return {
            "endpoint": f"{self.base_url}/push/{token}",
            "expirationTime": None,
            "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)},
        }

    def drop(self, endpoint: str, status: int = 410) -> None:
        """The browser unsubscribed (or its data was cleared): answer ``status``."""
        self.browsers[endpoint.rsplit("/", 1)[1]].gone = status

    def reply(self, *statuses: int, endpoint: str = "") -> None:
        """Answer the next requests (to ``endpoint``, or to any) with these statuses,
        whatever they hold."""
        token = endpoint.rsplit("/", 1)[1] if endpoint else ""
        with self.lock:
            self.queued.setdefault(token, []).extend(statuses)

    def payloads(self, endpoint: str | None = None) -> list[dict[str, Any]]:
        token = endpoint.rsplit("/", 1)[1] if endpoint else None
        return [r.payload for r in self.received if token is None or r.token == token]

    # --- what the push service does ------------------------------------------------

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
        token = path.rsplit("/", 1)[-1]
        with self.lock:
            self.requests += 1
            queue = self.queued.get(token) or self.queued.get("") or []
            queued = queue.pop(0) if queue else None
        if queued is not None:
            return queued, "queued answer"
        try:
            token, browser = self._subscription(path)
            claims = self._check_authorization(headers, browser)
            ttl, urgency, topic = self._check_headers(headers)
            payload = json.loads(decrypt(body, browser))
        except RefusedError as refusal:
            with self.lock:
                self.refusals.append((refusal.status, refusal.reason))
            return refusal.status, refusal.reason
        except ValueError:
            with self.lock:
                self.refusals.append((400, "the payload is not JSON"))
            return 400, "the payload is not JSON"
        with self.lock:
            self.received.append(Received(token, payload, ttl, urgency, topic, claims))
            number = len(self.received)
        return 201, f"/message/{number}"

    def _subscription(self, path: str) -> tuple[str, Browser]:
        match = re.fullmatch(r"/push/([A-Za-z0-9_-]+)", path)
        browser = self.browsers.get(match.group(1)) if match else None
        if match is None or browser is None:
            raise RefusedError(404, "no such subscription")
        if browser.gone is not None:
            raise RefusedError(browser.gone, "the subscription is gone")
        return match.group(1), browser

    def _check_authorization(self, headers: dict[str, str], browser: Browser) -> dict[str, Any]:
        match = AUTHORIZATION.match(headers.get("authorization", ""))
        if match is None:
            raise RefusedError(403, "no vapid Authorization header")
        token, key_text = match.groups()
        try:
            key = unb64url(key_text)
        except ValueError:
            raise RefusedError(403, "k is not base64url") from None
        claims = _verify_jwt(token, key)
        if key != browser.application_server_key:
            raise RefusedError(403, "k is not the key the subscription was made with")
        if claims.get("aud") != self.base_url:
            raise RefusedError(403, f"aud {claims.get('aud')!r} is not {self.base_url}")
        expires = claims.get("exp")
        now = time.time()
        if not isinstance(expires, int) or not now < expires <= now + MAX_EXPIRY:
            raise RefusedError(403, "exp is not within the next 24 hours")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.startswith(("mailto:", "https:")):
            raise RefusedError(403, "sub is not a mailto: or https: contact")
        return claims

    def _check_headers(self, headers: dict[str, str]) -> tuple[int, str, str]:
        ttl = headers.get("ttl", "")
        if not ttl.isdigit():
            raise RefusedError(400, "no TTL")
        urgency = headers.get("urgency", "normal")
        if urgency not in URGENCIES:
            raise RefusedError(400, f"unknown urgency {urgency!r}")
        topic = headers.get("topic", "")
        if topic and not TOPIC.match(topic):
            raise RefusedError(400, "topic is not up to 32 base64url characters")
        if headers.get("content-encoding") != "aes128gcm":
            raise RefusedError(400, "content is not aes128gcm")
        return int(ttl), urgency, topic


@contextmanager
def running_push_service() -> Iterator[PushServiceStub]:
    """The stub, served on a free port of 127.0.0.1 for the block."""
    stub = PushServiceStub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, detail = stub.handle(self.path, headers, body)
            payload = b"" if status == 201 else detail.encode()
            self.send_response(status)
            if status == 201:
                self.send_header("Location", f"{stub.base_url}{detail}")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    with serving(Handler) as base_url:
        stub.base_url = base_url
        yield stub


def expires_in(hours: float) -> int:
    return int(time.time() + dt.timedelta(hours=hours).total_seconds())
