"""Autopay from the app: read it, turn it on or change its method (PUT), turn it off
(DELETE). Thin: ``dropline.payments.autopay`` decides and says the cut-off.

The account is the first of the caller's unless ``account`` names another of theirs
(404 for any other). Changing needs someone who may pay the account's bills (403). A
refusal answers 422 naming the field, with a ``code`` (``method_removed``: not one of
the account's saved methods; ``not_enrolled``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dropline.api.autopay.schemas import (
    AutopayIn,
    AutopayMethodOut,
    AutopayOut,
    AutopayQuery,
    AutopayRefusedOut,
)
from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, ErrorOut, FieldErrorOut
from dropline.core.formatting import display_date
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_pay_bills
from dropline.payments import autopay, queries
from dropline.payments.errors import PaymentError

router = Router(tags=["autopay"])

ANSWERS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: AutopayRefusedOut}


def _refused(refused: PaymentError) -> Status:
    return Status(
        422,
        AutopayRefusedOut(
            detail=refused.reason,
            code=refused.code,
            errors=[FieldErrorOut(field=refused.field, reason=refused.reason)],
        ),
    )


def _payer(request: HttpRequest, account: str | None) -> AccountMember:
    membership = membership_asked(request, account)
    if not can_pay_bills(membership):
        raise HttpError(403, _("Only someone who may pay this account's bills can do this."))
    return membership


def _message(state: autopay.AutopayState) -> str:
    if state.enrolled and state.starts_with_due_on is not None:
        return _("Autopay starts with your bill due on %(date)s.") % {
            "date": display_date(state.starts_with_due_on)
        }
    if state.enrolled:
        return _("Autopay is on.")
    if state.still_charged_on is not None:
        return _("Your bill due on %(date)s will still be charged.") % {
            "date": display_date(state.still_charged_on)
        }
    return _("Autopay is off.")


def _out(membership: AccountMember) -> AutopayOut:
    account = membership.account
    state = autopay.state_for(account=account)
    method = state.method
    return AutopayOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        enrolled=state.enrolled,
        payment_method=(
            AutopayMethodOut(id=method.pk, kind=method.kind, brand=method.brand, last4=method.last4)
            if method is not None
            else None
        ),
        next_charge_on=state.next_charge_on,
        next_charge_cents=state.next_charge_cents,
        starts_with_due_on=state.starts_with_due_on,
        still_charged_on=state.still_charged_on,
        discount_cents=state.discount_cents,
        discount_from=state.discount_from,
        currency=state.currency,
        message=_message(state),
    )


@router.get("/autopay", response={200: AutopayOut, 404: ErrorOut}, summary="The account's autopay")
def read(request: HttpRequest, query: Query[AutopayQuery]) -> AutopayOut:
    """Whether autopay is on, with which method, and when and how much it charges next."""
    return _out(membership_asked(request, query.account))


@router.put(
    "/autopay",
    response={200: AutopayOut, **ANSWERS},
    summary="Turn autopay on, or change the method it pays with",
)
def put(request: HttpRequest, body: AutopayIn, query: Query[AutopayQuery]) -> Any:
    """Enrolling fewer business days than the cut-off before a due date starts with the
    bill after (`starts_with_due_on`); the discount starts with the next bill."""
    membership = _payer(request, query.account)
    account = membership.account
    method = queries.method_for(account=account, method_id=body.payment_method_id)
    try:
        if method is None:
            raise PaymentError(
                "payment_method_id",
                _("Choose one of your saved payment methods."),
                "method_removed",
            )
        if autopay.enrolment_for(account=account) is None:
            autopay.enrol(account=account, method=method, actor=request.user)
        else:
            autopay.change_method(account=account, method=method, actor=request.user)
    except PaymentError as refused:
        return _refused(refused)
    return _out(membership)


@router.delete("/autopay", response={200: AutopayOut, **ANSWERS}, summary="Turn autopay off")
def delete(request: HttpRequest, query: Query[AutopayQuery]) -> Any:
    """A bill due inside the cut-off is still charged (`still_charged_on`)."""
    membership = _payer(request, query.account)
    try:
        autopay.cancel(account=membership.account, actor=request.user)
    except PaymentError as refused:
        return _refused(refused)
    return _out(membership)
