"""What a customer has: services with their prices, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionStatus

CURRENT_STATUSES = (
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PENDING,
    SubscriptionStatus.SUSPENDED,
)


def current_services(*, account: CustomerAccount) -> QuerySet[Subscription]:
    """The account's services that are not cancelled, with plan, promotion and add-ons.

    Two queries whatever the number of services.
    """
    return (
        Subscription.objects.filter(account=account, status__in=CURRENT_STATUSES)
        .select_related("plan", "promotion")
        .prefetch_related(
            Prefetch(
                "add_ons",
                queryset=SubscriptionAddOn.objects.select_related("add_on").order_by("id"),
            )
        )
        .order_by("plan__kind", "started_on", "id")
    )


def promotion_ending_within(subscription: Subscription, *, today: dt.date, days: int) -> bool:
    ends = subscription.promotion_ends_on
    return subscription.promotion_active(today) and ends is not None and (ends - today).days <= days
