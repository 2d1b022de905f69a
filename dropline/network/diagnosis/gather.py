"""Reading what Dropline knows about one account's connection into ``Facts``.

Everything is read for the account given, which the caller has already scoped to the
signed-in person (``membership_for``); nothing here takes an id from a request. Each
source is read through its own module: the account and its services, the outages in
its area (``outages.queries``), its equipment and its live status, its latest speed
test (``speed_tests``).
"""

from __future__ import annotations

import datetime as dt

from dropline.catalog.models import ServiceKind
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.network.diagnosis.facts import (
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
    SpeedTestFacts,
)
from dropline.network.models import ConnectionKind, Outage, OutageKind
from dropline.network.outages.queries import for_account
from dropline.network.queries import equipment_for
from dropline.network.speed_tests import latest_for
from dropline.subscriptions.models import SubscriptionStatus

# Planned maintenance starting this soon is worth a word, even when all is well now.
UPCOMING_WITHIN = dt.timedelta(days=2)


def _services_suspended(account: CustomerAccount) -> bool:
    return account.subscriptions.filter(status=SubscriptionStatus.SUSPENDED).exists()


def _outage(outage: Outage, language: str) -> OutageFacts:
    kinds = outage.service_kinds or []
    return OutageFacts(
        outage_id=outage.pk,
        maintenance=outage.kind == OutageKind.MAINTENANCE,
        title=outage.title(language),
        starts_at=outage.starts_at,
        eta=outage.eta,
        affects_internet=not kinds or ServiceKind.INTERNET in kinds,
    )


def _outages(
    account: CustomerAccount, now: dt.datetime, language: str
) -> tuple[tuple[OutageFacts, ...], tuple[OutageFacts, ...]]:
    """What is on now in the account's area, and maintenance starting soon."""
    found = for_account(account=account, at=now)
    current = tuple(_outage(outage, language) for outage in found.current)
    soon = tuple(
        _outage(outage, language)
        for outage in found.upcoming
        if outage.starts_at - now <= UPCOMING_WITHIN
    )
    return current, soon


def _devices(account: CustomerAccount) -> tuple[DeviceFacts, ...]:
    return tuple(
        DeviceFacts(
            equipment_id=equipment.pk,
            kind=equipment.model.kind,
            name=str(equipment.model),
            status=DeviceStatus.UNKNOWN,
        )
        for equipment in equipment_for(account=account)
    )


def _speed_test(account: CustomerAccount) -> SpeedTestFacts | None:
    test = latest_for(account=account)
    if test is None:
        return None
    return SpeedTestFacts(
        ran_at=test.ran_at,
        download_kbps=test.download_kbps,
        upload_kbps=test.upload_kbps,
        plan_download_mbps=test.plan_download_mbps,
        on_wifi=test.connection == ConnectionKind.WIFI,
    )


def gather(*, account: CustomerAccount, language: str = "en") -> Facts:
    """What Dropline knows now about ``account``'s connection; outage titles in
    ``language``."""
    now = clock.now()
    current, soon = _outages(account, now, language)
    return Facts(
        now=now,
        account_status=account.status,
        services_suspended=_services_suspended(account),
        outages=current,
        devices=_devices(account),
        speed_test=_speed_test(account),
        upcoming_maintenance=soon,
    )
