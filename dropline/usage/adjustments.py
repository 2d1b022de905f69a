"""Goodwill credits of data from staff.

A credit lowers what a cycle bills and alerts on (billable = used - credited), never
the bytes counted: the meter and the bill both read ``UsageCycle.billable_bytes``. It
needs a reason, is positive, and all of a cycle's credits together are at most what
the cycle used. One transaction: the ``UsageAdjustment`` row, the cycle's
``credited_bytes`` and the audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.customers.cycles import cycle_starting_on
from dropline.subscriptions.models import Subscription
from dropline.usage.amounts import data_amount
from dropline.usage.errors import UsageError
from dropline.usage.models import UsageAdjustment, UsageCycle

REASON_MAX = 300


def _validated(credited_bytes: int, reason: str) -> str:
    if isinstance(credited_bytes, bool) or not isinstance(credited_bytes, int):
        raise UsageError(_("Enter the amount of data to credit."), field="credited_bytes")
    if credited_bytes <= 0:
        raise UsageError(_("Enter an amount of data greater than zero."), field="credited_bytes")
    reason = reason.strip()
    if not reason:
        raise UsageError(_("Say why, for the account's history."), field="reason")
    if len(reason) > REASON_MAX:
        raise UsageError(
            _("Keep the reason to %(count)d characters or fewer.") % {"count": REASON_MAX},
            field="reason",
        )
    return reason


def credit_data(
    *,
    subscription_id: int,
    cycle_start: dt.date,
    credited_bytes: int,
    reason: str,
    actor: User,
    ip: str | None,
) -> UsageAdjustment:
    """Credit ``credited_bytes`` of the cycle starting ``cycle_start`` to the service."""
    reason = _validated(credited_bytes, reason)
    subscription = Subscription.objects.select_related("account").filter(pk=subscription_id).first()
    if subscription is None:
        raise UsageError(_("Choose one of the account's services."), field="subscription_id")
    account = subscription.account
    cycle = cycle_starting_on(account.bill_cycle_day, cycle_start)
    if cycle is None or cycle.start > clock.today():
        raise UsageError(_("Choose a bill cycle of this service."), field="cycle_start")
    with transaction.atomic():
        row, _created = UsageCycle.objects.get_or_create(
            subscription=subscription, cycle_start=cycle.start, defaults={"cycle_end": cycle.end}
        )
        row = UsageCycle.objects.select_for_update().get(pk=row.pk)
        room = row.used_bytes - row.credited_bytes
        if credited_bytes > room:
            if room <= 0:
                message = _("Nothing is left to credit in this cycle.")
            else:
                message = _(
                    "Credit at most %(amount)s: what this cycle used, less earlier credits."
                )
                message %= {"amount": data_amount(room)}
            raise UsageError(message, field="credited_bytes")
        adjustment = UsageAdjustment.objects.create(
            subscription=subscription,
            cycle_start=cycle.start,
            credited_bytes=credited_bytes,
            reason=reason,
            created_by=actor,
            created_at=clock.now(),
        )
        UsageCycle.objects.filter(pk=row.pk).update(
            credited_bytes=F("credited_bytes") + credited_bytes
        )
        audit.record(
            action="usage.data_credited",
            actor=actor,
            target=adjustment,
            account_number=account.number,
            ip=ip,
            data={
                "subscription_id": subscription.pk,
                "cycle_start": cycle.start.isoformat(),
                "credited_bytes": credited_bytes,
                "reason": reason,
            },
        )
    return adjustment
