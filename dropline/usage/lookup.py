"""Staff reads of an account's usage: each internet or mobile service with its current
and past cycles (used, credited, billable, allowance), its recent sessions, and one
session's raw records. Every read is scoped to the account asked about: a session of
another account is not found.

A bounded number of queries whatever the account's size: the services, their cycles
(one query for all), and their recent sessions (one per service, on the
``(subscription, -updated_at)`` index).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from dropline.catalog.models import ServiceKind
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription, SubscriptionStatus
from dropline.usage.models import GB, UsageCycle, UsageRecord, UsageSession

METERED_KINDS = (ServiceKind.INTERNET, ServiceKind.MOBILE)
CYCLES_SHOWN = 13  # the current one and a year before it
SESSIONS_SHOWN = 10


@dataclass(frozen=True)
class CycleUsage:
    start: dt.date
    end: dt.date
    used_bytes: int
    credited_bytes: int
    allowance_bytes: int | None
    is_current: bool

    @property
    def billable_bytes(self) -> int:
        return max(0, self.used_bytes - self.credited_bytes)


@dataclass
class ServiceUsage:
    subscription: Subscription
    cycles: list[CycleUsage] = field(default_factory=list)
    sessions: list[UsageSession] = field(default_factory=list)

    @property
    def is_internet(self) -> bool:
        return self.subscription.plan.kind == ServiceKind.INTERNET

    @property
    def current(self) -> CycleUsage | None:
        return self.cycles[0] if self.cycles and self.cycles[0].is_current else None


def metered_services(account: CustomerAccount) -> QuerySet[Subscription]:
    """The account's internet and mobile services that are not canceled."""
    return (
        Subscription.objects.filter(account=account, plan__kind__in=METERED_KINDS)
        .exclude(status=SubscriptionStatus.CANCELLED)
        .select_related("plan")
        .order_by("plan__kind", "started_on", "pk")
    )


def has_metered_service(account: CustomerAccount) -> bool:
    return metered_services(account).exists()


def _allowance(subscription: Subscription) -> int | None:
    gb = subscription.plan.data_allowance_gb
    return gb * GB if gb is not None else None


def account_usage(
    *, account: CustomerAccount, today: dt.date, with_sessions: bool = True
) -> list[ServiceUsage]:
    """Each metered service, its cycles newest first (the current one even before any
    usage) and, unless told not to, its latest sessions."""
    current = cycle_containing(account.bill_cycle_day, today)
    services = [ServiceUsage(subscription=s) for s in metered_services(account)]
    by_id = {service.subscription.pk: service for service in services}
    rows = UsageCycle.objects.filter(
        subscription_id__in=by_id, cycle_start__lte=current.start
    ).order_by("subscription_id", "-cycle_start")
    for row in rows:
        service = by_id[row.subscription_id]
        if len(service.cycles) < CYCLES_SHOWN:
            service.cycles.append(_cycle_usage(row, service.subscription, current))
    for service in services:
        if not service.cycles or not service.cycles[0].is_current:
            empty = CycleUsage(
                start=current.start,
                end=current.end,
                used_bytes=0,
                credited_bytes=0,
                allowance_bytes=_allowance(service.subscription),
                is_current=True,
            )
            service.cycles.insert(0, empty)
            del service.cycles[CYCLES_SHOWN:]
        if with_sessions:
            service.sessions = list(
                UsageSession.objects.filter(subscription=service.subscription).order_by(
                    "-updated_at", "-pk"
                )[:SESSIONS_SHOWN]
            )
    return services


def _cycle_usage(row: UsageCycle, subscription: Subscription, current: Cycle) -> CycleUsage:
    return CycleUsage(
        start=row.cycle_start,
        end=row.cycle_end,
        used_bytes=row.used_bytes,
        credited_bytes=row.credited_bytes,
        allowance_bytes=_allowance(subscription),
        is_current=row.cycle_start == current.start,
    )


def session_of_account(*, account: CustomerAccount, session_id: int) -> UsageSession | None:
    """The session if it is one of the account's services' sessions; None otherwise."""
    return (
        UsageSession.objects.filter(pk=session_id, subscription__account=account)
        .select_related("subscription__plan")
        .first()
    )


def session_records(session: UsageSession) -> QuerySet[UsageRecord]:
    """The session's raw records, newest first (to be read a page at a time)."""
    return UsageRecord.objects.filter(session_key=session.key).order_by("-occurred_at", "-id")
