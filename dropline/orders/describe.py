"""An order in a few words, as the orders pages and the API name it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dropline.orders.models import Order, OrderKind


def order_words(order: Order, language: str) -> str:
    """What was ordered, in the active language, with the plans' and add-on's names in
    ``language``: "Plan change from Internet 500 to Internet Gig", "Add Static IP"."""
    if order.kind == OrderKind.PLAN_CHANGE and order.from_plan and order.to_plan:
        return _("Plan change from %(old)s to %(new)s") % {
            "old": order.from_plan.localized_name(language),
            "new": order.to_plan.localized_name(language),
        }
    name = order.add_on.localized_name(language) if order.add_on else ""
    if order.kind == OrderKind.ADD_ON_ADD:
        return _("Add %(name)s") % {"name": name}
    return _("Remove %(name)s") % {"name": name}
