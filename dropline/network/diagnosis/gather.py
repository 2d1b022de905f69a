"""Reading what Dropline knows about one account's connection into ``Facts``.

Everything is read for the account given, which the caller has already scoped to the
signed-in person (``membership_for``); nothing here takes an id from a request.
"""

from __future__ import annotations

from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.network.diagnosis.facts import DeviceFacts, DeviceStatus, Facts
from dropline.network.queries import equipment_for
from dropline.subscriptions.models import SubscriptionStatus


def _services_suspended(account: CustomerAccount) -> bool:
    return account.subscriptions.filter(status=SubscriptionStatus.SUSPENDED).exists()


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


def gather(*, account: CustomerAccount, language: str = "en") -> Facts:
    """What Dropline knows now about ``account``'s connection; outage titles in
    ``language``."""
    return Facts(
        now=clock.now(),
        account_status=account.status,
        services_suspended=_services_suspended(account),
        devices=_devices(account),
    )
