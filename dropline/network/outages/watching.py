""" "Tell me when it's fixed": a person watches an outage or maintenance in their
account's area, once; they may stop. Watching one elsewhere, or one that is over, is
refused as if it did not exist (``Outage.DoesNotExist``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.network.models import Outage, OutageWatch
from dropline.network.outages.queries import outage_for_account


def watch(*, account: CustomerAccount, user: User, outage_id: int) -> OutageWatch:
    """Start watching (asking twice keeps the first); ``Outage.DoesNotExist`` for an
    outage not in ``account``'s area or over."""
    outage = outage_for_account(account=account, outage_id=outage_id)
    existing = OutageWatch.objects.filter(outage=outage, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return OutageWatch.objects.create(
                outage=outage, user=user, account=account, created_at=clock.now()
            )
    except IntegrityError:  # the same person asked twice at once
        return OutageWatch.objects.get(outage=outage, user=user)


def unwatch(*, account: CustomerAccount, user: User, outage_id: int) -> bool:
    """Stop watching; True if they were. ``Outage.DoesNotExist`` as for ``watch``."""
    outage: Outage = outage_for_account(account=account, outage_id=outage_id)
    with transaction.atomic():
        deleted, _ = OutageWatch.objects.filter(outage=outage, user=user).delete()
    return deleted > 0
