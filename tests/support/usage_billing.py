"""Usage as billing reads it: plan terms for data, cycle usage by hand (rating without a
database) and as ``UsageCycle`` rows (what the ingest leaves behind)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from dropline.billing.history import AccountHistory, DataTerm, UsageTerm
from dropline.catalog.models import Plan
from dropline.subscriptions.models import Subscription
from dropline.usage.models import GB, UsageCycle


def blocks_term(
    *, allowance_gb: int | None = 1200, block_gb: int = 50, block_cents: int = 1000,
    cap_cents: int | None = 10000,
) -> DataTerm:  # fmt: skip
    """$10.00 per 50 GB past 1.2 TB, at most $100.00 a cycle, unless told otherwise."""
    return DataTerm(
        allowance_gb=allowance_gb, block_gb=block_gb, block_cents=block_cents, cap_cents=cap_cents
    )


def by_the_gig_term(price: str = "14", *, allowance_gb: int | None = None) -> DataTerm:
    return DataTerm(allowance_gb=allowance_gb, price_per_gb=Decimal(price))


def used(
    subscription_id: int, start: dt.date, end: dt.date, *, gb: float = 0, bytes_: int = 0
) -> UsageTerm:
    return UsageTerm(
        subscription_id=subscription_id,
        cycle_start=start,
        cycle_end=end,
        billable_bytes=bytes_ or round(gb * GB),
    )


def with_usage(
    history: AccountHistory,
    *usage: UsageTerm,
    earlier_overages: tuple[dt.date, ...] = (),
    courtesy_months: int = 12,
) -> AccountHistory:
    return replace(
        history,
        usage=usage,
        earlier_overages=earlier_overages,
        usage_courtesy_months=courtesy_months,
    )


def overage_terms(plan: Plan, *, allowance_gb: int = 1200) -> Plan:
    """Give ``plan`` the demo's terms: $10.00 per 50 GB past ``allowance_gb``, at most
    $100.00 a cycle."""
    plan.data_allowance_gb = allowance_gb
    plan.overage_block_gb = 50
    plan.overage_block_cents = 1000
    plan.overage_cap_cents = 10000
    plan.save()
    return plan


def cycle_usage(
    subscription: Subscription,
    start: dt.date,
    end: dt.date,
    *,
    gb: float,
    credited_gb: float = 0,
) -> UsageCycle:
    """A cycle's usage as the ingest leaves it (written here directly, for billing tests):
    half in, half out."""
    total = round(gb * GB)
    return UsageCycle.objects.create(
        subscription=subscription,
        cycle_start=start,
        cycle_end=end,
        input_bytes=total // 2,
        output_bytes=total - total // 2,
        credited_bytes=round(credited_gb * GB),
    )
