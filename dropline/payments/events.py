"""Webhooks from the gateway: verified, recorded once, applied in order.

``receive_webhook`` verifies the body with the gateway (a bad signature records
nothing), records a ``GatewayEvent`` unique per gateway and event id (a replay returns
the first and changes nothing) and applies it to its payment or refund through a
small state machine:

- ``sending``/``processing`` → ``succeeded`` or ``failed``;
- ``succeeded`` → ``returned`` (a bank return, a chargeback) or ``refunded``;
- settlement is independent of the status: clearing moves to cash once.

An event older (by ``occurred_at``) than the payment's latest applied event, or one
that would move a final state back, is recorded with that outcome and not applied. A
late ``payment.failed`` can therefore never undo a ``payment.succeeded`` that came
after it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction

from dropline.billing.settling import settle_invoices
from dropline.core import audit, clock
from dropline.customers.models import CustomerAccount
from dropline.payments import notifying, postings
from dropline.payments.errors import InvalidWebhookError
from dropline.payments.gateways import GATEWAYS, get_gateway
from dropline.payments.gateways.base import EventKind, WebhookEvent
from dropline.payments.models import (
    GatewayEvent,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from dropline.payments.paying import accepted
from dropline.payments.refunds import refund_failed

APPLIED = "applied"
REPLAY = "already received"
OLDER = "older than the payment's state"
NO_PAYMENT = "no matching payment"
NO_REFUND = "no matching refund"
IGNORED = "not acted on"

FINAL = {PaymentStatus.FAILED, PaymentStatus.RETURNED, PaymentStatus.REFUNDED}
STATUS_EVENTS = {
    EventKind.PAYMENT_SUCCEEDED,
    EventKind.PAYMENT_FAILED,
    EventKind.PAYMENT_RETURNED,
    EventKind.CHARGEBACK,
}


def receive_webhook(*, gateway: str, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
    """Verify, record and apply one webhook; returns its ``GatewayEvent`` (the first one
    recorded under that id when this is a replay). ``InvalidWebhookError`` when the
    gateway is unknown or the signature does not verify: nothing is recorded."""
    if gateway not in GATEWAYS:
        raise InvalidWebhookError(f"unknown gateway {gateway!r}")
    event = get_gateway(gateway).verify_webhook(body=body, headers=headers)
    found = GatewayEvent.objects.filter(gateway=gateway, event_id=event.id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _record_and_apply(gateway, event)
    except IntegrityError:
        # The same event delivered twice at once: the first one recorded it.
        return GatewayEvent.objects.get(gateway=gateway, event_id=event.id)


def _record_and_apply(gateway: str, event: WebhookEvent) -> GatewayEvent:
    payment = None
    if event.payment_reference:
        # The account's row first, as ``paying`` takes it, then the payment's.
        account_id = (
            Payment.objects.filter(gateway=gateway, gateway_reference=event.payment_reference)
            .values_list("account_id", flat=True)
            .first()
        )
        if account_id is not None:
            CustomerAccount.objects.select_for_update().get(pk=account_id)
        payment = (
            Payment.objects.select_for_update()
            .select_related("account", "method")
            .filter(gateway=gateway, gateway_reference=event.payment_reference)
            .first()
        )
    refund = None
    if event.refund_reference:
        refund = (
            Refund.objects.select_for_update()
            .filter(payment__gateway=gateway, gateway_reference=event.refund_reference)
            .first()
        )
    row = GatewayEvent.objects.create(
        gateway=gateway,
        event_id=event.id,
        kind=event.kind.value,
        occurred_at=event.occurred_at,
        received_at=clock.now(),
        payment=payment,
        refund=refund,
        payload=dict(event.payload),
    )
    row.outcome = _apply(event, payment, refund)[:200]
    row.save(update_fields=["outcome"])
    return row


def _apply(event: WebhookEvent, payment: Payment | None, refund: Refund | None) -> str:
    if event.kind in {EventKind.REFUND_SUCCEEDED, EventKind.REFUND_FAILED}:
        return _apply_refund(event, refund) if refund is not None else NO_REFUND
    if event.kind == EventKind.OTHER:
        return IGNORED
    if payment is None:
        return NO_PAYMENT
    if event.kind == EventKind.PAYMENT_SETTLED:
        return _settle(event, payment)
    if payment.last_event_at is not None and event.occurred_at < payment.last_event_at:
        return OLDER
    outcome = _move(event, payment)
    if outcome == APPLIED:
        payment.last_event_at = event.occurred_at
        payment.save(update_fields=["last_event_at"])
    return outcome


def _move(event: WebhookEvent, payment: Payment) -> str:
    status = payment.status
    if status in FINAL:
        return f"the payment is already {status}"
    if event.kind == EventKind.PAYMENT_SUCCEEDED:
        if status == PaymentStatus.SUCCEEDED:
            return f"the payment is already {status}"
        was_sending = status == PaymentStatus.SENDING
        _set(payment, PaymentStatus.SUCCEEDED, event)
        if was_sending:
            accepted(payment)
        return APPLIED
    if event.kind == EventKind.PAYMENT_FAILED:
        if status == PaymentStatus.SUCCEEDED:
            return f"the payment is already {status}"
        was_posted = status == PaymentStatus.PROCESSING
        _set(payment, PaymentStatus.FAILED, event)
        if was_posted:
            postings.post_return(
                payment,
                amount_cents=payment.amount_cents - postings.posted_refunds_cents(payment),
                settled=payment.settled_at is not None,
                memo=f"Payment {payment.confirmation_number} failed",
            )
            settle_invoices(account_id=payment.account_id)
        notifying.payment_failed(payment)
        return APPLIED
    # returned or charged back: only a payment that succeeded (or is still processing)
    if status == PaymentStatus.SENDING:
        return "the payment was never accepted"
    _set(payment, PaymentStatus.RETURNED, event)
    postings.post_return(
        payment,
        amount_cents=payment.amount_cents - postings.posted_refunds_cents(payment),
        settled=payment.settled_at is not None,
        memo=f"Payment {payment.confirmation_number} {event.kind.value.split('.')[-1]}",
    )
    settle_invoices(account_id=payment.account_id)
    notifying.payment_failed(payment, returned=True)
    return APPLIED


def _set(payment: Payment, status: str, event: WebhookEvent) -> None:
    payment.status = status
    payment.decided_at = payment.decided_at or clock.now()
    fields = ["status", "decided_at"]
    if status in {PaymentStatus.FAILED, PaymentStatus.RETURNED}:
        payment.failure_code = event.failure_code[:40]
        payment.failure_message = event.failure_message[:255]
        fields += ["failure_code", "failure_message"]
    payment.save(update_fields=fields)
    audit.record(
        action="payment.event",
        target=payment,
        account_number=payment.account.number,
        data={"event": event.id, "kind": event.kind.value, "status": status},
    )


def _settle(event: WebhookEvent, payment: Payment) -> str:
    if payment.settled_at is not None:
        return "the payment is already settled"
    if payment.status in {PaymentStatus.SENDING, PaymentStatus.FAILED, PaymentStatus.RETURNED}:
        return f"nothing to settle: the payment is {payment.status}"
    postings.post_settlement(
        payment, amount_cents=payment.amount_cents - postings.posted_refunds_cents(payment)
    )
    payment.settled_at = event.occurred_at
    payment.save(update_fields=["settled_at"])
    return APPLIED


def _apply_refund(event: WebhookEvent, refund: Refund) -> str:
    if refund.status != RefundStatus.PENDING:
        return f"the refund is already {refund.status}"
    refund.decided_at = clock.now()
    if event.kind == EventKind.REFUND_SUCCEEDED:
        refund.status = RefundStatus.SUCCEEDED
        refund.save(update_fields=["status", "decided_at"])
        return APPLIED
    refund_failed(refund, failure_code=event.failure_code)
    return APPLIED
