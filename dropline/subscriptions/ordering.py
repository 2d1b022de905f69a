"""Putting services on an account."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dropline.catalog.models import AddOn, Plan, Promotion
from dropline.core import clock, read_models
from dropline.core.dates import add_months
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionStatus


class OrderError(ValueError):
    """The service cannot be added as asked."""


def subscribe(
    *,
    account: CustomerAccount,
    plan: Plan,
    started_on: dt.date | None = None,
    promotion: Promotion | None = None,
    add_ons: list[AddOn] | None = None,
    phone_number: str = "",
    label: str = "",
    status: str = SubscriptionStatus.ACTIVE,
) -> Subscription:
    """Add ``plan`` at today's catalogue price; a promotion runs for its months from the start."""
    start = started_on or clock.today()
    if not plan.is_active:
        raise OrderError(f"{plan} is no longer on sale")
    if plan.currency != account.currency:
        raise OrderError(f"{plan} is priced in {plan.currency}, the account in {account.currency}")
    if promotion is not None and promotion.plan_id != plan.pk:
        raise OrderError(f"{promotion} does not apply to {plan}")
    for add_on in add_ons or []:
        if add_on.kind != plan.kind:
            raise OrderError(f"{add_on} cannot be added to {plan}")
    with transaction.atomic():
        read_models.accounts_changed([account.pk])
        subscription = Subscription.objects.create(
            account=account,
            plan=plan,
            status=status,
            monthly_price_cents=plan.monthly_price_cents,
            currency=plan.currency,
            promotion=promotion,
            promotion_ends_on=(
                add_months(start, promotion.duration_months) - dt.timedelta(days=1)
                if promotion is not None
                else None
            ),
            phone_number=phone_number,
            label=label,
            started_on=start,
        )
        SubscriptionAddOn.objects.bulk_create(
            SubscriptionAddOn(
                subscription=subscription,
                add_on=add_on,
                monthly_price_cents=add_on.monthly_price_cents,
                currency=add_on.currency,
                started_on=start,
            )
            for add_on in add_ons or []
        )
    return subscription
