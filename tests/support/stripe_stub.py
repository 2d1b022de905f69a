"""A local server that answers as the Stripe API does, for tests of the Stripe adapter.

It speaks what the ``stripe`` library sends (form-encoded bodies with ``metadata[key]``
and ``payment_method_types[0]``, ``Authorization: Bearer sk_test_...``,
``Idempotency-Key``) and answers with the shapes Stripe returns: objects with ``id``
and ``object``, errors as ``{"error": {"type": ..., "code": ..., ...}}`` with Stripe's
status codes (402 for a card error, 400 for an idempotency error, 404 for an unknown
id). A POST repeated with the same key and the same parameters replays the first answer
with ``Idempotent-Replayed: true``; with other parameters it is refused.

Stripe's test payment methods (attach one to a customer to get a ``pm_...`` of its own):

=======================================  ================================================
``pm_card_visa``                          Visa 4242: charges succeed
``pm_card_chargeDeclined``                Visa 0002: charges declined (``card_declined``,
                                          ``generic_decline``)
``pm_card_visa_chargeDeclinedExpiredCard``  Visa 0069: declined (``expired_card``)
``pm_usBankAccount_success``              a bank account: charges are ``processing``
=======================================  ================================================

``slow_next(seconds)`` makes the next request wait before answering (the client times
out; the server still does the work, as Stripe would), ``fail_next(status)`` answers the
next request with a server error. ``confirm_setup`` does what the browser's Payment
Element does to a SetupIntent. ``event`` and ``sign`` build webhook bodies and their
``Stripe-Signature`` header with Stripe's scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.http_stub import serving

SECRET_KEY = "sk_test_dropline_stub_0123456789"
PUBLISHABLE_KEY = "pk_test_dropline_stub_0123456789"
WEBHOOK_SECRET = "whsec_dropline_stub_0123456789"

TEST_METHODS: dict[str, dict[str, Any]] = {
    "pm_card_visa": {"type": "card", "last4": "4242", "behaviour": "succeed"},
    "pm_card_chargeDeclined": {"type": "card", "last4": "0002", "behaviour": "card_declined"},
    "pm_card_visa_chargeDeclinedExpiredCard": {
        "type": "card",
        "last4": "0069",
        "behaviour": "expired_card",
    },
    "pm_usBankAccount_success": {"type": "us_bank_account", "last4": "6789", "behaviour": "ach"},
}
DECLINES = {
    "card_declined": ("card_declined", "generic_decline", "Your card was declined."),
    "expired_card": ("expired_card", "expired_card", "Your card has expired."),
}


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``a[b]=1&c[0]=x&c[]=y`` as Stripe reads it: ``{"a": {"b": "1"}, "c": ["x", "y"]}``."""
    out: dict[str, Any] = {}
    for raw_key, value in pairs:
        parts = re.findall(r"[^\[\]]+|\[\]", raw_key)
        target: Any = out
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            nxt = parts[index + 1] if not last else None
            is_list = nxt is not None and (nxt == "[]" or nxt.isdigit())
            if part == "[]" or (isinstance(target, list) and part.isdigit()):
                if last:
                    target.append(value)
                    break
                continue
            if last:
                target[part] = value
            else:
                target = target.setdefault(part, [] if is_list else {})
    return out


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, Any]


class StubError(Exception):
    def __init__(self, status: int, error: dict[str, Any]) -> None:
        super().__init__(error.get("message", ""))
        self.status = status
        self.error = error


def _missing(kind: str, ident: str) -> StubError:
    return StubError(
        404,
        {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "param": "id",
            "message": f"No such {kind}: '{ident}'",
        },
    )


@dataclass
class StripeStub:
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, tuple[dict[str, Any], int, dict[str, Any]]] = field(default_factory=dict)
    delays: list[float] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    # -- test controls -------------------------------------------------------------
    def slow_next(self, seconds: float) -> None:
        with self.lock:
            self.delays.append(seconds)

    def fail_next(self, status: int = 500) -> None:
        with self.lock:
            self.failures.append(status)

    def settings(self) -> dict[str, Any]:
        return {
            "DROPLINE_PAYMENT_GATEWAY": "stripe",
            "STRIPE_API_BASE": self.base_url,
            "STRIPE_SECRET_KEY": SECRET_KEY,
            "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_TIMEOUT_SECONDS": 1,
        }

    def posts(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and c.path == path]

    def confirm_setup(self, setup_intent: str, test_method: str = "pm_card_visa") -> str:
        """What Stripe.js does when the customer confirms: a method of the customer's own
        is made and the SetupIntent succeeds. Returns the new method's id."""
        with self.lock:
            intent = self.objects[setup_intent]
            method = self._copy_test_method(test_method, customer=intent["customer"])
            intent.update(status="succeeded", payment_method=method["id"])
            return str(method["id"])

    # -- objects -------------------------------------------------------------------
    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        obj.setdefault("created", int(time.time()))
        obj.setdefault("livemode", False)
        self.objects[obj["id"]] = obj
        return obj

    def _copy_test_method(self, name: str, *, customer: str | None) -> dict[str, Any]:
        test = TEST_METHODS[name]
        method: dict[str, Any] = {
            "id": new_id("pm"),
            "object": "payment_method",
            "type": test["type"],
            "customer": customer,
            "billing_details": {"name": "Jenny Rosen", "email": None},
            "metadata": {},
            "_behaviour": test["behaviour"],
        }
        if test["type"] == "card":
            method["card"] = {
                "brand": "visa",
                "last4": test["last4"],
                "exp_month": 12,
                "exp_year": 2034,
                "funding": "credit",
                "country": "US",
            }
        else:
            method["us_bank_account"] = {
                "bank_name": "STRIPE TEST BANK",
                "last4": test["last4"],
                "routing_number": "110000000",
                "account_type": "checking",
                "account_holder_type": "individual",
            }
        return self._store(method)

    def _get(self, ident: str, kind: str) -> dict[str, Any]:
        obj = self.objects.get(ident)
        if obj is None or obj["object"] != kind:
            raise _missing(kind, ident)
        return obj

    # -- endpoints -----------------------------------------------------------------
    def handle(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if parts[0] != "v1" or len(parts) < 2:
            raise StubError(404, {"type": "invalid_request_error", "message": "Unrecognized URL"})
        resource, rest = parts[1], parts[2:]
        if method == "GET" and len(rest) == 1:
            kind = {
                "customers": "customer",
                "setup_intents": "setup_intent",
                "payment_methods": "payment_method",
                "payment_intents": "payment_intent",
                "refunds": "refund",
            }.get(resource)
            if kind is None:
                raise _missing(resource, rest[0])
            return 200, self._get(rest[0], kind)
        if method != "POST":
            raise StubError(404, {"type": "invalid_request_error", "message": "Unrecognized URL"})
        if resource == "customers" and not rest:
            return 200, self._store(
                {
                    "id": new_id("cus"),
                    "object": "customer",
                    "name": params.get("name"),
                    "email": params.get("email"),
                    "metadata": params.get("metadata", {}),
                }
            )
        if resource == "setup_intents" and not rest:
            return 200, self._setup_intent(params)
        if resource == "payment_methods" and len(rest) == 2:
            return 200, self._payment_method_action(rest[0], rest[1], params)
        if resource == "payment_intents" and not rest:
            return self._payment_intent(params)
        if resource == "refunds" and not rest:
            return 200, self._refund(params)
        raise StubError(404, {"type": "invalid_request_error", "message": "Unrecognized URL"})

    def _setup_intent(self, params: dict[str, Any]) -> dict[str, Any]:
        customer = params.get("customer")
        if customer:
            self._get(customer, "customer")
        ident = new_id("seti")
        return self._store(
            {
                "id": ident,
                "object": "setup_intent",
                "client_secret": f"{ident}_secret_{secrets.token_hex(8)}",
                "customer": customer,
                "payment_method": None,
                "payment_method_types": params.get("payment_method_types", ["card"]),
                "status": "requires_payment_method",
                "usage": params.get("usage", "off_session"),
            }
        )

    def _payment_method_action(
        self, ident: str, action: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        if action == "attach":
            customer = params.get("customer", "")
            self._get(customer, "customer")
            if ident in TEST_METHODS:
                return self._copy_test_method(ident, customer=customer)
            method = self._get(ident, "payment_method")
            if method["customer"] and method["customer"] != customer:
                raise StubError(
                    400,
                    {
                        "type": "invalid_request_error",
                        "message": "The payment method is attached to another customer.",
                    },
                )
            method["customer"] = customer
            return method
        if action == "detach":
            method = self._get(ident, "payment_method")
            if not method["customer"]:
                raise StubError(
                    400,
                    {
                        "type": "invalid_request_error",
                        "message": "The payment method is not attached to a customer.",
                    },
                )
            method["customer"] = None
            return method
        raise StubError(404, {"type": "invalid_request_error", "message": "Unrecognized URL"})

    def _payment_intent(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        method_id = params.get("payment_method", "")
        if method_id in TEST_METHODS:
            method = self._copy_test_method(method_id, customer=params.get("customer"))
        else:
            method = self._get(method_id, "payment_method")
        if method["customer"] != params.get("customer"):
            raise StubError(
                400,
                {
                    "type": "invalid_request_error",
                    "code": "payment_method_unavailable",
                    "message": "The PaymentMethod does not belong to the Customer.",
                },
            )
        amount = int(params["amount"])
        ident = new_id("pi")
        intent = self._store(
            {
                "id": ident,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": 0,
                "currency": params.get("currency", "usd"),
                "customer": params.get("customer"),
                "description": params.get("description"),
                "metadata": params.get("metadata", {}),
                "payment_method": method["id"],
                "client_secret": f"{ident}_secret_{secrets.token_hex(8)}",
                "last_payment_error": None,
                "latest_charge": None,
                "status": "requires_confirmation",
            }
        )
        behaviour = method["_behaviour"]
        if behaviour in DECLINES:
            code, decline, message = DECLINES[behaviour]
            charge = self._charge(intent, status="failed", failure_code=code)
            error = {
                "type": "card_error",
                "code": code,
                "decline_code": decline,
                "message": message,
                "charge": charge["id"],
                "payment_method": method,
            }
            intent.update(status="requires_payment_method", last_payment_error=error)
            raise StubError(402, {**error, "payment_intent": intent})
        if behaviour == "ach":
            self._charge(intent, status="pending")
            intent["status"] = "processing"
        else:
            self._charge(intent, status="succeeded")
            intent.update(status="succeeded", amount_received=amount)
        return 200, intent

    def _charge(self, intent: dict[str, Any], *, status: str, failure_code: str = "") -> Any:
        charge = self._store(
            {
                "id": new_id("ch"),
                "object": "charge",
                "amount": intent["amount"],
                "amount_refunded": 0,
                "currency": intent["currency"],
                "payment_intent": intent["id"],
                "payment_method": intent["payment_method"],
                "status": status,
                "paid": status == "succeeded",
                "balance_transaction": new_id("txn") if status == "succeeded" else None,
                "failure_code": failure_code or None,
            }
        )
        intent["latest_charge"] = charge["id"]
        return charge

    def _refund(self, params: dict[str, Any]) -> dict[str, Any]:
        intent = self._get(params.get("payment_intent", ""), "payment_intent")
        if intent["status"] not in {"succeeded", "processing"}:
            raise StubError(
                400,
                {
                    "type": "invalid_request_error",
                    "code": "charge_not_refundable",
                    "message": "This PaymentIntent has no successful charge to refund.",
                },
            )
        charge = self.objects[intent["latest_charge"]]
        amount = int(params.get("amount", charge["amount"] - charge["amount_refunded"]))
        if charge["amount_refunded"] + amount > charge["amount"]:
            raise StubError(
                400,
                {
                    "type": "invalid_request_error",
                    "code": "amount_too_large",
                    "param": "amount",
                    "message": "Refund amount is greater than unrefunded amount on charge.",
                },
            )
        charge["amount_refunded"] += amount
        bank = self.objects[intent["payment_method"]]["type"] == "us_bank_account"
        return self._store(
            {
                "id": new_id("re"),
                "object": "refund",
                "amount": amount,
                "charge": charge["id"],
                "currency": charge["currency"],
                "payment_intent": intent["id"],
                "metadata": params.get("metadata", {}),
                "reason": params.get("reason"),
                "status": "pending" if bank else "succeeded",
                "failure_reason": None,
            }
        )

    # -- the request path ----------------------------------------------------------
    def answer(
        self, method: str, path: str, headers: dict[str, str], params: dict[str, Any]
    ) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.calls.append(Call(method, path, headers, params))
            failure = self.failures.pop(0) if self.failures else None
        request_id = new_id("req")
        reply_headers = {"Request-Id": request_id}
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer sk_test_") or auth.removeprefix("Bearer ") != SECRET_KEY:
            return (
                401,
                reply_headers,
                {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}},
            )
        if failure is not None:
            return (
                failure,
                reply_headers,
                {"error": {"type": "api_error", "message": "Something went wrong on our end."}},
            )
        key = headers.get("idempotency-key", "") if method == "POST" else ""
        with self.lock:
            if key:
                first = self.idempotent.get(key)
                if first is not None:
                    first_params, status, body = first
                    if first_params != {"path": path, **params}:
                        return (
                            400,
                            reply_headers,
                            {
                                "error": {
                                    "type": "idempotency_error",
                                    "message": "Keys for idempotent requests can only be used "
                                    "with the same parameters they were first used with.",
                                }
                            },
                        )
                    return status, {**reply_headers, "Idempotent-Replayed": "true"}, body
            try:
                status, body = self.handle(method, path, params)
                body = json.loads(json.dumps(body))  # a snapshot, as the wire has it
            except StubError as exc:
                status, body = exc.status, {"error": {**exc.error, "request_log_url": ""}}
            if key:
                self.idempotent[key] = ({"path": path, **params}, status, body)
        return status, reply_headers, _public(body)

    # -- webhooks --------------------------------------------------------------------
    def event(
        self,
        event_type: str,
        obj: dict[str, Any],
        *,
        previous_attributes: dict[str, Any] | None = None,
        created: int | None = None,
        event_id: str | None = None,
    ) -> bytes:
        data: dict[str, Any] = {"object": _public(obj)}
        if previous_attributes is not None:
            data["previous_attributes"] = previous_attributes
        return json.dumps(
            {
                "id": event_id or new_id("evt"),
                "object": "event",
                "api_version": "2025-01-27.acacia",
                "created": created if created is not None else int(time.time()),
                "type": event_type,
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "data": data,
            }
        ).encode()


def _public(body: Any) -> Any:
    """The object without the stub's own bookkeeping (keys starting with ``_``)."""
    if isinstance(body, dict):
        return {k: _public(v) for k, v in body.items() if not k.startswith("_")}
    if isinstance(body, list):
        return [_public(v) for v in body]
    return body


def sign(body: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> dict[str, str]:
    """The ``Stripe-Signature`` header Stripe sends with ``body``:
    ``t=<unix time>,v1=<HMAC-SHA256 of "t.body" with the endpoint's secret>``."""
    stamp = at if at is not None else int(time.time())
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={stamp},v1={mac}"}


def _handler(stub: StripeStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self, method: str) -> None:
            with stub.lock:
                delay = stub.delays.pop(0) if stub.delays else 0.0
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            pairs = parse_qsl(url.query if method == "GET" else raw, keep_blank_values=True)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, reply_headers, body = stub.answer(method, url.path, headers, decode_form(pairs))
            if delay:
                time.sleep(delay)
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply_headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

    return Handler


@contextmanager
def stripe_stub() -> Iterator[StripeStub]:
    """A running stub for the block; ``stub.settings()`` points Dropline at it."""
    stub = StripeStub()
    with serving(_handler(stub)) as base_url:
        stub.base_url = base_url
        yield stub
