"""Paying from the app. Thin: ``dropline.payments.paying`` decides.

The account is the first of the caller's unless ``account`` names another of theirs; a
number that is not theirs answers 404, and so does another account's payment.
``POST /payments`` needs an ``Idempotency-Key`` header: the first request answers 201,
a repeat of the key answers 200 with the same body (nothing is charged again), a
request still running under the key 409, and the key with another amount or method
422 (``key_reused``). A refusal answers 422 naming the field and the rule; an amount
over what is owed says the most that may be paid. A declined card is still a payment
(201, ``failed``): it reached the gateway.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status
from ninja.errors import HttpError

from dropline.accounts.requests import signed_in_user
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
)
from dropline.api.schemas import ErrorOut, FieldErrorOut
from dropline.core.pagination import InvalidCursorError, decode_cursor
from dropline.customers.permissions import can_pay_bills
from dropline.payments import queries
from dropline.payments.errors import PaymentError, PaymentInProgressError
from dropline.payments.models import Payment, PaymentSource
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
