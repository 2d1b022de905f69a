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
    RECENT_RESTARTS_WINDOW,
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
    SpeedTestFacts,
)
from dropline.network.equipment_status import (
    UNKNOWN,
    EquipmentView,
    equipment_states,
    recent_restarts,
    signal_problems,
)
from dropline.network.models import ConnectionKind, Outage, OutageKind
from dropline.network.outages.queries import for_account
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


def _device(view: EquipmentView, now: dt.datetime) -> DeviceFacts:
    state = view.state
    problems = signal_problems(state.signal) if state is not None and state.signal else []
    restarts = 0
    if view.last_restart_at is not None and now - view.last_restart_at <= RECENT_RESTARTS_WINDOW:
        restarts = recent_restarts(
            equipment_ids=[view.equipment.pk], since=now - RECENT_RESTARTS_WINDOW
        )
    return DeviceFacts(
        equipment_id=view.equipment.pk,
        kind=view.kind,
        name=str(view.equipment.model),
        status=DeviceStatus(view.status),
        signal_problems=tuple(problems),
        restart_expected_at=view.restart.expected_at if view.restart is not None else None,
        restarts_recently=restarts,
        last_restart_at=view.last_restart_at,
    )


def _devices(account: CustomerAccount, now: dt.datetime) -> tuple[tuple[DeviceFacts, ...], bool]:
    """The account's devices with their live status (one device-management call), and
    whether device management told us anything: not when every device it manages came
    back unknown."""
    views = equipment_states(account=account)
    devices = tuple(_device(view, now) for view in views)
    managed = [view for view in views if view.equipment.device_id]
    available = not managed or any(view.status != UNKNOWN for view in managed)
    return devices, available


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
    devices, available = _devices(account, now)
    return Facts(
        now=now,
        account_status=account.status,
        services_suspended=_services_suspended(account),
        outages=current,
        devices=devices,
        device_management_available=available,
        speed_test=_speed_test(account),
        upcoming_maintenance=soon,
    )
