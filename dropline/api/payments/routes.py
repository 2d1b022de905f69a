"""Paying from the app. Thin: ``dropline.payments.paying`` decides.

The account is the first of the caller's unless ``account`` names another of theirs; a
number that is not theirs answers 404, and so does another account's payment.
``POST /payments`` needs an ``Idempotency-Key`` header: the first request answers 201,
a repeat of the key answers 200 with the same body (nothing is charged again), a
request still running under the key 409, and the key with another amount or method
422 (``key_reused``). A refusal answers 422 naming the field and the rule; an amount
over what is owed says the most that may be paid. A declined card is still a payment
(201, ``failed``): it reached the gateway.

Payments on a later day (``/payments/scheduled``) are scheduled with an
``Idempotency-Key`` too (201, then 200 for a repeat, 409 for the key with another amount
or day), listed and canceled; bad input answers 400 naming the field, cancelling one
already made or canceled 409, another account's 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status
from ninja.errors import HttpError

from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.membership import membership_asked
from dropline.api.payments.schemas import (
    AmountsOut,
    PaymentIn,
    PaymentMethodRefOut,
    PaymentOut,
    PaymentPageOut,
    PaymentQuery,
    PaymentRefusedOut,
    PaymentsQuery,
    ScheduledPageOut,
    ScheduledPaymentOut,
    ScheduledQuery,
    ScheduleIn,
)
from dropline.api.refusals import conflict
from dropline.api.schemas import ErrorOut, FieldErrorOut, InvalidInputOut, MoneyOut
from dropline.core.money import Money
from dropline.core.pagination import InvalidCursorError, decode_cursor
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_pay_bills
from dropline.payments import paying, queries
from dropline.payments.errors import PaymentError, PaymentInProgressError
from dropline.payments.models import Payment, PaymentSource, ScheduledPayment
from dropline.payments.paying import pay

router = Router(tags=["payments"])

PAY_ANSWERS: dict[int, Any] = {
    200: PaymentOut,
    201: PaymentOut,
    403: ErrorOut,
    404: ErrorOut,
    409: PaymentRefusedOut,
    422: PaymentRefusedOut,
}


def payment_out(payment: Payment) -> PaymentOut:
    method = payment.method
    return PaymentOut(
        confirmation_number=payment.confirmation_number,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        status=payment.status,
        status_label=str(payment.get_status_display()),
        source=payment.source,
        method=PaymentMethodRefOut(
            id=method.pk, kind=method.kind, brand=method.brand, last4=method.last4
        ),
        failure_code=payment.failure_code,
        refunded_cents=payment.refunded_cents,
        created_at=payment.created_at,
        decided_at=payment.decided_at,
    )


def _refused(error: PaymentError) -> Status[PaymentRefusedOut]:
    status = 409 if isinstance(error, PaymentInProgressError) else 422
    return Status(
        status,
        PaymentRefusedOut(
            detail=error.reason,
            code=error.code,
            errors=[FieldErrorOut(field=error.field, reason=error.reason)],
        ),
    )


@router.get(
    "/payments",
    response={200: PaymentPageOut, 400: ErrorOut, 404: ErrorOut},
    summary="Payments, newest first",
)
def list_payments(request: HttpRequest, query: Query[PaymentsQuery]) -> PaymentPageOut:
    """A page of the account's payments, newest first; `next_cursor` gets the next."""
    membership = membership_asked(request, query.account)
    try:
        after = decode_cursor(query.cursor)
    except InvalidCursorError:
        raise HttpError(400, _("That cursor is not one this list gave out.")) from None
    page = queries.payments_after(account=membership.account, after=after, limit=query.limit)
    return PaymentPageOut(items=[payment_out(p) for p in page.rows], next_cursor=page.next_cursor)


@router.get(
    "/payments/amounts",
    response={200: AmountsOut, 404: ErrorOut},
    summary="What is owed and the most one payment may be",
)
def amounts(request: HttpRequest, query: Query[PaymentQuery]) -> AmountsOut:
    """The balance, the amount due by the due date, payments still being sent, and the
    most one payment may be now (the balance plus any prepayment the provider allows)."""
    membership = membership_asked(request, query.account)
    found = queries.amounts_for(account=membership.account)
    return AmountsOut(
        currency=found.currency,
        balance_cents=found.balance_cents,
        amount_due_cents=found.amount_due_cents,
        due_on=found.due_on,
        pending_cents=found.pending_cents,
        max_cents=found.max_cents,
    )


# The longest key the payments table keeps.
IDEMPOTENCY_KEY_LENGTH = cast(int, Payment._meta.get_field("idempotency_key").max_length)


@router.post("/payments", response=PAY_ANSWERS, summary="Pay")
def make_payment(
    request: HttpRequest,
    body: PaymentIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=IDEMPOTENCY_KEY_LENGTH,
        description="Required: a key of your own for this payment (a UUID). Send it again "
        "to repeat the request safely.",
    ),
) -> Any:
    """Pay `amount_cents` from a saved method (the default if none is named)."""
    membership = membership_asked(request, body.account)
    if not can_pay_bills(membership):
        raise HttpError(403, _("You cannot pay bills on this account."))
    key = (idempotency_key or "").strip()
    if not key:
        reason = _("Send an Idempotency-Key header with a key of your own for this payment.")
        return Status(
            422,
            PaymentRefusedOut(
                detail=reason,
                code="invalid_key",
                errors=[FieldErrorOut(field="idempotency_key", reason=reason)],
            ),
        )
    account = membership.account
    method = None
    if body.payment_method_id is not None:
        method = queries.method_for(account=account, method_id=body.payment_method_id)
        if method is None:
            reason = _("Choose one of your saved payment methods.")
            return Status(
                422,
                PaymentRefusedOut(
                    detail=reason,
                    code="method_removed",
                    errors=[FieldErrorOut(field="payment_method_id", reason=reason)],
                ),
            )
    repeat = Payment.objects.filter(account=account, idempotency_key=key).exists()
    try:
        payment = pay(
            account=account,
            amount_cents=body.amount_cents,
            idempotency_key=key,
            source=PaymentSource.API,
            actor=signed_in_user(request),
            method=method,
        )
    except PaymentError as error:
        return _refused(error)
    return Status(200 if repeat else 201, payment_out(payment))


# --- on a later day ----------------------------------------------------------------------
# Before ``/payments/{confirmation_number}``, which would take "scheduled" for a number.

SCHEDULE_ANSWERS: dict[int, Any] = {
    200: ScheduledPaymentOut,
    201: ScheduledPaymentOut,
    400: InvalidInputOut,
    403: ErrorOut,
    404: ErrorOut,
    409: InvalidInputOut,
}
# The domain's names for the fields of ``ScheduleIn``.
SCHEDULE_FIELDS = {"amount_cents": "amount_minor", "payment_method_id": "method_id"}


def _payer(request: HttpRequest, account: str | None) -> AccountMember:
    membership = membership_asked(request, account)
    if not can_pay_bills(membership):
        raise HttpError(403, _("You cannot pay bills on this account."))
    return membership


def scheduled_out(scheduled: ScheduledPayment) -> ScheduledPaymentOut:
    method = scheduled.method
    return ScheduledPaymentOut(
        id=scheduled.pk,
        amount=MoneyOut.of(Money(scheduled.amount_cents, scheduled.currency)),
        pay_on=scheduled.pay_on,
        status=scheduled.status,
        status_label=str(scheduled.get_status_display()),
        method=PaymentMethodRefOut(
            id=method.pk, kind=method.kind, brand=method.brand, last4=method.last4
        ),
        created_at=scheduled.created_at,
        cancelled_at=scheduled.cancelled_at,
        payment=scheduled.payment.confirmation_number if scheduled.payment else None,
    )


@router.get(
    "/payments/scheduled",
    response={200: ScheduledPageOut, 400: InvalidInputOut, 403: ErrorOut, 404: ErrorOut},
    summary="Payments scheduled for a later day",
)
def scheduled(request: HttpRequest, query: Query[ScheduledQuery]) -> ScheduledPageOut:
    """The payments still waiting for their day, as the web's payments page lists them,
    a page at a time in the order they were asked for (each says its `pay_on`);
    `next_cursor` gets the next page."""
    membership = _payer(request, query.account)
    try:
        after = decode_cursor(query.cursor)
    except InvalidCursorError:
        raise FieldError("cursor", _("That cursor is not one this list gave out.")) from None
    page = queries.scheduled_after(account=membership.account, after=after, limit=query.limit)
    return ScheduledPageOut(
        items=[scheduled_out(found) for found in page.rows], next_cursor=page.next_cursor
    )


@router.post("/payments/scheduled", response=SCHEDULE_ANSWERS, summary="Pay on a later day")
def schedule(
    request: HttpRequest,
    body: ScheduleIn,
    query: Query[PaymentQuery],
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=80,
        description="Required: a key of your own for this payment (a UUID). Send it again "
        "to repeat the request safely.",
        examples=["7d5e3a52-8f0e-4b2a-9c55-2d7f6e1c9a10"],
    ),
) -> Any:
    """Pay `amount_minor` on `pay_on` (from tomorrow up to the due date of the latest
    bill) from a saved method, as the web's pay page does with "On a later day". The
    first request answers 201; a repeat of the `Idempotency-Key` answers 200 with the
    same payment (nothing is scheduled twice), and the key with another amount or day
    409. On the day, what is owed then is paid (nothing when nothing is owed). Bad
    input answers 400 naming the field: an amount over what may be paid says the most."""
    membership = _payer(request, query.account)
    key = (idempotency_key or "").strip()
    if not key:
        raise FieldError(
            "idempotency_key",
            _("Send an Idempotency-Key header with a key of your own for this payment."),
        )
    account = membership.account
    method = None
    if body.method_id is not None:
        method = queries.method_for(account=account, method_id=body.method_id)
        if method is None:
            raise FieldError("method_id", _("Choose one of your saved payment methods."))
    repeat = queries.scheduled_with_key(account=account, idempotency_key=key) is not None
    try:
        made = paying.schedule_payment(
            account=account,
            amount_cents=body.amount_minor,
            pay_on=body.pay_on,
            idempotency_key=key,
            actor=signed_in_user(request),
            method=method,
        )
    except PaymentError as refused:
        if refused.code == "key_reused":
            return conflict(refused.field, refused.reason)
        raise FieldError(
            SCHEDULE_FIELDS.get(refused.field, refused.field), refused.reason
        ) from None
    found = queries.scheduled_payment_for(account=account, scheduled_id=made.pk)
    assert found is not None
    return Status(200 if repeat else 201, scheduled_out(found))


@router.delete(
    "/payments/scheduled/{scheduled_id}",
    response={200: ScheduledPaymentOut, 403: ErrorOut, 404: ErrorOut, 409: InvalidInputOut},
    summary="Cancel a payment scheduled for a later day",
)
def cancel_scheduled(request: HttpRequest, scheduled_id: int, query: Query[PaymentQuery]) -> Any:
    """Cancel a payment still waiting for its day, as the web's payments page does;
    one already made or canceled answers 409 and stays as it was. Another account's
    scheduled payment answers 404."""
    membership = membership_asked(request, query.account)
    found = queries.scheduled_payment_for(account=membership.account, scheduled_id=scheduled_id)
    if found is None:
        raise Http404
    _payer(request, query.account)
    try:
        paying.cancel_scheduled_payment(scheduled=found, actor=signed_in_user(request))
    except PaymentError as refused:
        return conflict(refused.field, refused.reason)
    return scheduled_out(found)


@router.get(
    "/payments/{confirmation_number}",
    response={200: PaymentOut, 404: ErrorOut},
    summary="One payment",
)
def one_payment(
    request: HttpRequest, confirmation_number: str, query: Query[PaymentQuery]
) -> PaymentOut:
    """The payment with that confirmation number; another account's answers 404."""
    membership = membership_asked(request, query.account)
    found = queries.payment_for(account=membership.account, confirmation_number=confirmation_number)
    if found is None:
        raise Http404
    return payment_out(found)
