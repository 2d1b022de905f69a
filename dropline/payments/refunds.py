"""Refunds: money given back on a payment that succeeded, in full or in part, by staff
with a reason, through the gateway with an idempotency key.

Like a payment, a refund is recorded first (``pending``, its amount reserved on the
payment's ``refunded_cents`` under the payment's row lock, so two refunds at once never
give back more than was paid), then asked of the gateway, then its answer recorded,
posted and told to the customer.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.billing.settling import settle_invoices
from dropline.core import audit, clock
from dropline.core.money import Money
from dropline.payments import notifying, postings, rules
from dropline.payments.errors import GatewayUnavailableError, PaymentError
from dropline.payments.gateways import get_gateway
from dropline.payments.gateways.base import RefundResult
from dropline.payments.gateways.base import RefundStatus as GatewayRefundStatus
from dropline.payments.models import Payment, PaymentStatus, Refund, RefundStatus

UNKNOWN_AFTER = dt.timedelta(minutes=1)


def _record(
    *, payment: Payment, amount_cents: int, reason: str, actor: User, key: str
) -> tuple[Refund, bool]:
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("account").get(pk=payment.pk)
        existing = Refund.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.payment_id != locked.pk or existing.amount_cents != amount_cents:
                raise PaymentError(
                    "idempotency_key",
                    _("This request key was already used for a different refund."),
                    "key_reused",
                )
            return existing, False
        if locked.status != PaymentStatus.SUCCEEDED:
            raise PaymentError(
                "payment", _("Only a payment that went through can be refunded."), "not_refundable"
            )
        if amount_cents <= 0:
            raise PaymentError(
                "amount_cents", _("Enter an amount greater than zero."), "amount_not_positive"
            )
        left = locked.amount_cents - locked.refunded_cents
        if amount_cents > left:
            raise PaymentError(
                "amount_cents",
                _("At most %(left)s of this payment can still be refunded.")
                % {"left": Money(left, locked.currency).format()},
                "over_refundable",
            )
        if not reason.strip():
            raise PaymentError("reason", _("Say why the money is given back."), "required")
        refund = Refund.objects.create(
            payment=locked,
            amount_cents=amount_cents,
            reason=reason.strip()[:255],
            status=RefundStatus.PENDING,
            idempotency_key=key,
            created_by=actor,
            created_at=clock.now(),
        )
        locked.refunded_cents += amount_cents
        locked.save(update_fields=["refunded_cents"])
        audit.record(
            action="payment.refund",
            actor=actor,
            target=locked,
            account_number=locked.account.number,
            data={"refund": refund.pk, "amount_cents": amount_cents, "reason": refund.reason},
        )
    return refund, True


def refund(
    *, payment: Payment, amount_cents: int, reason: str, actor: User, idempotency_key: str
) -> Refund:
    """Give back ``amount_cents`` of ``payment`` (at most what is left of it). Returns
    the refund: ``succeeded``, ``pending`` (the gateway answers later) or ``failed``.
    A repeat of the key returns the first refund."""
    key = rules.check_key(idempotency_key)
    found, fresh = _record(
        payment=payment, amount_cents=amount_cents, reason=reason, actor=actor, key=key
    )
    if not fresh and found.gateway_reference:
        return found
    return send_refund(found)


def send_refund(refund: Refund) -> Refund:
    """Ask the gateway for ``refund`` (again, with the same key, if its answer never came)."""
    payment = refund.payment
    try:
        result = get_gateway(payment.gateway).refund(
            reference=payment.gateway_reference,
            amount_cents=refund.amount_cents,
            idempotency_key=f"dropline-refund-{refund.idempotency_key}",
            reason=refund.reason,
        )
    except GatewayUnavailableError:
        return refund
    return _record_answer(refund.pk, result)


def resolve_unknown_refunds(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Ask the gateway again, with the same key, about refunds whose answer never came
    (a timeout) a minute after they were asked. Returns how many got an answer."""
    moment = now or clock.now()
    waiting = list(
        Refund.objects.filter(
            status=RefundStatus.PENDING,
            gateway_reference="",
            created_at__lte=moment - UNKNOWN_AFTER,
        )
        .select_related("payment")
        .order_by("created_at", "id")[:limit]
    )
    answered = 0
    for found in waiting:
        if send_refund(found).gateway_reference:
            answered += 1
    return answered


def _record_answer(refund_id: int, result: RefundResult) -> Refund:
    payment_id = Refund.objects.values_list("payment_id", flat=True).get(pk=refund_id)
    with transaction.atomic():
        # The payment's row (and its account's) before the refund's, as events take them.
        payment = (
            Payment.objects.select_for_update()
            .select_related("account", "method")
            .get(pk=payment_id)
        )
        found = Refund.objects.select_for_update().get(pk=refund_id)
        found.payment = payment
        if found.gateway_reference or found.status != RefundStatus.PENDING:
            return found  # answered already
        if result.status == GatewayRefundStatus.FAILED:
            found.gateway_reference = result.reference
            refund_failed(found, failure_code=result.failure_code)
            return found
        found.gateway_reference = result.reference or f"unknown-{found.pk}"
        found.status = (
            RefundStatus.SUCCEEDED
            if result.status == GatewayRefundStatus.SUCCEEDED
            else RefundStatus.PENDING
        )
        found.decided_at = clock.now() if found.status == RefundStatus.SUCCEEDED else None
        found.save(update_fields=["gateway_reference", "status", "decided_at"])
        postings.post_refund(found)
        if payment.refunded_cents >= payment.amount_cents:
            payment.status = PaymentStatus.REFUNDED
            payment.save(update_fields=["status"])
        settle_invoices(account_id=payment.account_id)
        notifying.refund_issued(found)
    return found


def refund_failed(refund: Refund, *, failure_code: str) -> None:
    """The gateway refused ``refund`` (now, or later by event), in the caller's
    transaction: its reservation released and, if it had been posted, the posting
    reversed."""
    payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
    was_posted = bool(refund.gateway_reference) and refund.status == RefundStatus.PENDING
    refund.status = RefundStatus.FAILED
    refund.failure_code = failure_code[:40]
    refund.decided_at = clock.now()
    refund.save(update_fields=["status", "failure_code", "decided_at", "gateway_reference"])
    payment.refunded_cents -= refund.amount_cents
    fields = ["refunded_cents"]
    if payment.status == PaymentStatus.REFUNDED:
        payment.status = PaymentStatus.SUCCEEDED
        fields.append("status")
    payment.save(update_fields=fields)
    if was_posted and postings.reverse_refund(refund) is not None:
        settle_invoices(account_id=payment.account_id)
