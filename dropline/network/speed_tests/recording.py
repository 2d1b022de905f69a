"""Recording a speed test: the figures checked against sensible bounds, the plan's
speeds taken from the account's internet service at the time, one row.

A result comes from a browser running the portal's own test or from an app that
measured elsewhere; either way it is what the customer's device reported, so every
figure is bounded: nobody's connection has a delay of more than ten seconds, or moves
more than 10 Gbps, and a test runs a few streams at most.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.catalog.models import ServiceKind
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.network.models import ConnectionKind, SpeedTest
from dropline.network.speed_tests.errors import SpeedTestError
from dropline.subscriptions.models import Subscription, SubscriptionStatus
from dropline.subscriptions.queries import CURRENT_STATUSES

MAX_LATENCY_MS = 10_000
MAX_JITTER_MS = 10_000
MAX_KBPS = 10_000_000  # 10 Gbps
MAX_STREAMS = 16


@dataclass(frozen=True)
class PlanSpeeds:
    """The speeds the account's internet plan promises, and the service they are of."""

    subscription: Subscription | None
    download_mbps: int | None
    upload_mbps: int | None

    @property
    def known(self) -> bool:
        return bool(self.download_mbps or self.upload_mbps)


NO_PLAN = PlanSpeeds(subscription=None, download_mbps=None, upload_mbps=None)


def plan_speeds(*, account: CustomerAccount) -> PlanSpeeds:
    """The account's internet service (active first, then the oldest) and its plan's
    speeds; none if the account has no internet service. One query."""
    services = Subscription.objects.filter(
        account=account, status__in=CURRENT_STATUSES, plan__kind=ServiceKind.INTERNET
    ).select_related("plan")
    found = sorted(
        services,
        key=lambda s: (s.status != SubscriptionStatus.ACTIVE, s.started_on, s.pk),
    )
    if not found:
        return NO_PLAN
    service = found[0]
    return PlanSpeeds(
        subscription=service,
        download_mbps=service.plan.download_mbps,
        upload_mbps=service.plan.upload_mbps,
    )


def _whole(field: str, value: object, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpeedTestError(field, _("Give a whole number."))
    if value < low or value > high:
        raise SpeedTestError(
            field, _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return value


def check_figures(
    *,
    latency_ms: object,
    jitter_ms: object,
    download_kbps: object,
    upload_kbps: object,
    streams: object,
    connection: object,
) -> None:
    """Raise ``SpeedTestError`` naming the first figure out of bounds."""
    _whole("latency_ms", latency_ms, low=0, high=MAX_LATENCY_MS)
    _whole("jitter_ms", jitter_ms, low=0, high=MAX_JITTER_MS)
    _whole("download_kbps", download_kbps, low=0, high=MAX_KBPS)
    _whole("upload_kbps", upload_kbps, low=0, high=MAX_KBPS)
    _whole("streams", streams, low=1, high=MAX_STREAMS)
    if connection not in ConnectionKind.values:
        raise SpeedTestError(
            "connection", _("Choose Wi-Fi, wired or not sure (wifi, wired or unknown).")
        )


def record_speed_test(
    *,
    account: CustomerAccount,
    user: User | None,
    latency_ms: int,
    jitter_ms: int,
    download_kbps: int,
    upload_kbps: int,
    streams: int,
    connection: str = ConnectionKind.UNKNOWN,
    ran_at: dt.datetime | None = None,
) -> SpeedTest:
    """Record one test of ``account``'s connection with its plan's speeds as they are
    now; raises ``SpeedTestError`` for a figure out of bounds, writing nothing."""
    check_figures(
        latency_ms=latency_ms,
        jitter_ms=jitter_ms,
        download_kbps=download_kbps,
        upload_kbps=upload_kbps,
        streams=streams,
        connection=connection,
    )
    with transaction.atomic():
        plan = plan_speeds(account=account)
        return SpeedTest.objects.create(
            account=account,
            subscription=plan.subscription,
            user=user,
            ran_at=ran_at or clock.now(),
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            download_kbps=download_kbps,
            upload_kbps=upload_kbps,
            streams=streams,
            connection=connection,
            plan_download_mbps=plan.download_mbps,
            plan_upload_mbps=plan.upload_mbps,
        )
