"""Suspending an account's services for an unpaid balance, and restoring them.

Suspension flags the account (``CustomerAccount.status``) and suspends each active
service (``Subscription.status``); restoring brings back exactly the services it
suspended (those marked suspended on an account flagged suspended). Each is one
transaction and one audit event; telling the customer is the caller's (dunning's).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dropline.core import audit, clock, read_models
from dropline.customers.models import AccountStatus, CustomerAccount
from dropline.subscriptions.models import Subscription, SubscriptionStatus


def suspend_services(*, account: CustomerAccount, reason: str, actor: Any = None) -> int:
    """Suspend ``account``'s active services and flag the account; returns how many
    services were suspended (0 when it already was, or has none active)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a suspension needs a reason")
    with transaction.atomic():
        locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        if locked.status not in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED):
            return 0
        if locked.status == AccountStatus.SUSPENDED:
            return 0
        count = Subscription.objects.filter(
            account=locked, status=SubscriptionStatus.ACTIVE
        ).update(status=SubscriptionStatus.SUSPENDED)
        locked.status = AccountStatus.SUSPENDED
        locked.save(update_fields=["status"])
        account.status = locked.status
        read_models.accounts_changed([locked.pk])
        audit.record(
            action="subscriptions.services_suspended",
            actor=actor,
            target=locked,
            account_number=locked.number,
            data={"reason": reason[:300], "services": count, "on": str(clock.today())},
        )
        return count


def restore_services(*, account: CustomerAccount, reason: str, actor: Any = None) -> int:
    """Restore the services of a suspended account and clear its flag; returns how many
    services came back (0 when the account was not suspended)."""
    with transaction.atomic():
        locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        if locked.status != AccountStatus.SUSPENDED:
            return 0
        count = Subscription.objects.filter(
            account=locked, status=SubscriptionStatus.SUSPENDED
        ).update(status=SubscriptionStatus.ACTIVE)
        locked.status = AccountStatus.ACTIVE
        locked.save(update_fields=["status"])
        account.status = locked.status
        read_models.accounts_changed([locked.pk])
        audit.record(
            action="subscriptions.services_restored",
            actor=actor,
            target=locked,
            account_number=locked.number,
            data={"reason": reason.strip()[:300], "services": count, "on": str(clock.today())},
        )
        return count
