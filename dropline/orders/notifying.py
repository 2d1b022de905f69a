"""Telling the customer about an order: confirmed, took effect, cancelled.

The sentences are lazy: each recipient's message is rendered in their language, so the
names of plans and add-ons and the dates are said in it too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dropline.catalog.models import AddOn, Plan
from dropline.core.formatting import display_date
from dropline.notifications.categories import Category
from dropline.notifications.outbox import notify
from dropline.orders.models import Order, OrderKind

ORDER_CONFIRMED = "order_confirmed"
ORDER_EFFECTIVE = "order_effective"
ORDER_CANCELLED = "order_cancelled"
ORDERS_PATH = "/orders/"


def _name(thing: Plan | AddOn | None) -> str:
    if thing is None:
        return ""
    return thing.localized_name((translation.get_language() or "en").split("-")[0])


def _sentence(order: Order, event: str) -> str:
    values = {
        "from": _name(order.from_plan),
        "to": _name(order.to_plan),
        "service": _name(order.subscription.plan),
        "add_on": _name(order.add_on),
        "date": display_date(order.effective_on),
        "price": order.monthly_after.format(),
    }
    kind = order.kind
    if event == ORDER_CONFIRMED:
        text = {
            OrderKind.PLAN_CHANGE: _(
                "Your change from %(from)s to %(to)s is confirmed and takes effect on %(date)s."
            ),
            OrderKind.ADD_ON_ADD: _(
                "Adding %(add_on)s to %(service)s is confirmed and takes effect on %(date)s."
            ),
            OrderKind.ADD_ON_REMOVE: _(
                "Removing %(add_on)s from %(service)s is confirmed and takes effect on %(date)s."
            ),
        }[OrderKind(kind)]
        text += " " + _("The service's regular monthly price becomes %(price)s.")
    elif event == ORDER_EFFECTIVE:
        text = {
            OrderKind.PLAN_CHANGE: _(
                "Your change from %(from)s to %(to)s took effect on %(date)s."
            ),
            OrderKind.ADD_ON_ADD: _("%(add_on)s is on %(service)s from %(date)s."),
            OrderKind.ADD_ON_REMOVE: _("%(add_on)s is no longer on %(service)s from %(date)s."),
        }[OrderKind(kind)]
    else:
        text = {
            OrderKind.PLAN_CHANGE: _(
                "Your change from %(from)s to %(to)s is canceled: your service stays as it is."
            ),
            OrderKind.ADD_ON_ADD: _(
                "Adding %(add_on)s to %(service)s is canceled: your service stays as it is."
            ),
            OrderKind.ADD_ON_REMOVE: _(
                "Removing %(add_on)s from %(service)s is canceled: your service stays as it is."
            ),
        }[OrderKind(kind)]
    return text % values


_lazy_sentence = lazy(_sentence, str)


def order_page(order: Order) -> str:
    """The order's page in the portal."""
    return f"{ORDERS_PATH}{order.pk}/"


def tell(order: Order, event: str) -> None:
    path = order_page(order)
    context: dict[str, Any] = {
        "sentence": _lazy_sentence(order, event),
        "equipment_note": order.equipment_note if event == ORDER_CONFIRMED else "",
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + path,
    }
    notify(
        event=event,
        category=Category.SERVICE,
        subject_key=f"order:{order.pk}",
        context=context,
        account=order.account,
        link=path,
    )
