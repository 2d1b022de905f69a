"""Changing services from the app: preview a plan or add-on change with its exact money,
place the order, cancel a pending one, list the history, read one. Thin: ``dropline.orders``
decides and prices (with the bill's own rating).

The account is the first of the caller's unless ``account`` names another of theirs; a
number that is not theirs answers 404, and so does another account's order or service.
Any member may read the history; previewing and changing need the holder (or an
authorized user the holder allowed): others get 403. A refusal answers 422 naming the
field and the rule (``code``); a change already waiting on the service, one made
meanwhile or a preview gone stale, 409.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dropline.accounts.requests import signed_in_user
from dropline.api.membership import membership_asked
from dropline.api.orders.schemas import (
    ChangeIn,
    EquipmentChangeOut,
    OrderDetailOut,
    OrderIn,
    OrderOut,
    OrdersOut,
    OrdersQuery,
    PreviewLineOut,
    PreviewOut,
    RefusedOut,
)
from dropline.api.schemas import AccountRefOut, ErrorOut, FieldErrorOut, MoneyOut
from dropline.billing.describe import describe_line
from dropline.billing.lines import RatedLine
from dropline.core import clock
from dropline.core.money import Money
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_change_services
from dropline.orders.changes import Change
from dropline.orders.describe import order_words
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order, OrderStatus
from dropline.orders.placing import cancel_order, place_order
from dropline.orders.preview import Preview, preview_change
from dropline.orders.queries import order_for, orders_for

router = Router(tags=["orders"])

# Refusals about the state of things rather than the input: a change already waiting,
# one that took effect meanwhile (two confirmations at once), a preview gone stale.
CONFLICTS = {"pending_change", "not_pending", "service_ended", "service_ending", "preview_stale"}
CHANGE_ANSWERS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: RefusedOut, 422: RefusedOut}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _account_ref(membership: AccountMember) -> AccountRefOut:
    account = membership.account
    return AccountRefOut(number=account.number, name=account.name, role=membership.role)


def _changer(request: HttpRequest, account: str | None) -> AccountMember:
    membership = membership_asked(request, account)
    if not can_change_services(membership):
        raise HttpError(403, _("Only the account holder can change services on this account."))
    return membership


def _refused(refused: ChangeRefused) -> Status:
    status = 409 if refused.code in CONFLICTS else 403 if refused.code == "not_allowed" else 422
    return Status(
        status,
        RefusedOut(
            detail=refused.reason,
            code=refused.code,
            errors=[FieldErrorOut(field=refused.field, reason=refused.reason)],
        ),
    )


def _line(line: RatedLine, currency: str, language: str) -> PreviewLineOut:
    return PreviewLineOut(
        kind=line.kind,
        category=line.category,
        description=describe_line(line, language),
        period_start=line.period_start,
        period_end=line.period_end,
        quantity=line.quantity,
        amount=MoneyOut.of(Money(line.amount_cents, currency)),
    )


def _preview_out(preview: Preview, membership: AccountMember) -> PreviewOut:
    currency = preview.currency
    language = preview.language

    def money(cents: int) -> MoneyOut:
        return MoneyOut.of(Money(cents, currency))

    equipment = preview.equipment
    return PreviewOut(
        account=_account_ref(membership),
        service=preview.change.subscription_id,
        service_label=preview.service_label,
        action=preview.change.action,
        plan=preview.change.plan_code,
        add_on=preview.change.add_on_code,
        from_name=preview.from_name,
        to_name=preview.to_name,
        effective_on=preview.effective_on,
        timing=preview.timing,
        is_upgrade=preview.is_upgrade,
        monthly_before=money(preview.monthly_before_cents),
        monthly_after=money(preview.monthly_after_cents),
        promotion_note=preview.promotion_note,
        proration_lines=[_line(line, currency, language) for line in preview.proration_lines],
        next_invoice_date=preview.next_invoice_date,
        next_invoice_before=money(preview.next_invoice_before_cents),
        next_invoice_after=money(preview.next_invoice_after_cents),
        next_invoice_lines=[_line(line, currency, language) for line in preview.next_invoice_lines],
        first_full_bill_date=preview.first_full_bill_date,
        first_full_bill=money(preview.first_full_bill_cents),
        equipment=(
            EquipmentChangeOut(
                model_code=equipment.model_code,
                model_name=equipment.model_name,
                delivery=equipment.delivery,
                monthly_rental=money(equipment.monthly_rental_cents),
                replaces=equipment.replaces_name,
                replaces_monthly_rental=money(equipment.replaces_rental_cents),
                sentence=equipment.sentence,
            )
            if equipment is not None
            else None
        ),
        fingerprint=preview.fingerprint,
    )


def _order_out(order: Order, language: str) -> OrderOut:
    return OrderOut(
        id=order.pk,
        kind=order.kind,
        status=order.status,
        service=order.subscription_id,
        new_service=order.new_subscription_id,
        from_plan=order.from_plan.code if order.from_plan else None,
        to_plan=order.to_plan.code if order.to_plan else None,
        add_on=order.add_on.code if order.add_on else None,
        description=order_words(order, language),
        effective_on=order.effective_on,
        monthly_before=MoneyOut.of(order.monthly_before),
        monthly_after=MoneyOut.of(order.monthly_after),
        equipment_note=order.equipment_note,
        placed_at=timezone.localtime(order.placed_at),
        completed_at=order.completed_at,
        cancelled_at=order.cancelled_at,
        can_cancel=order.status == OrderStatus.PENDING and order.effective_on > clock.today(),
    )


def _change(body: ChangeIn) -> Change:
    return Change(
        subscription_id=body.service,
        action=body.action,
        plan_code=body.plan,
        add_on_code=body.add_on,
    )


@router.post(
    "/orders/preview",
    response={200: PreviewOut, **CHANGE_ANSWERS},
    summary="Preview a plan or add-on change with its exact money",
)
def preview(request: HttpRequest, body: ChangeIn) -> Any:
    """The new monthly price, the prorated credit and charge with their dates, when the
    change takes effect, any equipment it needs, the next bill before and after, and
    the first bill fully on the new price. Nothing is changed. Send `fingerprint` with
    the order to be sure it is placed at this price."""
    membership = _changer(request, body.account)
    try:
        result = preview_change(
            account=membership.account, change=_change(body), language=_language()
        )
    except ChangeRefused as refused:
        return _refused(refused)
    return _preview_out(result, membership)


@router.post(
    "/orders",
    response={201: OrderOut, **CHANGE_ANSWERS},
    summary="Place an order for a plan or add-on change",
)
def place(request: HttpRequest, body: OrderIn) -> Any:
    """Make the change the preview showed. Upgrades and add-ons take effect now,
    downgrades and removals at the end of the bill cycle (as the provider set them)."""
    membership = _changer(request, body.account)
    try:
        order = place_order(
            user=signed_in_user(request),
            account=membership.account,
            change=_change(body),
            fingerprint=body.fingerprint,
            language=_language(),
            request=request,
        )
    except ChangeRefused as refused:
        return _refused(refused)
    return Status(201, _order_out(order, _language()))


@router.delete(
    "/orders/{order_id}",
    response={200: OrderOut, **CHANGE_ANSWERS},
    summary="Cancel a pending order",
)
def cancel(request: HttpRequest, order_id: int, query: Query[OrdersQuery]) -> Any:
    """Cancel a change still waiting for its date: the service stays as it was, and
    nothing of it reaches a bill. Another account's order answers 404."""
    membership = membership_asked(request, query.account)
    if order_for(account=membership.account, order_id=order_id) is None:
        raise Http404
    if not can_change_services(membership):
        raise HttpError(403, _("Only the account holder can change services on this account."))
    try:
        order = cancel_order(
            user=signed_in_user(request),
            account=membership.account,
            order_id=order_id,
            request=request,
        )
    except ChangeRefused as refused:
        return _refused(refused)
    found = order_for(account=membership.account, order_id=order.pk)
    assert found is not None
    return _order_out(found, _language())


@router.get(
    "/orders",
    response={200: OrdersOut, 404: ErrorOut},
    summary="The account's plan and add-on changes",
)
def history(request: HttpRequest, query: Query[OrdersQuery]) -> OrdersOut:
    """Every change placed on the account, newest first, pending ones cancellable."""
    membership = membership_asked(request, query.account)
    language = _language()
    return OrdersOut(
        account=_account_ref(membership),
        orders=[_order_out(order, language) for order in orders_for(account=membership.account)],
    )


@router.get(
    "/orders/{order_id}",
    response={200: OrderDetailOut, 404: ErrorOut},
    summary="One plan or add-on change",
)
def order(request: HttpRequest, order_id: int, query: Query[OrdersQuery]) -> OrderDetailOut:
    """The change as its web page shows it: what was ordered, its status, when it takes
    (or took) effect, the monthly price before and after, any equipment it needs, and
    whether the caller may cancel it. Any member of the account may read it; another
    account's order answers 404."""
    membership = membership_asked(request, query.account)
    found = order_for(account=membership.account, order_id=order_id)
    if found is None:
        raise Http404
    shown = _order_out(found, _language())
    return OrderDetailOut(
        **shown.model_dump(), may_cancel=shown.can_cancel and can_change_services(membership)
    )
