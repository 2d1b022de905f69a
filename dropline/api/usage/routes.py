"""The customer's data usage, for the mobile app: this bill cycle per internet service
and mobile line (with its days and where it is heading), and twelve cycles of history.
The same reads as the web page (``dropline.usage.queries``).

The account is the first of the caller's (as `/me` lists them) unless ``account``
names another of theirs; a number that is not theirs answers 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, ErrorOut
from dropline.api.usage.schemas import (
    CycleOut,
    DayOut,
    HistoryOut,
    ServiceHistoryOut,
    ServiceUsageOut,
    UsageOut,
    UsageQuery,
)
from dropline.customers.models import AccountMember
from dropline.usage import queries
from dropline.usage.meter import ServiceMeter

router = Router(tags=["usage"])


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _ref(membership: AccountMember) -> AccountRefOut:
    account = membership.account
    return AccountRefOut(number=account.number, name=account.name, role=membership.role)


def _service(meter: ServiceMeter) -> ServiceUsageOut:
    return ServiceUsageOut(
        subscription_id=meter.subscription_id,
        kind=meter.kind,
        label=meter.label,
        plan_name=meter.plan_name,
        used_bytes=meter.used_bytes,
        allowance_bytes=meter.allowance_bytes,
        percent_used=meter.percent_used,
        cycle_start=meter.cycle.start,
        cycle_end=meter.cycle.end,
        days_left=meter.days_left,
        projected_bytes=meter.projected_bytes,
        projected_over_bytes=meter.projected_over_bytes,
        over_bytes=meter.over_bytes,
        overage_cents=meter.overage_cost.amount_minor,
        projected_overage_cents=meter.projected_overage_cost.amount_minor,
        currency=meter.terms.currency,
        daily=[DayOut(day=day.day, bytes=day.bytes) for day in meter.daily],
    )


@router.get("/usage", response={200: UsageOut, 404: ErrorOut}, summary="Data used this bill cycle")
def usage(request: HttpRequest, query: Query[UsageQuery]) -> UsageOut:
    """Per internet service and mobile line: data used this bill cycle against the
    allowance, the days left, where the cycle is heading and what extra data would
    cost, with every day of the cycle so far."""
    membership = membership_asked(request, query.account)
    meters = queries.account_usage(
        account=membership.account, language=_language(), with_history=False
    )
    return UsageOut(account=_ref(membership), services=[_service(meter) for meter in meters])


@router.get(
    "/usage/history",
    response={200: HistoryOut, 404: ErrorOut},
    summary="Data used in the last twelve bill cycles",
)
def history(request: HttpRequest, query: Query[UsageQuery]) -> HistoryOut:
    """Per internet service and mobile line: the data used in each of the last twelve
    bill cycles, the current one so far."""
    membership = membership_asked(request, query.account)
    meters = queries.account_usage(
        account=membership.account, language=_language(), with_days=False
    )
    return HistoryOut(
        account=_ref(membership),
        services=[
            ServiceHistoryOut(
                subscription_id=meter.subscription_id,
                kind=meter.kind,
                label=meter.label,
                cycles=[
                    CycleOut(
                        cycle_start=cycle.start,
                        cycle_end=cycle.end,
                        used_bytes=cycle.used_bytes,
                        allowance_bytes=cycle.allowance_bytes,
                        in_progress=cycle.in_progress,
                    )
                    for cycle in meter.history
                ],
            )
            for meter in meters
        ],
    )
