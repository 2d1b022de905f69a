"""What a usage alert says: the values its templates fill in, in each recipient's language.

Amounts of data, dates and plan names are lazy: ``outbox.notify`` renders each
person's message in their language, and these are said in it too ("1.2 TB" / "1,2 TB",
"Dec. 3, 2026" / "3 de diciembre de 2026"). Templates are under
``notifications/templates/notifications/usage_*/``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dropline.catalog.models import Plan
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.cycles import Cycle
from dropline.usage import overage
from dropline.usage.amounts import data_amount, percent
from dropline.usage.models import GB, AlertKind

USAGE_PATH = "/usage/"  # the portal's usage page

EVENTS = {
    AlertKind.PERCENT_75: "usage_75",
    AlertKind.PERCENT_90: "usage_90",
    AlertKind.PERCENT_100: "usage_100",
    AlertKind.BLOCK: "usage_block",
    AlertKind.PROJECTED: "usage_projected",
}


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _plan_name(plan: Plan) -> str:
    return plan.localized_name(_language())


def _terms(plan: Plan) -> str:
    """What happens past the allowance, in one or two sentences ("" with no overage)."""
    if not plan.overage_block_gb or plan.overage_block_cents <= 0:
        return ""
    values = {
        "size": data_amount(plan.overage_block_gb * GB),
        "price": Money(plan.overage_block_cents, plan.currency).format(),
    }
    text = _("Past your allowance, extra data is billed in blocks of %(size)s at %(price)s each.")
    if plan.overage_cap_cents is not None:
        text += " " + _("We never charge more than %(cap)s a cycle for extra data.")
        values["cap"] = Money(plan.overage_cap_cents, plan.currency).format()
    return text % values


_lazy_amount = lazy(data_amount, str)
_lazy_date = lazy(display_date, str)
_lazy_plan_name = lazy(_plan_name, str)
_lazy_terms = lazy(_terms, str)


def block_charge(plan: Plan, blocks: int) -> Money:
    """What ``blocks`` extra blocks cost, capped."""
    cents, _capped = overage.blocks_cents(blocks, plan.overage_block_cents, plan.overage_cap_cents)
    return Money(cents, plan.currency)


def context(
    *,
    plan: Plan,
    cycle: Cycle,
    billable_bytes: int,
    allowance_bytes: int,
    block: int = 0,
    projected_bytes: int = 0,
) -> dict[str, Any]:
    """The values every usage template may use."""
    over = max(0, billable_bytes - allowance_bytes)
    return {
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "url": settings.DROPLINE_PUBLIC_URL.rstrip("/") + USAGE_PATH,
        "service": _lazy_plan_name(plan),
        "used": _lazy_amount(billable_bytes),
        "allowance": _lazy_amount(allowance_bytes),
        "percent": percent(billable_bytes, allowance_bytes),
        "ends": _lazy_date(cycle.end),
        "terms": _lazy_terms(plan),
        "over": _lazy_amount(over),
        "block": block,
        "block_size": _lazy_amount((plan.overage_block_gb or 0) * GB),
        "charged": block_charge(plan, block).format() if block else "",
        "projected": _lazy_amount(projected_bytes),
    }
