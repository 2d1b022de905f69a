"""Placing and cancelling orders."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.core import audit, clock
from dropline.customers.models import AccountMember, CustomerAccount
from dropline.customers.permissions import can_change_services
from dropline.network.models import Equipment
from dropline.orders import notifying
from dropline.orders.changes import ADD_ADD_ON, CHANGE_PLAN, Change
from dropline.orders.effects import apply, undo
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order, OrderKind, OrderStatus
from dropline.orders.preview import compute
from dropline.subscriptions.models import Subscription, SubscriptionAddOn

_KINDS = {
    CHANGE_PLAN: OrderKind.PLAN_CHANGE,
    ADD_ADD_ON: OrderKind.ADD_ON_ADD,
}


def _allowed(user: Any, account: CustomerAccount, language: str) -> None:
    membership = AccountMember.objects.filter(account=account, user=user).first()
    if not can_change_services(membership):
        with translation.override(language):
            raise ChangeRefused(
                "account",
                _("Only the account holder can change services on this account."),
                "not_allowed",
            )


def _pending(language: str) -> ChangeRefused:
    with translation.override(language):
        return ChangeRefused(
            "service",
            _(
                "A change to this service is already waiting to take effect. Cancel it "
                "first to make another."
            ),
            "pending_change",
        )


def place_order(
    *,
    user: Any,
    account: CustomerAccount,
    change: Change,
    fingerprint: str | None,
    language: str,
    request: HttpRequest | None = None,
) -> Order:
    """Make ``change`` as the preview showed it: one transaction that locks the service,
    checks every rule again, refuses with ``preview_stale`` when the money or the dates
    differ from the preview ``fingerprint`` (when given), writes the dated change and the
    order, audits ``order.placed`` and tells the customer."""
    _allowed(user, account, language)
    today = clock.today()
    try:
        with transaction.atomic():
            # The service's row lock first: a second confirmation waits here, then finds
            # the first one's order.
            locked = Subscription.objects.select_for_update().filter(
                account=account, pk=change.subscription_id
            )
            list(locked.values_list("pk", flat=True))
            preview, resolved = compute(
                account=account, change=change, language=language, today=today, lock=True
            )
            if fingerprint is not None and fingerprint != preview.fingerprint:
                with translation.override(language):
                    raise ChangeRefused(
                        "fingerprint",
                        _(
                            "The price or the date of this change is no longer what you saw. "
                            "Look at the new preview and confirm again."
                        ),
                        "preview_stale",
                    )
            applied = apply(resolved=resolved, actor=user, request=request)
            now = clock.now()
            done = resolved.effective_on <= today
            order = Order.objects.create(
                account=account,
                subscription=resolved.subscription,
                kind=_KINDS.get(change.action, OrderKind.ADD_ON_REMOVE),
                from_plan=resolved.subscription.plan,
                to_plan=resolved.plan,
                add_on=resolved.add_on,
                effective_on=resolved.effective_on,
                status=OrderStatus.COMPLETED if done else OrderStatus.PENDING,
                monthly_before_cents=preview.monthly_before_cents,
                monthly_after_cents=preview.monthly_after_cents,
                currency=preview.currency,
                equipment_note=preview.equipment.sentence if preview.equipment else "",
                placed_by=user,
                placed_at=now,
                completed_at=now if done else None,
                new_subscription=applied.new_subscription,
                subscription_add_on=applied.subscription_add_on,
                new_equipment=applied.new_equipment,
                replaced_equipment=applied.replaced_equipment,
            )
            audit.record(
                action="order.placed",
                request=request,
                actor=user,
                target=order,
                account_number=account.number,
                data={
                    "order": order.pk,
                    "kind": order.kind,
                    "service": resolved.subscription.pk,
                    "plan": resolved.plan.code if resolved.plan else "",
                    "add_on": resolved.add_on.code if resolved.add_on else "",
                    "effective_on": order.effective_on.isoformat(),
                    "monthly_before_cents": order.monthly_before_cents,
                    "monthly_after_cents": order.monthly_after_cents,
                    "next_invoice_after_cents": preview.next_invoice_after_cents,
                },
            )
            notifying.tell(order, notifying.ORDER_CONFIRMED)
    except IntegrityError as error:  # the one-pending-order constraint: a race lost
        raise _pending(language) from error
    return order


def cancel_order(
    *, user: Any, account: CustomerAccount, order_id: int, request: HttpRequest | None = None
) -> Order:
    """Cancel a pending order before its date: the dated change leaves the history
    entirely. Audited as ``order.cancelled``; the customer is told."""
    language = account.preferred_language or "en"
    _allowed(user, account, language)
    today = clock.today()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .filter(account=account, pk=order_id)
            .select_related("subscription__plan", "to_plan", "add_on", "account")
            .first()
        )
        with translation.override(language):
            if order is None:
                raise ChangeRefused("order", _("There is no such order."), "no_order")
            if order.status != OrderStatus.PENDING or order.effective_on <= today:
                raise ChangeRefused(
                    "order",
                    _("This change has already taken effect or been canceled."),
                    "not_pending",
                )
        subscription = Subscription.objects.select_for_update().get(pk=order.subscription_id)
        undo(
            subscription=subscription,
            new_subscription=(
                Subscription.objects.get(pk=order.new_subscription_id)
                if order.new_subscription_id
                else None
            ),
            subscription_add_on=(
                SubscriptionAddOn.objects.get(pk=order.subscription_add_on_id)
                if order.subscription_add_on_id
                else None
            ),
            kind_is_add=order.kind == OrderKind.ADD_ON_ADD,
            new_equipment=(
                Equipment.objects.get(pk=order.new_equipment_id) if order.new_equipment_id else None
            ),
            replaced_equipment=(
                Equipment.objects.get(pk=order.replaced_equipment_id)
                if order.replaced_equipment_id
                else None
            ),
        )
        order.refresh_from_db(fields=["new_subscription", "subscription_add_on", "new_equipment"])
        order.status = OrderStatus.CANCELLED
        order.cancelled_by = user
        order.cancelled_at = clock.now()
        order.save(update_fields=["status", "cancelled_by", "cancelled_at"])
        audit.record(
            action="order.cancelled",
            request=request,
            actor=user,
            target=order,
            account_number=account.number,
            data={"order": order.pk, "kind": order.kind, "service": subscription.pk},
        )
        notifying.tell(order, notifying.ORDER_CANCELLED)
    return order
