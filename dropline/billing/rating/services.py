"""Every monthly item's days inside a period: services at their contracted prices,
their promotions, add-ons and rentals, then the bundle and the account discounts."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext

from dropline.billing.history import (
    AccountHistory,
    EquipmentRental,
    SubscriptionTerm,
)
from dropline.billing.rating.account_discounts import account_discount_segments
from dropline.billing.rating.bundles import bundle_segments
from dropline.billing.rating.ordering import services_order
from dropline.billing.rating.segments import (
    DISCOUNT,
    ONE_DAY,
    RECURRING,
    Item,
    Segment,
    clip,
)
from dropline.core.formatting import display_date
from dropline.customers.cycles import Cycle


def _price_spans(
    subscription: SubscriptionTerm, days: tuple[dt.date, dt.date]
) -> list[tuple[dt.date, dt.date, int]]:
    """The days of ``days`` at each contracted price, equal neighbours merged."""
    prices = sorted(subscription.prices)
    spans: list[tuple[dt.date, dt.date, int]] = []
    for index, (effective_on, cents) in enumerate(prices):
        begins = subscription.started_on if index == 0 else effective_on
        ends = prices[index + 1][0] - ONE_DAY if index + 1 < len(prices) else None
        clipped = clip(begins, ends, days)
        if clipped is None:
            continue
        if spans and spans[-1][2] == cents and spans[-1][1] + ONE_DAY == clipped[0]:
            spans[-1] = (spans[-1][0], clipped[1], cents)
        else:
            spans.append((clipped[0], clipped[1], cents))
    return spans


@functools.lru_cache(maxsize=4096)
def _promotion_label(name: str, ends_on: dt.date, language: str) -> str:
    """``Spring offer, until March 20, 2026``: the discount line says when it ends.
    Cached: a bill run meets the same few promotions and end dates again and again."""
    with translation.override(language):
        return gettext("%(promotion)s, until %(date)s") % {
            "promotion": name,
            "date": display_date(ends_on),
        }


def monthly_segments(history: AccountHistory, period: Cycle) -> list[Segment]:
    """Every monthly item's days inside ``period``, in the order they are shown."""
    window = (period.start, period.end)
    segments: list[Segment] = []
    add_ons_by_service = defaultdict(list)
    for add_on in history.add_ons:
        add_ons_by_service[add_on.subscription_id].append(add_on)
    equipment_by_service = defaultdict(list)
    known = {subscription.id for subscription in history.subscriptions}
    for rental in history.equipment:
        owner = rental.subscription_id if rental.subscription_id in known else None
        equipment_by_service[owner].append(rental)

    for subscription in sorted(history.subscriptions, key=services_order):
        group = subscription.item_key
        active = clip(subscription.started_on, subscription.last_day, window)
        spans = _price_spans(subscription, active) if active else []
        service = Item(
            key=subscription.item_key,
            kind=RECURRING,
            category=subscription.kind,
            group_key=group,
            label=subscription.label,
            label_es=subscription.label_es,
        )
        segments.extend(Segment(service, start, end, cents) for start, end, cents in spans)
        promotion = subscription.promotion
        if promotion is not None:
            discount = Item(
                key=f"promo:{subscription.id}",
                kind=DISCOUNT,
                category=subscription.kind,
                group_key=group,
                label=_promotion_label(promotion.label, promotion.ends_on, "en"),
                label_es=_promotion_label(promotion.label_es, promotion.ends_on, "es"),
            )
            for start, end, cents in spans:
                days = clip(start, promotion.ends_on, (start, end))
                off = promotion.monthly_price_cents - cents
                if days is not None and off < 0:
                    segments.append(Segment(discount, days[0], days[1], off))
        for add_on in sorted(add_ons_by_service[subscription.id], key=lambda a: a.id):
            days = clip(add_on.started_on, add_on.ended_on, active)
            if days is None or add_on.monthly_price_cents == 0:
                continue
            item = Item(
                key=add_on.item_key,
                kind=RECURRING,
                category=add_on.category,
                group_key=group,
                label=add_on.label,
                label_es=add_on.label_es,
            )
            segments.append(Segment(item, days[0], days[1], add_on.monthly_price_cents))
        segments.extend(rental_segments(equipment_by_service[subscription.id], group, window))
    segments.extend(bundle_segments(history, period, segments))
    segments.extend(rental_segments(equipment_by_service[None], "account", window))
    segments.extend(account_discount_segments(history, period, segments))
    return segments


def rental_segments(
    rentals: Iterable[EquipmentRental], group: str, window: tuple[dt.date, dt.date]
) -> list[Segment]:
    segments = []
    for rental in sorted(rentals, key=lambda r: r.id):
        if not rental.is_rental or rental.monthly_rental_cents == 0 or not rental.installed_on:
            continue
        days = clip(rental.installed_on, rental.returned_on, window)
        if days is None:
            continue
        item = Item(
            key=rental.item_key,
            kind=RECURRING,
            category=rental.category,
            group_key=group,
            label=rental.label,
            label_es=rental.label,
        )
        segments.append(Segment(item, days[0], days[1], rental.monthly_rental_cents))
    return segments
