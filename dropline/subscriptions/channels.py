"""The channel finder: search the guide by name, call sign or number and answer, for each
channel, whether the account's TV package has it, which packages include it and the
cheapest change that adds it. Five queries at most, whatever the number of results.

"My package" is the account's active TV service's plan and its active add-ons. A plan
switch is priced as the new plan's price minus the current plan's contracted price; an
add-on at its own price. Without a TV service, a TV plan costs its whole price and
add-ons (which need a TV service) are not offered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from dropline.catalog.models import AddOn, Channel, Plan, ServiceKind
from dropline.core import clock
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionStatus

MAX_QUERY_LENGTH = 50
RESULT_LIMIT = 50
# The largest channel number the guide can hold (a small positive integer).
MAX_CHANNEL_NUMBER = 32767

PLAN = "plan"
ADD_ON = "add_on"


@dataclass(frozen=True)
class Package:
    """A TV plan or add-on that includes a channel."""

    kind: str
    code: str
    name: str
    monthly_price: Money
    is_mine: bool


@dataclass(frozen=True)
class Change:
    """A change that adds a channel, priced as the difference on the monthly bill."""

    kind: str
    code: str
    name: str
    monthly_difference: Money


@dataclass(frozen=True)
class ChannelMatch:
    number: int
    call_sign: str
    name: str
    genre: str
    genre_label: str
    in_my_package: bool
    packages: list[Package]
    changes: list[Change]

    @property
    def cheapest_change(self) -> Change | None:
        return self.changes[0] if self.changes and not self.in_my_package else None


@dataclass(frozen=True)
class ChannelSearch:
    query: str
    results: list[ChannelMatch] = field(default_factory=list)
    # More channels matched than are shown.
    truncated: bool = False
    # Why nothing was searched (empty or too long), in the reader's language.
    problem: str = ""
    has_tv: bool = False
    tv_plan_name: str = ""
    # The TV service a change would apply to, for a link to its preview.
    tv_subscription_id: int | None = None


@dataclass(frozen=True)
class _MyPackage:
    plan: Plan | None
    plan_price_cents: int
    add_on_ids: frozenset[int]
    subscription_id: int | None = None


def _my_package(account: CustomerAccount, today: dt.date) -> _MyPackage:
    sub = (
        Subscription.objects.filter(
            account=account, status=SubscriptionStatus.ACTIVE, plan__kind=ServiceKind.TV
        )
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "add_ons",
                queryset=SubscriptionAddOn.objects.filter(
                    Q(ended_on__isnull=True) | Q(ended_on__gt=today), started_on__lte=today
                ),
            )
        )
        .order_by("started_on", "id")
        .first()
    )
    if sub is None:
        return _MyPackage(plan=None, plan_price_cents=0, add_on_ids=frozenset())
    return _MyPackage(
        plan=sub.plan,
        plan_price_cents=sub.monthly_price_cents,
        add_on_ids=frozenset(item.add_on_id for item in sub.add_ons.all()),
        subscription_id=sub.pk,
    )


def _matching(query: str) -> Q | None:
    if query.isdigit():
        number = int(query)
        return Q(number=number) if number <= MAX_CHANNEL_NUMBER else None
    return Q(name__icontains=query) | Q(call_sign__icontains=query)


def _match(channel: Channel, *, mine: _MyPackage, currency: str, language: str) -> ChannelMatch:
    my_plan_id = mine.plan.pk if mine.plan else None
    plans = [p for p in channel.plans.all() if p.is_active or p.pk == my_plan_id]
    add_ons = [a for a in channel.add_ons.all() if a.is_active or a.pk in mine.add_on_ids]
    in_mine = any(p.pk == my_plan_id for p in plans) or any(
        a.pk in mine.add_on_ids for a in add_ons
    )
    packages = [
        Package(
            kind=PLAN,
            code=p.code,
            name=p.localized_name(language),
            monthly_price=Money(p.monthly_price_cents, p.currency),
            is_mine=p.pk == my_plan_id,
        )
        for p in plans
    ] + [
        Package(
            kind=ADD_ON,
            code=a.code,
            name=a.localized_name(language),
            monthly_price=Money(a.monthly_price_cents, a.currency),
            is_mine=a.pk in mine.add_on_ids,
        )
        for a in add_ons
    ]
    changes: list[Change] = []
    if not in_mine:
        changes = [
            Change(
                kind=PLAN,
                code=p.code,
                name=p.localized_name(language),
                monthly_difference=Money(p.monthly_price_cents - mine.plan_price_cents, currency),
            )
            for p in plans
            if p.is_active
        ]
        if mine.plan is not None:
            changes += [
                Change(
                    kind=ADD_ON,
                    code=a.code,
                    name=a.localized_name(language),
                    monthly_difference=Money(a.monthly_price_cents, currency),
                )
                for a in add_ons
                if a.is_active
            ]
        changes.sort(key=lambda c: (c.monthly_difference.amount_minor, c.kind != ADD_ON, c.name))
    return ChannelMatch(
        number=channel.number,
        call_sign=channel.call_sign,
        name=channel.name,
        genre=channel.genre,
        genre_label=channel.get_genre_display(),
        in_my_package=in_mine,
        packages=packages,
        changes=changes,
    )


def find_channels(*, account: CustomerAccount, query: str, language: str = "en") -> ChannelSearch:
    """Channels whose name or call sign contains ``query`` (any case), or whose number is
    ``query``, in guide order; at most ``RESULT_LIMIT`` of them."""
    query = " ".join(query.split())
    if not query:
        return ChannelSearch(query="", problem=_("Type a channel name, call sign or number."))
    if len(query) > MAX_QUERY_LENGTH:
        return ChannelSearch(
            query=query[:MAX_QUERY_LENGTH],
            problem=_("Search for at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH},
        )
    mine = _my_package(account, clock.today())
    condition = _matching(query)
    found: list[Channel] = []
    if condition is not None:
        found = list(
            Channel.objects.filter(condition)
            .order_by("number")
            .prefetch_related(
                Prefetch(
                    "plans",
                    queryset=Plan.objects.filter(kind=ServiceKind.TV).order_by(
                        "monthly_price_cents", "sort_order", "code"
                    ),
                ),
                Prefetch(
                    "add_ons",
                    queryset=AddOn.objects.filter(kind=ServiceKind.TV).order_by(
                        "monthly_price_cents", "code"
                    ),
                ),
            )[: RESULT_LIMIT + 1]
        )
    return ChannelSearch(
        query=query,
        results=[
            _match(channel, mine=mine, currency=account.currency, language=language)
            for channel in found[:RESULT_LIMIT]
        ],
        truncated=len(found) > RESULT_LIMIT,
        has_tv=mine.plan is not None,
        tv_plan_name=mine.plan.localized_name(language) if mine.plan else "",
        tv_subscription_id=mine.subscription_id,
    )
