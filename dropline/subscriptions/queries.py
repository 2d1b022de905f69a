"""What a customer has: services with their prices, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from dropline.catalog.models import AddOn
from dropline.core import clock
from dropline.core.money import Money
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


def service_for(*, account: CustomerAccount, subscription_id: int) -> Subscription | None:
    """One of the account's current services with its plan; another account's id, or a
    service that has ended, is simply not found. One query."""
    return (
        Subscription.objects.filter(
            pk=subscription_id, account=account, status__in=CURRENT_STATUSES
        )
        .select_related("plan")
        .first()
    )


@dataclass(frozen=True)
class AddOnChoice:
    """An add-on that suits a service: whether the service has it (and until when, if
    its removal is booked), or what it costs on sale."""

    code: str
    name: str
    monthly_price: Money
    has_it: bool
    ends_on: dt.date | None
    starts_on: dt.date | None


@dataclass(frozen=True)
class AddOnChoices:
    service: Subscription
    choices: list[AddOnChoice]

    @property
    def mine(self) -> list[AddOnChoice]:
        return [choice for choice in self.choices if choice.has_it]

    @property
    def on_sale(self) -> list[AddOnChoice]:
        return [choice for choice in self.choices if not choice.has_it]


def add_on_choices(
    *,
    account: CustomerAccount,
    subscription_id: int,
    language: str = "en",
    today: dt.date | None = None,
) -> AddOnChoices | None:
    """The add-ons a service has (at its contracted price) and those on sale for its kind
    of service (at the catalogue's), by name; None for a service that is not the
    account's. Three queries."""
    service = service_for(account=account, subscription_id=subscription_id)
    if service is None:
        return None
    day = today or clock.today()
    held = {
        item.add_on_id: item
        for item in SubscriptionAddOn.objects.filter(subscription=service)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("add_on")
    }
    on_sale = AddOn.objects.filter(kind=service.plan.kind, is_active=True).exclude(pk__in=held)
    choices = [
        AddOnChoice(
            code=item.add_on.code,
            name=item.add_on.localized_name(language),
            monthly_price=item.monthly_price,
            has_it=True,
            ends_on=item.ended_on,
            starts_on=item.started_on if item.started_on > day else None,
        )
        for item in held.values()
    ] + [
        AddOnChoice(
            code=add_on.code,
            name=add_on.localized_name(language),
            monthly_price=Money(add_on.monthly_price_cents, add_on.currency),
            has_it=False,
            ends_on=None,
            starts_on=None,
        )
        for add_on in on_sale
    ]
    choices.sort(key=lambda choice: (choice.name.casefold(), choice.code))
    return AddOnChoices(service=service, choices=choices)
