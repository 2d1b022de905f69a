"""Reads of an account's data usage, for the customer's pages and the API.

Every function takes the account the signed-in person is looking at (chosen with
``customers.queries.membership_for`` or the API's ``membership_asked``), never an id
from the request: nothing of another account can be read through them. Each read is
a fixed number of queries whatever the number of services and days: the services,
their cycle totals, their days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from dropline.catalog.models import ServiceKind
from dropline.core import clock
from dropline.core.phones import display_phone
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.queries import CURRENT_STATUSES
from dropline.usage.meter import (
    CycleUsage,
    DayUsage,
    ExtraDataTerms,
    ServiceMeter,
    daily_series,
    history,
    history_cycles,
)
from dropline.usage.models import GB, UsageCycle, UsageDay
from dropline.usage.projection import project

METERED_KINDS = (ServiceKind.INTERNET, ServiceKind.MOBILE)


def _metered(account: CustomerAccount) -> list[Subscription]:
    found = Subscription.objects.filter(
        account=account, status__in=CURRENT_STATUSES, plan__kind__in=METERED_KINDS
    ).select_related("plan")
    return list(found.order_by("plan__kind", "started_on", "id"))


def _label(sub: Subscription, language: str) -> str:
    if sub.label:
        return sub.label
    if sub.plan.kind == ServiceKind.MOBILE and sub.phone_number:
        return display_phone(sub.phone_number)
    return sub.plan.localized_name(language)


def _cycle_totals(
    ids: list[int], *, since: dt.date, until: dt.date
) -> dict[int, list[tuple[dt.date, int]]]:
    """(cycle start, billable bytes) per subscription: one query."""
    rows = UsageCycle.objects.filter(
        subscription_id__in=ids, cycle_start__gte=since, cycle_start__lte=until
    ).values_list("subscription_id", "cycle_start", "input_bytes", "output_bytes", "credited_bytes")
    totals: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for sub_id, start, sent, received, credited in rows:
        totals[sub_id].append((start, max(0, sent + received - credited)))
    return totals


def _days(ids: list[int], cycle: Cycle) -> dict[int, dict[dt.date, int]]:
    """Bytes per day of the cycle per subscription: one query."""
    rows = UsageDay.objects.filter(
        subscription_id__in=ids, day__gte=cycle.start, day__lte=cycle.end
    ).values_list("subscription_id", "day", "input_bytes", "output_bytes")
    days: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for sub_id, day, sent, received in rows:
        days[sub_id][day] = sent + received
    return days


def _meters(
    subscriptions: Sequence[Subscription],
    *,
    account: CustomerAccount,
    language: str,
    with_days: bool,
    with_history: bool,
) -> list[ServiceMeter]:
    today = clock.today()
    now = clock.now()
    cycle = cycle_containing(account.bill_cycle_day, today)
    subs = [s for s in subscriptions if s.plan.kind in METERED_KINDS]
    if not subs:
        return []
    ids = [s.pk for s in subs]
    spans = {
        s.pk: history_cycles(cycle, started_on=s.started_on) if with_history else [cycle]
        for s in subs
    }
    since = min(spans[s.pk][0].start for s in subs)
    totals = _cycle_totals(ids, since=since, until=cycle.end)
    days = _days(ids, cycle) if with_days else {}
    meters = []
    for sub in subs:
        plan = sub.plan
        allowance = plan.data_allowance_gb * GB if plan.data_allowance_gb is not None else None
        cycles: list[CycleUsage] = history(
            totals.get(sub.pk, []), cycles=spans[sub.pk], allowance_bytes=allowance
        )
        used = cycles[-1].used_bytes
        daily: list[DayUsage] = (
            daily_series(days.get(sub.pk, {}), cycle=cycle, today=today) if with_days else []
        )
        meters.append(
            ServiceMeter(
                subscription_id=sub.pk,
                kind=plan.kind,
                kind_label=str(ServiceKind(plan.kind).label),
                label=_label(sub, language),
                plan_name=plan.localized_name(language),
                phone_number=sub.phone_number,
                used_bytes=used,
                allowance_bytes=allowance,
                cycle=cycle,
                today=today,
                projected_bytes=project(used, cycle, now),
                terms=ExtraDataTerms.of(plan),
                daily=daily,
                history=cycles if with_history else [],
            )
        )
    return meters


def account_usage(
    *,
    account: CustomerAccount,
    language: str,
    with_days: bool = True,
    with_history: bool = True,
) -> list[ServiceMeter]:
    """Every current internet service and mobile line of ``account`` with this cycle's
    use, and unless told not to its days and twelve cycles of history. Three queries
    (two without the days)."""
    return _meters(
        _metered(account),
        account=account,
        language=language,
        with_days=with_days,
        with_history=with_history,
    )


def cycle_meters(
    *, account: CustomerAccount, subscriptions: Sequence[Subscription], language: str
) -> list[ServiceMeter]:
    """This cycle's meter for the metered services among ``subscriptions`` (already read,
    with their plans, by the caller): one query, none without a metered service."""
    return _meters(
        subscriptions, account=account, language=language, with_days=False, with_history=False
    )
