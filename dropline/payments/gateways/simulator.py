"""A gateway that behaves like a real one, with no money moving: the demo's and the tests'.

Its state is in the database (``Simulated*`` rows), as a real gateway keeps it on its side:
tokenised methods, charges keyed by idempotency key, refunds, and late outcomes waiting
to be sent as signed webhooks. ``release_due_events`` (a periodic task, and tests with the
clock moved) sends the due ones through Dropline's real path, ``events.receive_webhook``.

Test cards (any future expiry, any 3-digit CVC, 4 for Amex):

=====================  =============================================================
4242424242424242       Visa: approved; settles after 2 days
5555555555554444       Mastercard: approved; settles after 2 days
378282246310005        American Express: approved; settles after 2 days
4000000000000002       declined (``card_declined``)
4000000000009995       declined (``insufficient_funds``)
4000000000000069       declined (``expired_card``)
4000000000000119       ``processing_error``: retryable, a later attempt may succeed
4000000000000408       times out: the first call raises ``GatewayUnavailableError``; the
                       same call again (same key) answers approved
4000000000000077       approved; settles late (after 5 days)
4000000000000259       approved, settles after 2 days, then a chargeback after 7 days
any other valid card   approved
=====================  =============================================================

Test bank accounts (routing number 110000000):

=============  ==================================================================
000123456789   processing, then succeeded after 3 days (settled a day later)
000111111116   processing, then failed (``insufficient_funds``) after 3 days
000222222227   processing, succeeded after 3 days, then returned after 5 days
any other      as 000123456789
=============  ==================================================================

The same idempotency key with another amount or method is refused
(``IdempotencyConflictError``), as Stripe refuses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dropline.core import clock
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
from dropline.payments.gateways.simulator_forms import (
    APPROVE,
    BANK_FAILS,
    BANK_RETURNS,
    BANK_SUCCEEDS,
    CHARGEBACK,
    DECLINE,
    DECLINES,
    EXPIRED,
    INSUFFICIENT,
    PROCESSING_ERROR,
    ROUTING_NUMBER,
    SETTLE_LATE,
    TEST_BANK_ACCOUNTS,
    TEST_CARDS,
    TIMEOUT,
    card_brand,
    luhn_ok,
    tokenise_bank_account,
    tokenise_card,
)
from dropline.payments.models import (
    SimulatedCharge,
    SimulatedEvent,
    SimulatedMethod,
    SimulatedRefund,
)

__all__ = [
    "APPROVE",
    "BANK_FAILS",
    "BANK_RETURNS",
    "BANK_SUCCEEDS",
    "CHARGEBACK",
    "DECLINE",
    "DECLINES",
    "EXPIRED",
    "INSUFFICIENT",
    "PROCESSING_ERROR",
    "ROUTING_NUMBER",
    "SETTLE_LATE",
    "TEST_BANK_ACCOUNTS",
    "TEST_CARDS",
    "TIMEOUT",
    "IdempotencyConflictError",
    "SimulatorGateway",
    "card_brand",
    "luhn_ok",
    "release_due_events",
    "sign",
    "tokenise_bank_account",
    "tokenise_card",
]

NAME = "simulator"
SIGNATURE_HEADER = "Simulator-Signature"
TOLERANCE = dt.timedelta(minutes=5)
SETTLE_AFTER = dt.timedelta(days=2)
SETTLE_LATE_AFTER = dt.timedelta(days=5)
CHARGEBACK_AFTER = dt.timedelta(days=7)
BANK_OUTCOME_AFTER = dt.timedelta(days=3)
BANK_SETTLE_AFTER = dt.timedelta(days=4)
BANK_RETURN_AFTER = dt.timedelta(days=5)


class IdempotencyConflictError(Exception):
    """The same idempotency key was used with another amount or method."""


def _signing_key() -> bytes:
    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, b"dropline.payments.simulator.webhooks", hashlib.sha256).digest()


def sign(body: bytes, *, at: dt.datetime | None = None) -> dict[str, str]:
    """The headers a simulator webhook carries for ``body``."""
    stamp = int((at or clock.now()).timestamp())
    mac = hmac.new(_signing_key(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {SIGNATURE_HEADER: f"t={stamp},v1={mac}"}


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted or key.upper() == "HTTP_" + name.upper().replace("-", "_"):
            return value
    return ""


def _event_body(event: SimulatedEvent) -> bytes:
    data: dict[str, object] = {"failure_code": event.failure_code}
    if event.charge is not None:
        data["charge"] = event.charge.reference
        data["amount_cents"] = event.charge.amount_cents
    if event.refund is not None:
        data["refund"] = event.refund.reference
        data["charge"] = event.refund.charge.reference
        data["amount_cents"] = event.refund.amount_cents
    return json.dumps(
        {
            "id": event.event_id,
            "type": event.kind,
            "created": event.due_at.isoformat(),
            "data": data,
        },
        sort_keys=True,
    ).encode()


def _schedule(
    kind: str,
    after: dt.timedelta,
    *,
    charge: SimulatedCharge | None = None,
    refund: SimulatedRefund | None = None,
    failure_code: str = "",
) -> None:
    SimulatedEvent.objects.create(
        event_id="simevt_" + secrets.token_hex(12),
        kind=kind,
        charge=charge,
        refund=refund,
        failure_code=failure_code,
        due_at=clock.now() + after,
    )


def _outcome(behaviour: str, kind: str) -> tuple[ChargeStatus, str]:
    if kind == MethodKind.BANK_ACCOUNT:
        return ChargeStatus.PROCESSING, ""
    if behaviour in DECLINES:
        return ChargeStatus.FAILED, behaviour
    return ChargeStatus.SUCCEEDED, ""


def _late_events(charge: SimulatedCharge, behaviour: str) -> None:
    if charge.status == ChargeStatus.FAILED:
        return
    if behaviour == BANK_FAILS:
        _schedule(
            EventKind.PAYMENT_FAILED, BANK_OUTCOME_AFTER, charge=charge, failure_code=INSUFFICIENT
        )
        return
    if behaviour in {BANK_SUCCEEDS, BANK_RETURNS}:
        _schedule(EventKind.PAYMENT_SUCCEEDED, BANK_OUTCOME_AFTER, charge=charge)
        _schedule(EventKind.PAYMENT_SETTLED, BANK_SETTLE_AFTER, charge=charge)
        if behaviour == BANK_RETURNS:
            _schedule(
                EventKind.PAYMENT_RETURNED,
                BANK_RETURN_AFTER,
                charge=charge,
                failure_code="account_closed",
            )
        return
    settle = SETTLE_LATE_AFTER if behaviour == SETTLE_LATE else SETTLE_AFTER
    _schedule(EventKind.PAYMENT_SETTLED, settle, charge=charge)
    if behaviour == CHARGEBACK:
        _schedule(EventKind.CHARGEBACK, CHARGEBACK_AFTER, charge=charge, failure_code="fraudulent")


def _charge_result(charge: SimulatedCharge) -> ChargeResult:
    messages = {
        DECLINE: "Your card was declined.",
        INSUFFICIENT: "Your card has insufficient funds.",
        EXPIRED: "Your card has expired.",
        PROCESSING_ERROR: "An error occurred while processing your card. Try again.",
    }
    return ChargeResult(
        reference=charge.reference,
        status=ChargeStatus(charge.status),
        failure_code=charge.failure_code,
        failure_message=messages.get(charge.failure_code, ""),
        retryable=charge.failure_code == PROCESSING_ERROR,
    )


class SimulatorGateway:
    name = NAME

    def ensure_customer(self, *, account_number: str, name: str, email: str) -> str:
        return f"simcus_{account_number}"

    def start_setup(self, *, customer: str) -> SetupStart:
        return SetupStart(client_secret="simseti_" + secrets.token_urlsafe(18))

    def attach_method(self, *, customer: str, token: str) -> MethodDetails:
        with transaction.atomic():
            method = SimulatedMethod.objects.select_for_update().filter(token=token).first()
            if method is None or method.detached_at is not None:
                raise PaymentError(
                    "token",
                    _("The card or account details were not received. Please enter them again."),
                    "invalid_token",
                )
            if method.customer and method.customer != customer:
                raise PaymentError(
                    "token",
                    _("The card or account details were not received. Please enter them again."),
                    "invalid_token",
                )
            method.customer = customer
            method.save(update_fields=["customer"])
        return MethodDetails(
            token=method.token,
            kind=MethodKind(method.kind),
            brand=method.brand,
            last4=method.last4,
            holder_name=method.holder_name,
            exp_month=method.exp_month,
            exp_year=method.exp_year,
        )

    def detach_method(self, *, token: str) -> None:
        SimulatedMethod.objects.filter(token=token, detached_at__isnull=True).update(
            detached_at=clock.now()
        )

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
        with transaction.atomic():
            existing = (
                SimulatedCharge.objects.select_for_update()
                .filter(idempotency_key=idempotency_key)
                .first()
            )
            if existing is not None:
                if existing.amount_cents != amount_cents or existing.method_token != method_token:
                    raise IdempotencyConflictError(
                        "Keys for idempotent requests can only be used with the same parameters"
                    )
                if not existing.answered:
                    existing.answered = True
                    existing.save(update_fields=["answered"])
                return _charge_result(existing)
            method = SimulatedMethod.objects.filter(token=method_token, customer=customer).first()
            if method is None or method.detached_at is not None:
                charge_status, failure = ChargeStatus.FAILED, "payment_method_unavailable"
                behaviour = ""
            else:
                behaviour = method.behaviour
                charge_status, failure = _outcome(behaviour, method.kind)
            charge = SimulatedCharge.objects.create(
                idempotency_key=idempotency_key,
                reference="simch_" + secrets.token_hex(12),
                customer=customer,
                method_token=method_token,
                amount_cents=amount_cents,
                currency=currency,
                status=charge_status,
                failure_code=failure,
                answered=behaviour != TIMEOUT,
                created_at=clock.now(),
            )
            _late_events(charge, behaviour)
        if not charge.answered:
            raise GatewayUnavailableError("the simulator did not answer in time")
        return _charge_result(charge)

    def refund(
        self, *, reference: str, amount_cents: int, idempotency_key: str, reason: str
    ) -> RefundResult:
        with transaction.atomic():
            existing = SimulatedRefund.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if existing.amount_cents != amount_cents or existing.charge.reference != reference:
                    raise IdempotencyConflictError(
                        "Keys for idempotent requests can only be used with the same parameters"
                    )
                return RefundResult(
                    reference=existing.reference, status=RefundStatus(existing.status)
                )
            charge = SimulatedCharge.objects.select_for_update().filter(reference=reference).first()
            if charge is None or charge.status == ChargeStatus.FAILED:
                return RefundResult(
                    reference="", status=RefundStatus.FAILED, failure_code="charge_not_found"
                )
            if charge.refunded_cents + amount_cents > charge.amount_cents:
                return RefundResult(
                    reference="", status=RefundStatus.FAILED, failure_code="amount_too_large"
                )
            method = SimulatedMethod.objects.filter(token=charge.method_token).first()
            bank = method is not None and method.kind == MethodKind.BANK_ACCOUNT
            status = RefundStatus.PENDING if bank else RefundStatus.SUCCEEDED
            try:
                with transaction.atomic():
                    refund = SimulatedRefund.objects.create(
                        idempotency_key=idempotency_key,
                        reference="simre_" + secrets.token_hex(12),
                        charge=charge,
                        amount_cents=amount_cents,
                        status=status,
                        created_at=clock.now(),
                    )
            except IntegrityError:
                refund = SimulatedRefund.objects.get(idempotency_key=idempotency_key)
                return RefundResult(reference=refund.reference, status=RefundStatus(refund.status))
            charge.refunded_cents += amount_cents
            charge.save(update_fields=["refunded_cents"])
            if bank:
                _schedule(EventKind.REFUND_SUCCEEDED, SETTLE_AFTER, refund=refund)
        return RefundResult(reference=refund.reference, status=status)

    def verify_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        header = _header(headers, SIGNATURE_HEADER)
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        try:
            stamp = int(parts.get("t", ""))
        except ValueError:
            raise InvalidWebhookError("no timestamp in the signature header") from None
        expected = hmac.new(_signing_key(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise InvalidWebhookError("the signature does not match")
        signed_at = dt.datetime.fromtimestamp(stamp, tz=dt.UTC)
        if abs(clock.now() - signed_at) > TOLERANCE:
            raise InvalidWebhookError("the signature is too old")
        try:
            payload = json.loads(body)
            data = payload.get("data") or {}
            kind = payload["type"]
            return WebhookEvent(
                id=str(payload["id"]),
                kind=EventKind(kind) if kind in set(EventKind) else EventKind.OTHER,
                occurred_at=dt.datetime.fromisoformat(payload["created"]),
                payment_reference=str(data.get("charge") or ""),
                refund_reference=str(data.get("refund") or ""),
                amount_cents=data.get("amount_cents"),
                failure_code=str(data.get("failure_code") or ""),
                payload=payload,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidWebhookError("the body is not a simulator event") from exc


def release_due_events(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send the late outcomes due by ``now`` as signed webhooks through Dropline's own
    webhook path; returns how many were delivered. Each is marked delivered once
    Dropline has taken it (a replay of the same id would change nothing anyway)."""
    from dropline.payments.events import receive_webhook

    moment = now or clock.now()
    due = list(
        SimulatedEvent.objects.filter(delivered_at__isnull=True, due_at__lte=moment)
        .select_related("charge", "refund__charge")
        .order_by("due_at", "id")[:limit]
    )
    for event in due:
        body = _event_body(event)
        receive_webhook(gateway=NAME, body=body, headers=sign(body))
        SimulatedEvent.objects.filter(pk=event.pk).update(delivered_at=clock.now())
    return len(due)
