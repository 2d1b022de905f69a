"""The Stripe adapter: customers, SetupIntents for saved methods, PaymentIntents for
charges, refunds and signed webhooks, through the ``stripe`` library.

Every charge and refund carries Dropline's idempotency key as Stripe's
``Idempotency-Key``: asking again after a timeout gives Stripe's first answer, never a
second charge. The library's own network retries are off (``max_network_retries=0``):
an unknown outcome raises ``GatewayUnavailableError`` and the payments domain asks again
later with the same key.

How Stripe's events become Dropline's (``EVENT_KINDS`` and ``_kind``):

==============================================  ==========================================
``payment_intent.succeeded``                    ``payment.succeeded`` (a bank debit cleared)
``payment_intent.payment_failed``               ``payment.failed``
``charge.succeeded`` with a balance transaction ``payment.settled``
``charge.updated`` when ``balance_transaction`` ``payment.settled``
became set (``previous_attributes``)
``charge.updated`` from ``succeeded`` to        ``payment.returned`` (a bank debit returned)
``failed``
``charge.dispute.created``                      ``payment.chargeback``
``refund.updated``, ``charge.refund.updated``,  ``refund.succeeded`` / ``refund.failed`` by
``refund.failed``                               the refund's status
anything else                                   ``other`` (recorded, acted on by nothing)
==============================================  ==========================================

Settlement is when Stripe books the charge to the provider's Stripe balance (the charge
gets its ``balance_transaction``): ``clearing:stripe`` holds what was accepted and is not
yet in that balance, ``cash:stripe`` what is. Payouts from the Stripe balance to the
provider's bank are reconciled in Stripe's dashboard, not here.

Secrets (the API key, the webhook secret, client secrets) are never logged.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from dropline.payments.errors import GatewayUnavailableError, InvalidWebhookError, PaymentError
from dropline.payments.gateways.base import (
    ChargeResult,
    ChargeStatus,
    EventKind,
    MethodDetails,
    MethodKind,
    RefundResult,
    RefundStatus,
    SetupStart,
    WebhookEvent,
)

log = logging.getLogger(__name__)

NAME = "stripe"
SIGNATURE_HEADER = "Stripe-Signature"
PAYMENT_METHOD_TYPES = ["card", "us_bank_account"]
RETRYABLE_CODES = frozenset({"processing_error", "try_again_later", "rate_limit"})
REFUND_REASONS = frozenset({"duplicate", "fraudulent", "requested_by_customer"})


def make_client() -> stripe.StripeClient:
    """A client on the configured keys; ``STRIPE_API_BASE`` points it at a test server."""
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        api_key=settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _token_error() -> PaymentError:
    return PaymentError(
        "token",
        _("The card or account details were not received. Please enter them again."),
        "invalid_token",
    )


def _key_reused() -> PaymentError:
    return PaymentError(
        "idempotency_key",
        _("This request was already made with different details. Start again."),
        "key_reused",
    )


def _unavailable(action: str, exc: stripe.StripeError) -> GatewayUnavailableError:
    # The type, status and request id help support; the message may quote parameters.
    log.warning(
        "stripe %s: no answer (%s, status %s, request %s)",
        action,
        type(exc).__name__,
        exc.http_status,
        exc.request_id,
    )
    return GatewayUnavailableError(f"Stripe did not answer the {action}")


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A field of a Stripe object or of a plain dict (webhook payloads are plain)."""
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _id(value: Any) -> str:
    """An id from a field that is an id or an expanded object."""
    if isinstance(value, str):
        return value
    return str(_get(value, "id") or "")


def method_details(method: Any) -> MethodDetails:
    """Dropline's description of a Stripe PaymentMethod (never a full number)."""
    holder = str(_get(_get(method, "billing_details"), "name") or "")[:120]
    if _get(method, "type") == "us_bank_account":
        bank = _get(method, "us_bank_account")
        return MethodDetails(
            token=method.id,
            kind=MethodKind.BANK_ACCOUNT,
            brand=str(_get(bank, "bank_name") or "Bank")[:32],
            last4=str(_get(bank, "last4") or ""),
            holder_name=holder,
        )
    card = _get(method, "card")
    if card is None:
        raise _token_error()
    return MethodDetails(
        token=method.id,
        kind=MethodKind.CARD,
        brand=str(_get(card, "brand") or "card")[:32],
        last4=str(_get(card, "last4") or ""),
        holder_name=holder,
        exp_month=int(_get(card, "exp_month")),
        exp_year=int(_get(card, "exp_year")),
    )


def _intent_result(intent: Any) -> ChargeResult:
    status = _get(intent, "status")
    if status == "succeeded":
        return ChargeResult(reference=intent.id, status=ChargeStatus.SUCCEEDED)
    if status == "processing":
        return ChargeResult(reference=intent.id, status=ChargeStatus.PROCESSING)
    error = _get(intent, "last_payment_error")
    if status == "requires_action":
        code = "authentication_required"
    else:
        code = str(_get(error, "decline_code") or _get(error, "code") or status or "failed")
    return ChargeResult(
        reference=intent.id,
        status=ChargeStatus.FAILED,
        failure_code=code[:40],
        failure_message=str(_get(error, "message") or "")[:255],
        retryable=code in RETRYABLE_CODES,
    )


def _declined(exc: stripe.CardError) -> ChargeResult:
    error = exc.error
    intent = _get(error, "payment_intent")
    code = str(_get(error, "decline_code") or _get(error, "code") or exc.code or "card_declined")
    return ChargeResult(
        reference=_id(intent),
        status=ChargeStatus.FAILED,
        failure_code=code[:40],
        failure_message=str(_get(error, "message") or "")[:255],
        retryable=code in RETRYABLE_CODES,
    )


def _refund_result(refund: Any) -> RefundResult:
    status = _get(refund, "status")
    if status == "succeeded":
        return RefundResult(reference=refund.id, status=RefundStatus.SUCCEEDED)
    if status in {"failed", "canceled"}:
        code = str(_get(refund, "failure_reason") or status)
        return RefundResult(reference=refund.id, status=RefundStatus.FAILED, failure_code=code)
    return RefundResult(reference=refund.id, status=RefundStatus.PENDING)


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header from ``request.headers``, a plain dict, or ``request.META``."""
    meta_name = "HTTP_" + name.upper().replace("-", "_")
    for key, value in headers.items():
        if key.lower() == name.lower() or key == meta_name:
            return value
    return ""


def _kind(event_type: str, obj: Mapping[str, Any], previous: Mapping[str, Any]) -> EventKind:
    if event_type == "payment_intent.succeeded":
        return EventKind.PAYMENT_SUCCEEDED
    if event_type == "payment_intent.payment_failed":
        return EventKind.PAYMENT_FAILED
    if event_type == "charge.dispute.created":
        return EventKind.CHARGEBACK
    if event_type == "charge.succeeded" and obj.get("balance_transaction"):
        return EventKind.PAYMENT_SETTLED
    if event_type == "charge.updated":
        if previous.get("status") == "succeeded" and obj.get("status") == "failed":
            return EventKind.PAYMENT_RETURNED
        became_available = "balance_transaction" in previous and not previous["balance_transaction"]
        if became_available and obj.get("balance_transaction"):
            return EventKind.PAYMENT_SETTLED
    if event_type in {"refund.updated", "charge.refund.updated", "refund.failed"}:
        if obj.get("status") == "succeeded":
            return EventKind.REFUND_SUCCEEDED
        if obj.get("status") in {"failed", "canceled"}:
            return EventKind.REFUND_FAILED
    return EventKind.OTHER


def webhook_event(payload: Mapping[str, Any]) -> WebhookEvent:
    """Dropline's event for a verified Stripe event (a plain dict)."""
    data = payload.get("data") or {}
    obj = data.get("object") or {}
    previous = data.get("previous_attributes") or {}
    kind = _kind(str(payload["type"]), obj, previous)
    occurred_at = dt.datetime.fromtimestamp(int(payload["created"]), tz=dt.UTC)
    payment_reference = refund_reference = failure_code = failure_message = ""
    amount: int | None = None
    kind_of_object = obj.get("object")
    if kind_of_object == "payment_intent":
        payment_reference = str(obj.get("id") or "")
        amount = obj.get("amount_received") or obj.get("amount")
        error = obj.get("last_payment_error") or {}
        failure_code = str(error.get("decline_code") or error.get("code") or "")
        failure_message = str(error.get("message") or "")
    elif kind_of_object in {"charge", "dispute", "refund"}:
        payment_reference = _id(obj.get("payment_intent"))
        amount = obj.get("amount")
        if kind_of_object == "refund":
            refund_reference = str(obj.get("id") or "")
            failure_code = str(obj.get("failure_reason") or "")
        elif kind_of_object == "dispute":
            failure_code = str(obj.get("reason") or "")
        else:
            failure_code = str(obj.get("failure_code") or "")
            failure_message = str(obj.get("failure_message") or "")
    return WebhookEvent(
        id=str(payload["id"]),
        kind=kind,
        occurred_at=occurred_at,
        payment_reference=payment_reference,
        refund_reference=refund_reference,
        amount_cents=int(amount) if amount is not None else None,
        failure_code=failure_code[:40],
        failure_message=failure_message[:255],
        payload=payload,
    )


class StripeGateway:
    name = NAME

    def __init__(self, client: stripe.StripeClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> stripe.StripeClient:
        if self._client is None:
            self._client = make_client()
        return self._client

    def ensure_customer(self, *, account_number: str, name: str, email: str) -> str:
        params: dict[str, Any] = {"name": name, "metadata": {"account_number": account_number}}
        if email:
            params["email"] = email
        try:
            customer = self.client.v1.customers.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": f"dropline-customer-{account_number}"},
            )
        except stripe.StripeError as exc:
            raise _unavailable("customer", exc) from exc
        return str(customer.id)

    def start_setup(self, *, customer: str) -> SetupStart:
        try:
            intent = self.client.v1.setup_intents.create(
                {  # type: ignore[arg-type]
                    "customer": customer,
                    "usage": "off_session",
                    "payment_method_types": PAYMENT_METHOD_TYPES,
                }
            )
        except stripe.StripeError as exc:
            raise _unavailable("setup", exc) from exc
        return SetupStart(
            client_secret=str(intent.client_secret),
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        )

    def attach_method(self, *, customer: str, token: str) -> MethodDetails:
        """``token`` is the SetupIntent the browser confirmed (``seti_...``), or a
        PaymentMethod id (``pm_...``) from a client that attaches methods itself."""
        try:
            if token.startswith("seti_"):
                intent = self.client.v1.setup_intents.retrieve(token)
                if intent.status != "succeeded" or _id(intent.customer) != customer:
                    raise _token_error()
                method = self.client.v1.payment_methods.retrieve(_id(intent.payment_method))
            elif token.startswith("pm_"):
                method = self.client.v1.payment_methods.attach(token, {"customer": customer})
            else:
                raise _token_error()
        except stripe.CardError as exc:
            raise PaymentError(
                "token",
                _("The card was declined. Try another card or a bank account."),
                "declined",
            ) from exc
        except stripe.InvalidRequestError as exc:
            raise _token_error() from exc
        except stripe.StripeError as exc:
            raise _unavailable("attach", exc) from exc
        if _id(method.customer) != customer:
            raise _token_error()
        return method_details(method)

    def detach_method(self, *, token: str) -> None:
        try:
            self.client.v1.payment_methods.detach(token)
        except stripe.InvalidRequestError:
            log.info("stripe detach: the method was already detached or unknown")
        except stripe.StripeError as exc:
            raise _unavailable("detach", exc) from exc

    def charge(
        self,
        *,
        customer: str,
        method_token: str,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        description: str,
        metadata: Mapping[str, str],
    ) -> ChargeResult:
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "customer": customer,
            "payment_method": method_token,
            "confirm": True,
            "off_session": True,
            "description": description,
            "metadata": dict(metadata),
        }
        try:
            intent = self.client.v1.payment_intents.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            )
        except stripe.CardError as exc:
            return _declined(exc)
        except stripe.IdempotencyError as exc:
            raise _key_reused() from exc
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 409:  # the same key is still being processed at Stripe
                raise _unavailable("charge", exc) from exc
            error = exc.error
            code = str(_get(error, "code") or "invalid_request")
            log.warning("stripe charge refused: %s (request %s)", code, exc.request_id)
            return ChargeResult(
                reference=_id(_get(error, "payment_intent")),
                status=ChargeStatus.FAILED,
                failure_code=code[:40],
                failure_message=str(_get(error, "message") or "")[:255],
            )
        except stripe.StripeError as exc:
            raise _unavailable("charge", exc) from exc
        return _intent_result(intent)

    def refund(
        self, *, reference: str, amount_cents: int, idempotency_key: str, reason: str
    ) -> RefundResult:
        params: dict[str, Any] = {
            "payment_intent": reference,
            "amount": amount_cents,
            "metadata": {"reason": reason[:500]},
        }
        if reason in REFUND_REASONS:
            params["reason"] = reason
        try:
            refund = self.client.v1.refunds.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            )
        except stripe.IdempotencyError as exc:
            raise _key_reused() from exc
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 409:
                raise _unavailable("refund", exc) from exc
            code = str(_get(exc.error, "code") or "invalid_request")
            return RefundResult(reference="", status=RefundStatus.FAILED, failure_code=code[:40])
        except stripe.StripeError as exc:
            raise _unavailable("refund", exc) from exc
        return _refund_result(refund)

    def verify_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        signature = _header(headers, SIGNATURE_HEADER)
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not signature or not secret:
            raise InvalidWebhookError("no Stripe-Signature header or no webhook secret set")
        try:
            stripe.Webhook.construct_event(body, signature, secret)
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhookError("the Stripe signature does not verify") from exc
        except ValueError as exc:
            raise InvalidWebhookError("the body is not JSON") from exc
        try:
            payload = json.loads(body)
            return webhook_event(payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidWebhookError("the body is not a Stripe event") from exc
