"""Saved payment methods from the app. Thin: ``dropline.payments.methods`` decides.

The account is the first of the caller's unless ``account`` names another of theirs; a
number that is not theirs answers 404, and so does another account's method. Any member
may read; adding, removing and choosing the default need the sign-in confirmed
recently (401 with allauth's re-authentication flows otherwise). Card and bank numbers
never come here: the app collects them at the gateway and sends its token.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from dropline.accounts.requests import signed_in_user
from dropline.api.headless import require_recent_authentication
from dropline.api.membership import membership_asked
from dropline.api.payment_methods.schemas import (
    MethodIn,
    MethodOut,
    MethodRefusedOut,
    MethodsOut,
    MethodsQuery,
    SetupOut,
)
from dropline.api.schemas import AllauthAuthenticationOut, ErrorOut, FieldErrorOut
from dropline.payments import methods, queries
from dropline.payments.errors import PaymentError
from dropline.payments.gateways import get_gateway
from dropline.payments.models import PaymentMethod

router = Router(tags=["payment methods"])

CHANGE_ANSWERS: dict[int, Any] = {
    401: AllauthAuthenticationOut,
    404: ErrorOut,
    422: MethodRefusedOut,
}


def method_out(method: PaymentMethod) -> MethodOut:
    return MethodOut(
        id=method.pk,
        kind=method.kind,
        brand=method.brand,
        last4=method.last4,
        exp_month=method.exp_month,
        exp_year=method.exp_year,
        holder_name=method.holder_name,
        is_default=method.is_default,
        gateway=method.gateway,
    )


def refused(error: PaymentError) -> Status[MethodRefusedOut]:
    return Status(
        422,
        MethodRefusedOut(
            detail=error.reason,
            code=error.code,
            errors=[FieldErrorOut(field=error.field, reason=error.reason)],
        ),
    )


@router.get(
    "/payment-methods",
    response={200: MethodsOut, 404: ErrorOut},
    summary="Saved payment methods",
)
def list_methods(request: HttpRequest, query: Query[MethodsQuery]) -> MethodsOut:
    """The account's saved cards and bank accounts, the default first."""
    membership = membership_asked(request, query.account)
    return MethodsOut(
        items=[method_out(m) for m in queries.methods_for(account=membership.account)]
    )


@router.post(
    "/payment-methods/setup",
    response={200: SetupOut, **CHANGE_ANSWERS},
    summary="Start collecting a payment method at the gateway",
)
def setup(request: HttpRequest, query: Query[MethodsQuery]) -> SetupOut:
    """What the app needs to collect a card or bank account at the gateway (Stripe's
    SetupIntent secret and publishable key); the gateway then gives the app a token."""
    membership = membership_asked(request, query.account)
    require_recent_authentication(request)
    started = methods.start_setup(account=membership.account)
    return SetupOut(
        gateway=get_gateway().name,
        client_secret=started.client_secret,
        publishable_key=started.publishable_key,
    )


@router.post(
    "/payment-methods",
    response={201: MethodOut, **CHANGE_ANSWERS},
    summary="Save a payment method",
)
def add(request: HttpRequest, body: MethodIn) -> Any:
    """Save the method the gateway tokenised (`token`); the account's first method, or
    one sent with `make_default`, becomes the default."""
    membership = membership_asked(request, body.account)
    require_recent_authentication(request)
    try:
        method = methods.add_method(
            account=membership.account,
            token=body.token,
            actor=signed_in_user(request),
            make_default=body.make_default,
        )
    except PaymentError as error:
        return refused(error)
    return Status(201, method_out(method))


def _method(request: HttpRequest, account: str | None, method_id: int) -> PaymentMethod:
    membership = membership_asked(request, account)
    found = queries.method_for(account=membership.account, method_id=method_id)
    if found is None:
        raise Http404
    return found


@router.delete(
    "/payment-methods/{method_id}",
    response={204: None, **CHANGE_ANSWERS},
    summary="Remove a saved payment method",
)
def remove(request: HttpRequest, method_id: int, query: Query[MethodsQuery]) -> Any:
    """Remove the method (payments made with it keep it); if it was the default, the
    newest remaining one becomes the default. Another account's method answers 404."""
    method = _method(request, query.account, method_id)
    require_recent_authentication(request)
    try:
        methods.remove_method(method=method, actor=signed_in_user(request))
    except PaymentError as error:
        return refused(error)
    return Status(204, None)


@router.post(
    "/payment-methods/{method_id}/default",
    response={200: MethodOut, **CHANGE_ANSWERS},
    summary="Make a payment method the default",
)
def choose_default(request: HttpRequest, method_id: int, query: Query[MethodsQuery]) -> Any:
    """Payments and autopay use the default method unless told otherwise."""
    method = _method(request, query.account, method_id)
    require_recent_authentication(request)
    try:
        methods.make_default(method=method, actor=signed_in_user(request))
    except PaymentError as error:
        return refused(error)
    return method_out(method)
