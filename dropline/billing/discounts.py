"""Account discounts: a monthly discount an account is given while something holds
(autopay with paperless bills), rated from its first day to its last like a bundle.

Billing knows the code and the amount, never the reason: the domain that decides (payments'
autopay) gives one from a date and ends it on a date, each in one transaction with its
audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from dropline.billing.models import AccountDiscount
from dropline.core import audit, clock
from dropline.customers.models import CustomerAccount


def give_account_discount(
    *,
    account: CustomerAccount,
    code: str,
    label: str,
    label_es: str,
    monthly_discount_cents: int,
    starts_on: dt.date,
    actor: Any = None,
) -> AccountDiscount | None:
    """Give ``account`` the discount ``code`` from ``starts_on`` (open-ended). One still
    running under the same code ends the day before; None when the amount is zero (the
    provider switched the discount off)."""
    if monthly_discount_cents < 0:
        raise ValueError("a discount is a positive amount")
    with transaction.atomic():
        _end(account=account, code=code, last_day=starts_on - dt.timedelta(days=1))
        if monthly_discount_cents == 0:
            return None
        discount = AccountDiscount.objects.create(
            account=account,
            code=code,
            label=label[:120],
            label_es=label_es[:120],
            monthly_discount_cents=monthly_discount_cents,
            starts_on=starts_on,
            created_at=clock.now(),
        )
        audit.record(
            action="billing.account_discount_given",
            actor=actor,
            target=discount,
            account_number=account.number,
            data={"code": code, "monthly_cents": monthly_discount_cents, "from": str(starts_on)},
        )
        return discount


def end_account_discount(
    *, account: CustomerAccount, code: str, last_day: dt.date, actor: Any = None
) -> int:
    """End ``account``'s discount ``code`` on ``last_day``; one that would only have
    started after it is removed (it was never billed). Returns how many were changed."""
    with transaction.atomic():
        changed = _end(account=account, code=code, last_day=last_day)
        if changed:
            audit.record(
                action="billing.account_discount_ended",
                actor=actor,
                account_number=account.number,
                data={"code": code, "last_day": str(last_day)},
            )
        return changed


def _end(*, account: CustomerAccount, code: str, last_day: dt.date) -> int:
    running = AccountDiscount.objects.select_for_update().filter(account=account, code=code)
    running = running.exclude(ends_on__lte=last_day)
    changed = 0
    for discount in running:
        if discount.starts_on > last_day:
            discount.delete()
        else:
            discount.ends_on = last_day
            discount.save(update_fields=["ends_on"])
        changed += 1
    return changed
