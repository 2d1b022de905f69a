"""The usage a bill charges in arrears, read for many accounts in two queries: each
service's billable bytes in its account's cycle before the one billed, and the
cycles whose extra internet data earlier bills already charged or forgave (the
courtesy window)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.conf import settings

from dropline.billing.history.terms import UsageTerm
from dropline.billing.models import ChargeCategory, InvoiceLine, InvoiceStatus, LineKind
from dropline.core import bulk, clock
from dropline.core.dates import add_months
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.usage.billable import billable_usage

# The item key of a usage line: ``usage:<subscription id>``; its courtesy credit is
# ``usage-courtesy:<subscription id>``.
USAGE_PREFIX = "usage:"
COURTESY_PREFIX = "usage-courtesy:"


def courtesy_months() -> int:
    return int(settings.DROPLINE_USAGE_COURTESY_MONTHS)


def arrears_cycle(bill_cycle_day: int, cycle_start: dt.date | None) -> Cycle:
    """The cycle a bill charges usage for: the one before the cycle starting on
    ``cycle_start``; without it, the cycle in progress (the next bill's)."""
    if cycle_start is None:
        return cycle_containing(bill_cycle_day, clock.today())
    return cycle_containing(bill_cycle_day, cycle_start - dt.timedelta(days=1))


def load_usage(
    account_cycles: Mapping[int, Cycle], subscriptions: Sequence[tuple[int, int]]
) -> tuple[dict[int, list[UsageTerm]], dict[int, list[dt.date]]]:
    """For accounts mapped to the cycle their bill charges in arrears, and their
    ``(subscription id, account id)`` pairs: the usage per account, and the first days
    of the earlier cycles whose extra internet data was charged or forgiven."""
    wanted = {
        subscription_id: account_cycles[account_id].start
        for subscription_id, account_id in subscriptions
        if account_id in account_cycles
    }
    account_of = dict(subscriptions)
    usage: dict[int, list[UsageTerm]] = defaultdict(list)
    for found in billable_usage(wanted).values():
        usage[account_of[found.subscription_id]].append(
            UsageTerm(
                subscription_id=found.subscription_id,
                cycle_start=found.cycle_start,
                cycle_end=found.cycle_end,
                billable_bytes=found.billable_bytes,
            )
        )
    overages: dict[int, list[dt.date]] = defaultdict(list)
    months = courtesy_months()
    if months and account_cycles:
        since = add_months(min(cycle.start for cycle in account_cycles.values()), -months)
        rows = (
            InvoiceLine.objects.filter(
                invoice__account_id__in=bulk.many(sorted(account_cycles)),
                kind=LineKind.USAGE,
                category=ChargeCategory.INTERNET,
                item_key__startswith=USAGE_PREFIX,
                amount_cents__gt=0,
                period_start__gte=since,
            )
            .exclude(invoice__status=InvoiceStatus.VOID)
            .values_list("invoice__account_id", "period_start")
            .order_by("period_start")
            .distinct()
        )
        for account_id, period_start in rows:
            if period_start is not None:
                overages[account_id].append(period_start)
    return usage, overages
