"""One-time charges and credits, billed in arrears."""

from __future__ import annotations

from dropline.billing.history import (
    AccountHistory,
)
from dropline.billing.lines import RatedLine
from dropline.billing.rating.segments import (
    CREDIT,
    CREDIT_ADJUSTMENT,
    ONE_TIME,
)
from dropline.customers.cycles import Cycle


def adjustment_lines(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    """Charges and credits not yet billed that happened by the bill's first day."""
    return [
        RatedLine(
            kind=CREDIT if adjustment.kind == CREDIT_ADJUSTMENT else ONE_TIME,
            category=adjustment.category,
            item_key=f"adj:{adjustment.id}",
            group_key="account",
            label=adjustment.description,
            label_es=adjustment.description_es or adjustment.description,
            period_start=adjustment.occurred_on,
            period_end=adjustment.occurred_on,
            quantity=1,
            amount_cents=(
                -adjustment.amount_cents
                if adjustment.kind == CREDIT_ADJUSTMENT
                else adjustment.amount_cents
            ),
            taxable=adjustment.taxable,
        )
        for adjustment in sorted(history.adjustments, key=lambda a: (a.occurred_on, a.id))
        if adjustment.occurred_on <= cycle.start
    ]
