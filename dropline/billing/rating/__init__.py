"""Rating: the one function that prices anything.

``rate(history, cycle)`` turns an account's dated history into the lines of the bill
for ``cycle``. It is pure (no database, no clock), deterministic, and works in
integer cents; bill runs, the forecast and the explainer all call it.

1. Recurring charges (services at their contracted price history, add-ons,
   equipment rentals) are billed in advance for the whole cycle. Whatever starts,
   ends or changes price inside the cycle is prorated by day, with its dates:
   ``monthly * days / cycle days``, rounded half-up once per line.
2. A promotion is its own negative discount line for the days it applies, split at
   its end date. A bundle is a negative discount line for the days the account has
   services of all its kinds, in advance and prorated like a service; on a day only
   the largest bundle the account qualifies for applies (never two), and never more
   than those services cost that day. An account discount (autopay and paperless) is
   the same for each day the account has a service billed, held to what the account's
   monthly items cost that day after the other discounts.
3. The cycle billed before (the latest invoice's period) is trued up: what the
   history now says it should have cost, minus what was billed for it, per item, as
   partial-month lines with dates (an add-on added mid-cycle, a plan change, a
   cancellation credit). The first invoice of an account opened during the cycle
   before also bills those days.
4. One-time charges and credits not yet billed are billed in arrears, and so is data:
   each service's use in the cycle before, past its allowance (``rating/usage.py``).
5. Taxes and fees in force on the cycle's first day, each its own line.
"""

from __future__ import annotations

from dropline.billing.history import AccountHistory
from dropline.billing.lines import RatedLine
from dropline.billing.rating.adjustments import adjustment_lines
from dropline.billing.rating.bundles import bundle_on
from dropline.billing.rating.ordering import group_order
from dropline.billing.rating.segments import MOBILE, PHONE, in_advance
from dropline.billing.rating.services import monthly_segments
from dropline.billing.rating.true_up import true_up_lines, true_up_period
from dropline.billing.rating.usage import usage_lines
from dropline.billing.taxes import tax_lines
from dropline.customers.cycles import Cycle

__all__ = ["RatedLine", "bundle_on", "rate", "true_up_period"]


def rate(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    """The lines of ``history``'s bill for ``cycle``, in the order they are shown."""
    segments = monthly_segments(history, cycle)
    charges = group_order(
        history,
        in_advance(segments, cycle) + true_up_lines(history, cycle) + usage_lines(history, cycle),
    )
    charges += adjustment_lines(history, cycle)
    services = {
        (segment.item.key, segment.item.category)
        for segment in segments
        if segment.item.key.startswith("sub:")
    }
    taxes = tax_lines(
        charges,
        history.tax_rates,
        on=cycle.start,
        mobile_lines=sum(1 for _key, category in services if category == MOBILE),
        phone_lines=sum(1 for _key, category in services if category == PHONE),
    )
    return charges + taxes
