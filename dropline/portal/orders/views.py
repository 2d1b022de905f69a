"""The account's orders: thin. ``orders.queries`` reads within the account being looked
at (another account's order answers 404), ``orders.placing.cancel_order`` cancels.

Anyone on the account sees the orders; only who ``can_change_services`` sees Cancel and
may post it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_change_services
from dropline.orders import placing
from dropline.orders.describe import order_words
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order
from dropline.orders.queries import order_for, orders_for
from dropline.portal.common import current_membership

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class OrderRow:
    order: Order
    words: str


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _row(order: Order) -> OrderRow:
    return OrderRow(order=order, words=order_words(order, _language()))


def _order(membership: AccountMember, order_id: int) -> Order:
    found = order_for(account=membership.account, order_id=order_id)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    return render(
        request,
        "portal/orders/history.html",
        {
            "membership": membership,
            "rows": [
                _row(found) for found in orders_for(account=membership.account, limit=HISTORY_LIMIT)
            ],
        },
    )


@login_required
@require_GET
def order(request: HttpRequest, order_id: int) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    return render(
        request,
        "portal/orders/order.html",
        {
            "membership": membership,
            "row": _row(_order(membership, order_id)),
            "may_change": can_change_services(membership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    """GET asks to confirm; POST cancels."""
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    found = _order(membership, order_id)
    if not can_change_services(membership):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request, "portal/orders/cancel.html", {"membership": membership, "row": _row(found)}
        )
    try:
        placing.cancel_order(
            user=request.user, account=membership.account, order_id=found.pk, request=request
        )
    except ChangeRefused as refusal:
        messages.error(request, refusal.reason)
    else:
        messages.success(request, _("Your change is canceled. Nothing about the service changes."))
    return redirect("orders:order", order_id=found.pk)
