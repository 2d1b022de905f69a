"""Paying: now, on a later day, and finding out what became of a payment whose answer
never came.

No double charge, ever. ``pay`` runs in three steps:

1. one transaction that locks the account's row (payments for one account are made
   one at a time), looks up the idempotency key (a repeat returns the first payment,
   the same key with another amount or method is refused, a first request still being
   sent answers "in progress"), checks the amount against ``queries.amounts_for``
   (a payment still being sent counts as paid), and records the payment ``sending``;
2. the gateway call, outside any transaction, with an idempotency key made from the
   confirmation number, so asking again can only ever give the first answer;
3. one transaction that records the outcome, posts to the ledger, settles invoices
   and tells the account's people.

A request refused in step 1 leaves no row. A timeout in step 2 leaves the payment
``sending``; ``resolve_unknown`` asks the gateway again with the same key.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.billing.settling import settle_invoices
from dropline.core import audit, clock
from dropline.customers.models import CustomerAccount
from dropline.payments import notifying, postings, queries, rules
from dropline.payments.errors import GatewayUnavailableError, PaymentError
from dropline.payments.gateways import get_gateway
from dropline.payments.gateways.base import ChargeResult, ChargeStatus
from dropline.payments.methods import gateway_customer
from dropline.payments.models import (
    Payment,
    PaymentMethod,
    PaymentSource,
    PaymentStatus,
    ScheduledPayment,
    ScheduledPaymentStatus,
)

log = logging.getLogger(__name__)

UNKNOWN_AFTER = dt.timedelta(minutes=1)  # a payment still sending this long: ask again


def _record(
    *,
    account: CustomerAccount,
    amount_cents: int,
    key: str,
    source: str,
    actor: User | None,
    method: PaymentMethod | None,
) -> tuple[Payment, bool]:
    """Step 1: the payment recorded ``sending``, or the first one under the key."""
    with transaction.atomic():
        locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        existing = (
            Payment.objects.filter(account_id=account.pk, idempotency_key=key)
            .select_related("method")
            .first()
        )
        if existing is not None:
            return rules.repeat_of(existing, amount_cents=amount_cents, method=method), False
        chosen = rules.chosen_method(locked, method)
        rules.check_amount(locked, amount_cents)
        payment = Payment.objects.create(
            account=locked,
            method=chosen,
            amount_cents=amount_cents,
            currency=locked.currency,
            status=PaymentStatus.SENDING,
            source=PaymentSource(source),
            idempotency_key=key,
            confirmation_number=rules.confirmation_number(),
            gateway=chosen.gateway,
            created_by=actor,
            created_at=clock.now(),
        )
        audit.record(
            action="payment.sent",
            actor=actor,
            target=payment,
            account_number=locked.number,
            data={"amount_cents": amount_cents, "source": source, "method": chosen.pk},
        )
    return payment, True


def _charge(payment: Payment) -> ChargeResult:
    gateway = get_gateway(payment.gateway)
    customer = gateway_customer(account=payment.account, gateway=gateway)
    return gateway.charge(
        customer=customer.reference,
        method_token=payment.method.token,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        idempotency_key=rules.gateway_key(payment),
        description=f"Payment {payment.confirmation_number}",
        metadata={
            "account": payment.account.number,
            "confirmation_number": payment.confirmation_number,
        },
    )


def accepted(payment: Payment) -> None:
    """After the gateway accepted ``payment`` (in the caller's transaction): posted,
    invoices settled, the receipt sent."""
    postings.post_payment(payment)
    settle_invoices(account_id=payment.account_id)
    notifying.payment_received(payment)


def record_outcome(payment_id: int, result: ChargeResult) -> Payment:
    """Step 3: the gateway's answer recorded, once (a second answer changes nothing)."""
    account_id = Payment.objects.values_list("account_id", flat=True).get(pk=payment_id)
    with transaction.atomic():
        # The account's row first, as ``pay`` takes it: while a payment is being
        # recorded, no other one's outcome changes the balance under it.
        CustomerAccount.objects.select_for_update().get(pk=account_id)
        payment = (
            Payment.objects.select_for_update()
            .select_related("account", "method")
            .get(pk=payment_id)
        )
        if payment.status != PaymentStatus.SENDING:
            return payment  # an event, or another asker, got there first
        payment.gateway_reference = result.reference
        payment.decided_at = clock.now()
        if result.status in {ChargeStatus.SUCCEEDED, ChargeStatus.PROCESSING}:
            payment.status = (
                PaymentStatus.SUCCEEDED
                if result.status == ChargeStatus.SUCCEEDED
                else PaymentStatus.PROCESSING
            )
            payment.save(update_fields=["status", "gateway_reference", "decided_at"])
            accepted(payment)
        else:
            payment.status = PaymentStatus.FAILED
            payment.failure_code = result.failure_code[:40]
            payment.failure_message = result.failure_message[:255]
            payment.save(
                update_fields=[
                    "status",
                    "gateway_reference",
                    "decided_at",
                    "failure_code",
                    "failure_message",
                ]
            )
            notifying.payment_failed(payment)
        audit.record(
            action="payment.answered",
            target=payment,
            account_number=payment.account.number,
            data={"status": payment.status, "failure_code": payment.failure_code},
        )
    return payment


def _send(payment: Payment) -> Payment:
    try:
        result = _charge(payment)
    except GatewayUnavailableError:
        log.warning("payment %s: no answer from the gateway", payment.confirmation_number)
        return payment
    return record_outcome(payment.pk, result)


def pay(
    *,
    account: CustomerAccount,
    amount_cents: int,
    idempotency_key: str,
    source: str,
    actor: User | None,
    method: PaymentMethod | None = None,
) -> Payment:
    """Pay ``amount_cents`` from ``method`` (the account's default when None).

    Returns the payment: ``succeeded`` or ``processing`` (accepted), ``failed`` (it
    reached the gateway and was declined) or ``sending`` (no answer yet: found out
    later). Raises ``PaymentError`` when refused before the gateway (nothing written)
    and ``PaymentInProgressError`` while a request under the same key is being sent.

    Call it outside any transaction of the caller's: the payment's row must be
    committed before the gateway is asked, or a rollback after the charge would lose
    the record of money taken.
    """
    key = rules.check_key(idempotency_key)
    payment, fresh = _record(
        account=account,
        amount_cents=amount_cents,
        key=key,
        source=source,
        actor=actor,
        method=method,
    )
    if not fresh:
        return payment
    return _send(payment)


def resolve_unknown(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Ask the gateway again, with the same key, about payments still ``sending`` a
    minute after they were made (a timeout, a crash between the steps). Returns how
    many got an answer."""
    moment = now or clock.now()
    waiting = list(
        Payment.objects.filter(status=PaymentStatus.SENDING, created_at__lte=moment - UNKNOWN_AFTER)
        .select_related("account", "method")
        .order_by("created_at", "id")[:limit]
    )
    answered = 0
    for payment in waiting:
        try:
            result = _charge(payment)
        except GatewayUnavailableError:
            continue
        record_outcome(payment.pk, result)
        answered += 1
    return answered


# --- on a later day ----------------------------------------------------------------------


def schedule_payment(
    *,
    account: CustomerAccount,
    amount_cents: int,
    pay_on: dt.date,
    idempotency_key: str,
    actor: User | None,
    method: PaymentMethod | None = None,
) -> ScheduledPayment:
    """Pay ``amount_cents`` on ``pay_on`` (from tomorrow up to the bill's due date)."""
    key = rules.check_key(idempotency_key)
    with transaction.atomic():
        locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        existing = ScheduledPayment.objects.filter(
            account_id=account.pk, idempotency_key=key
        ).first()
        if existing is not None:
            if existing.amount_cents != amount_cents or existing.pay_on != pay_on:
                raise PaymentError(
                    "idempotency_key",
                    _("This request key was already used for a different payment."),
                    "key_reused",
                )
            return existing
        chosen = rules.chosen_method(locked, method)
        rules.check_amount(locked, amount_cents)
        amounts = queries.amounts_for(account=locked)
        today = clock.today()
        if pay_on <= today:
            raise PaymentError(
                "pay_on", _("Choose a day from tomorrow, or pay now."), "date_too_early"
            )
        if amounts.due_on is None or pay_on > amounts.due_on:
            raise PaymentError(
                "pay_on",
                _("Choose a day no later than the due date of your bill."),
                "date_too_late",
            )
        scheduled = ScheduledPayment.objects.create(
            account=locked,
            method=chosen,
            amount_cents=amount_cents,
            currency=locked.currency,
            pay_on=pay_on,
            idempotency_key=key,
            created_by=actor,
            created_at=clock.now(),
        )
        audit.record(
            action="payment.scheduled",
            actor=actor,
            target=scheduled,
            account_number=locked.number,
            data={"amount_cents": amount_cents, "pay_on": pay_on.isoformat()},
        )
    return scheduled


def cancel_scheduled_payment(*, scheduled: ScheduledPayment, actor: User | None) -> None:
    """Cancel a payment still waiting for its day (one already made stays made)."""
    with transaction.atomic():
        current = ScheduledPayment.objects.select_for_update().get(pk=scheduled.pk)
        if current.status != ScheduledPaymentStatus.SCHEDULED:
            raise PaymentError(
                "scheduled", _("This payment was already made or canceled."), "not_scheduled"
            )
        current.status = ScheduledPaymentStatus.CANCELLED
        current.cancelled_at = clock.now()
        current.save(update_fields=["status", "cancelled_at"])
        audit.record(
            action="payment.schedule_cancelled",
            actor=actor,
            target=current,
            account_number=current.account.number,
        )
    scheduled.status = current.status
    scheduled.cancelled_at = current.cancelled_at


def send_due_scheduled(*, today: dt.date | None = None) -> int:
    """Make the scheduled payments whose day has come (daily). One is skipped when
    nothing is owed any more, and made for what is owed when that is less. Returns how
    many payments were made."""
    day = today or clock.today()
    due = list(
        ScheduledPayment.objects.filter(status=ScheduledPaymentStatus.SCHEDULED, pay_on__lte=day)
        .select_related("account", "method")
        .order_by("pay_on", "id")
    )
    made = 0
    for scheduled in due:
        amounts = queries.amounts_for(account=scheduled.account)
        amount = min(scheduled.amount_cents, amounts.max_cents)
        payment = None
        if amount > 0 and scheduled.method.removed_at is None:
            try:
                payment = pay(
                    account=scheduled.account,
                    amount_cents=amount,
                    idempotency_key=f"scheduled:{scheduled.pk}",
                    source=PaymentSource.SCHEDULED,
                    actor=None,
                    method=scheduled.method,
                )
            except PaymentError:
                payment = None
        with transaction.atomic():
            current = ScheduledPayment.objects.select_for_update().get(pk=scheduled.pk)
            if current.status != ScheduledPaymentStatus.SCHEDULED:
                continue
            current.status = (
                ScheduledPaymentStatus.SENT if payment else ScheduledPaymentStatus.SKIPPED
            )
            current.payment = payment
            current.save(update_fields=["status", "payment"])
        made += payment is not None
    return made
