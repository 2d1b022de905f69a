"""Rating: the one function that prices anything.

``rate(history, cycle)`` turns an account's dated history into the lines of the bill
for ``cycle``. It is pure (no database, no clock), deterministic, and works in
integer cents; bill runs, the forecast and the explainer all call it.

1. Recurring charges (services at their contracted price history, add-ons,
   equipment rentals) are billed in advance for the whole cycle. Whatever starts,
   ends or changes price inside the cycle is prorated by day, with its dates:
   ``monthly * days / cycle days``, rounded half-up once per line.
2. A promotion is its own negative discount line for the days it applies, split at
   its end date. A bundle is a negative discount line for the days the account has
   services of all its kinds, in advance and prorated like a service; on a day only
   the largest bundle the account qualifies for applies (never two), and never more
   than those services cost that day. An account discount (autopay and paperless) is
   the same for each day the account has a service billed, held to what the account's
   monthly items cost that day after the other discounts.
3. The cycle billed before (the latest invoice's period) is trued up: what the
   history now says it should have cost, minus what was billed for it, per item, as
   partial-month lines with dates (an add-on added mid-cycle, a plan change, a
   cancellation credit). The first invoice of an account opened during the cycle
   before also bills those days.
4. One-time charges and credits not yet billed are billed in arrears.
5. Taxes and fees in force on the cycle's first day, each its own line.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise

from django.utils import translation
from django.utils.translation import gettext

from dropline.billing.history import (
    AccountDiscountTerm,
    AccountHistory,
    BundleTerm,
    EquipmentRental,
    PreviousLine,
    SubscriptionTerm,
)
from dropline.billing.lines import RatedLine, prorate
from dropline.billing.models import AdjustmentKind, ChargeCategory, LineKind
from dropline.billing.taxes import tax_lines
from dropline.core.formatting import display_date
from dropline.customers.cycles import Cycle

__all__ = ["RatedLine", "bundle_on", "rate", "true_up_period"]

_ONE_DAY = dt.timedelta(days=1)
_KIND_ORDER: dict[str, int] = {
    ChargeCategory.INTERNET.value: 0,
    ChargeCategory.TV.value: 1,
    ChargeCategory.PHONE.value: 2,
    ChargeCategory.MOBILE.value: 3,
}
# Plain strings, looked up once: rating runs for every account of a bill run.
_RECURRING = LineKind.RECURRING.value
_DISCOUNT = LineKind.DISCOUNT.value
_PRORATION = LineKind.PRORATION.value
_ONE_TIME = LineKind.ONE_TIME.value
_CREDIT = LineKind.CREDIT.value
_CREDIT_ADJUSTMENT = AdjustmentKind.CREDIT.value
_MOBILE = ChargeCategory.MOBILE.value
_PHONE = ChargeCategory.PHONE.value
# A bundle's discount is across services, not one of them: it is booked as "other".
_BUNDLE_CATEGORY = ChargeCategory.OTHER.value


@dataclass(frozen=True, slots=True)
class _Item:
    """Something billed by the month: a service, its promotion, an add-on, a rental."""

    key: str
    kind: str
    category: str
    group_key: str
    label: str
    label_es: str


@dataclass(frozen=True, slots=True)
class _Segment:
    """Days of an item at one monthly price (negative for a discount)."""

    item: _Item
    start: dt.date
    end: dt.date
    monthly_cents: int
    # The amount, when it is not the monthly price prorated (a bundle's discount held
    # to what its services cost in the period).
    fixed_cents: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _clip(
    start: dt.date, end: dt.date | None, within: tuple[dt.date, dt.date] | None
) -> tuple[dt.date, dt.date] | None:
    if within is None:
        return None
    first = max(start, within[0])
    last = within[1] if end is None else min(end, within[1])
    return (first, last) if first <= last else None


def _price_spans(
    subscription: SubscriptionTerm, days: tuple[dt.date, dt.date]
) -> list[tuple[dt.date, dt.date, int]]:
    """The days of ``days`` at each contracted price, equal neighbours merged."""
    prices = sorted(subscription.prices)
    spans: list[tuple[dt.date, dt.date, int]] = []
    for index, (effective_on, cents) in enumerate(prices):
        begins = subscription.started_on if index == 0 else effective_on
        ends = prices[index + 1][0] - _ONE_DAY if index + 1 < len(prices) else None
        clipped = _clip(begins, ends, days)
        if clipped is None:
            continue
        if spans and spans[-1][2] == cents and spans[-1][1] + _ONE_DAY == clipped[0]:
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


def _segments(history: AccountHistory, period: Cycle) -> list[_Segment]:
    """Every monthly item's days inside ``period``, in the order they are shown."""
    window = (period.start, period.end)
    segments: list[_Segment] = []
    add_ons_by_service = defaultdict(list)
    for add_on in history.add_ons:
        add_ons_by_service[add_on.subscription_id].append(add_on)
    equipment_by_service = defaultdict(list)
    known = {subscription.id for subscription in history.subscriptions}
    for rental in history.equipment:
        owner = rental.subscription_id if rental.subscription_id in known else None
        equipment_by_service[owner].append(rental)

    for subscription in sorted(history.subscriptions, key=_services_order):
        group = subscription.item_key
        active = _clip(subscription.started_on, subscription.last_day, window)
        spans = _price_spans(subscription, active) if active else []
        service = _Item(
            key=subscription.item_key,
            kind=_RECURRING,
            category=subscription.kind,
            group_key=group,
            label=subscription.label,
            label_es=subscription.label_es,
        )
        segments.extend(_Segment(service, start, end, cents) for start, end, cents in spans)
        promotion = subscription.promotion
        if promotion is not None:
            discount = _Item(
                key=f"promo:{subscription.id}",
                kind=_DISCOUNT,
                category=subscription.kind,
                group_key=group,
                label=_promotion_label(promotion.label, promotion.ends_on, "en"),
                label_es=_promotion_label(promotion.label_es, promotion.ends_on, "es"),
            )
            for start, end, cents in spans:
                days = _clip(start, promotion.ends_on, (start, end))
                off = promotion.monthly_price_cents - cents
                if days is not None and off < 0:
                    segments.append(_Segment(discount, days[0], days[1], off))
        for add_on in sorted(add_ons_by_service[subscription.id], key=lambda a: a.id):
            days = _clip(add_on.started_on, add_on.ended_on, active)
            if days is None or add_on.monthly_price_cents == 0:
                continue
            item = _Item(
                key=add_on.item_key,
                kind=_RECURRING,
                category=add_on.category,
                group_key=group,
                label=add_on.label,
                label_es=add_on.label_es,
            )
            segments.append(_Segment(item, days[0], days[1], add_on.monthly_price_cents))
        segments.extend(_rentals(equipment_by_service[subscription.id], group, window))
    segments.extend(_bundle_segments(history, period, segments))
    segments.extend(_rentals(equipment_by_service[None], "account", window))
    segments.extend(_account_discount_segments(history, period, segments))
    return segments


def _account_discount_segments(
    history: AccountHistory, period: Cycle, segments: Sequence[_Segment]
) -> list[_Segment]:
    """Each account discount for the days of ``period`` it is in force and a service is
    billed, at most what the monthly items cost that day after the other discounts, in
    runs of days at one amount; never more than those items cost over the period."""
    if not history.account_discounts:
        return []
    result: list[_Segment] = []
    charged = list(segments)
    after_end = period.end + _ONE_DAY
    for term in history.account_discounts:
        days = _clip(term.starts_on, term.ends_on, (period.start, period.end))
        if days is None or term.monthly_discount_cents <= 0:
            continue
        changes = {days[0], days[1] + _ONE_DAY}
        for segment in charged:
            changes.update((segment.start, segment.end + _ONE_DAY))
        edges = sorted(
            day for day in changes if days[0] <= day <= min(days[1] + _ONE_DAY, after_end)
        )
        runs: list[tuple[dt.date, dt.date, int]] = []
        for first, following in pairwise(edges):
            net = 0
            served = False
            for segment in charged:
                if segment.start <= first <= segment.end:
                    net += segment.monthly_cents
                    served = served or (
                        segment.item.kind == _RECURRING and segment.item.key.startswith("sub:")
                    )
            monthly = min(term.monthly_discount_cents, net) if served else 0
            if monthly <= 0:
                continue
            last_day = following - _ONE_DAY
            if runs and runs[-1][2] == monthly and runs[-1][1] + _ONE_DAY == first:
                runs[-1] = (runs[-1][0], last_day, monthly)
            else:
                runs.append((first, last_day, monthly))
        item = _account_discount_item(term)
        found = [_Segment(item, start, end, -monthly) for start, end, monthly in runs]
        held = _held_to_total(found, charged, period)
        result.extend(held)
        charged.extend(held)
    return result


def _account_discount_item(term: AccountDiscountTerm) -> _Item:
    return _Item(
        key=term.item_key,
        kind=_DISCOUNT,
        category=_BUNDLE_CATEGORY,
        group_key=term.item_key,
        label=term.label,
        label_es=term.label_es,
    )


def _held_to_total(
    discounts: list[_Segment], charged: Sequence[_Segment], period: Cycle
) -> list[_Segment]:
    """``discounts`` given back the cents by which rounding made them exceed what
    ``charged`` comes to over the period (the last runs first)."""
    charges = sum(_amount(segment, period) for segment in charged)
    amounts = [_amount(segment, period) for segment in discounts]
    excess = -sum(amounts) - max(charges, 0)
    if excess <= 0:
        return [segment for segment, amount in zip(discounts, amounts, strict=True) if amount]
    held = []
    for segment, amount in reversed(list(zip(discounts, amounts, strict=True))):
        back = min(excess, -amount)
        excess -= back
        held.append(replace(segment, fixed_cents=amount + back))
    return [segment for segment in reversed(held) if segment.fixed_cents != 0]


def bundle_on(
    bundles: Sequence[BundleTerm], kinds: Iterable[str], day: dt.date
) -> BundleTerm | None:
    """The bundle an account with services of ``kinds`` gets on ``day``: of those in force
    that day whose kinds it has, the largest discount; on a tie the one combining more
    services, then the first by code. The discount itself is at most what those services
    cost (see ``rate``)."""
    having = set(kinds)
    best: BundleTerm | None = None
    for bundle in bundles:
        if not bundle.kinds <= having or bundle.starts_on > day:
            continue
        if bundle.ends_on is not None and day > bundle.ends_on:
            continue
        if best is None or (bundle.monthly_discount_cents, len(bundle.kinds)) > (
            best.monthly_discount_cents,
            len(best.kinds),
        ):
            best = bundle
    return best


def _bundle_segments(
    history: AccountHistory, period: Cycle, segments: Sequence[_Segment]
) -> list[_Segment]:
    """The bundle discount for each day of ``period``: the largest bundle in force whose
    kinds all have a service billed that day, as much as those services cost that day at
    most, in runs of days at one discount."""
    if not history.bundles:
        return []
    kinds_of = {subscription.item_key: subscription.kind for subscription in history.subscriptions}
    services = [
        segment
        for segment in segments
        if segment.item.group_key in kinds_of
        and segment.item.kind in (_RECURRING, _DISCOUNT)
        and not segment.item.key.startswith(("addon:", "equip:"))
    ]
    wanted = set().union(*(bundle.kinds for bundle in history.bundles))
    if not services or len(wanted & set(kinds_of.values())) < 2:
        return []
    # The state only changes where a service's segment or a bundle starts or stops:
    # each stretch between two such days is one run (usually the whole period).
    after_end = period.end + _ONE_DAY
    changes = {period.start, after_end}
    for segment in services:
        changes.update((segment.start, segment.end + _ONE_DAY))
    for term in history.bundles:
        changes.add(term.starts_on)
        if term.ends_on is not None:
            changes.add(term.ends_on + _ONE_DAY)
    edges = sorted(day for day in changes if period.start <= day <= after_end)
    runs: list[tuple[BundleTerm, dt.date, dt.date, int]] = []
    for first, following in pairwise(edges):
        last_day = following - _ONE_DAY
        net: dict[str, int] = defaultdict(int)
        kinds: set[str] = set()
        for segment in services:
            if segment.start <= first <= segment.end:
                kind = kinds_of[segment.item.group_key]
                net[kind] += segment.monthly_cents
                if segment.item.kind == _RECURRING:
                    kinds.add(kind)
        chosen = bundle_on(history.bundles, kinds, first)
        if chosen is None:
            continue
        monthly = min(chosen.monthly_discount_cents, sum(net[kind] for kind in chosen.kinds))
        if monthly <= 0:
            continue
        previous = runs[-1] if runs else None
        if (
            previous is not None
            and previous[0] == chosen
            and previous[3] == monthly
            and previous[2] + _ONE_DAY == first
        ):
            runs[-1] = (chosen, previous[1], last_day, monthly)
        else:
            runs.append((chosen, first, last_day, monthly))
    if not runs:
        return []
    items: dict[str, _Item] = {}
    result = []
    for bundle, start, end, monthly in runs:
        item = items.setdefault(
            bundle.code,
            _Item(
                key=bundle.item_key,
                kind=_DISCOUNT,
                category=_BUNDLE_CATEGORY,
                group_key=bundle.item_key,
                label=bundle.label,
                label_es=bundle.label_es,
            ),
        )
        result.append(_Segment(item, start, end, -monthly))
    combined = set().union(*(bundle.kinds for bundle, *_days in runs))
    return _held_to_charges(result, services, kinds_of, combined, period)


def _held_to_charges(
    discounts: list[_Segment],
    services: Sequence[_Segment],
    kinds_of: dict[str, str],
    combined: set[str],
    period: Cycle,
) -> list[_Segment]:
    """Each day's discount is at most what its services cost that day, but rounding a
    split once per line could still leave the discount a cent above the services' lines:
    the last runs give that cent back, so the discount never exceeds the charges."""
    charges = sum(
        _amount(segment, period)
        for segment in services
        if kinds_of[segment.item.group_key] in combined
    )
    amounts = [_amount(segment, period) for segment in discounts]
    excess = -sum(amounts) - max(charges, 0)
    if excess <= 0:
        return [segment for segment, amount in zip(discounts, amounts, strict=True) if amount]
    held = []
    for segment, amount in reversed(list(zip(discounts, amounts, strict=True))):
        back = min(excess, -amount)
        excess -= back
        held.append(replace(segment, fixed_cents=amount + back))
    return [segment for segment in reversed(held) if segment.fixed_cents != 0]


def _rentals(
    rentals: Iterable[EquipmentRental], group: str, window: tuple[dt.date, dt.date]
) -> list[_Segment]:
    segments = []
    for rental in sorted(rentals, key=lambda r: r.id):
        if not rental.is_rental or rental.monthly_rental_cents == 0 or not rental.installed_on:
            continue
        days = _clip(rental.installed_on, rental.returned_on, window)
        if days is None:
            continue
        item = _Item(
            key=rental.item_key,
            kind=_RECURRING,
            category=rental.category,
            group_key=group,
            label=rental.label,
            label_es=rental.label,
        )
        segments.append(_Segment(item, days[0], days[1], rental.monthly_rental_cents))
    return segments


def _amount(segment: _Segment, period: Cycle) -> int:
    if segment.fixed_cents is not None:
        return segment.fixed_cents
    if segment.start == period.start and segment.end == period.end:
        return segment.monthly_cents
    return prorate(segment.monthly_cents, segment.days, period.days)


def _in_advance(segments: Sequence[_Segment], cycle: Cycle) -> list[RatedLine]:
    return [
        RatedLine(
            kind=segment.item.kind,
            category=segment.item.category,
            item_key=segment.item.key,
            group_key=segment.item.group_key,
            label=segment.item.label,
            label_es=segment.item.label_es,
            period_start=segment.start,
            period_end=segment.end,
            quantity=1,
            amount_cents=_amount(segment, cycle),
            taxable=True,
        )
        for segment in segments
    ]


def true_up_period(history: AccountHistory, cycle: Cycle) -> Cycle | None:
    """The period billed before ``cycle`` that the bill for ``cycle`` trues up: the
    latest invoice's period; before the first invoice, the cycle before when the
    account opened during it; None otherwise."""
    if history.previous_period is not None:
        start, end = history.previous_period
        return Cycle(start=start, end=end) if end < cycle.start else None
    before = cycle.previous()
    return before if before.start <= history.opened_on <= before.end else None


def _differing_days(
    expected: Sequence[_Segment], billed: Sequence[PreviousLine], period: Cycle
) -> list[dt.date]:
    """The days whose monthly price now differs from what the billed lines charged.

    A billed partial line's monthly price is recovered from its amount, so it is only
    known within the rounding of that amount: a day differs when the gap is larger."""
    now: dict[dt.date, Fraction] = defaultdict(Fraction)
    then: dict[dt.date, Fraction] = defaultdict(Fraction)
    slack: dict[dt.date, Fraction] = defaultdict(Fraction)
    for segment in expected:
        for offset in range(segment.days):
            now[segment.start + dt.timedelta(days=offset)] += segment.monthly_cents
    for line in billed:
        assert line.period_start is not None
        assert line.period_end is not None
        days = (line.period_end - line.period_start).days + 1
        monthly = Fraction(line.amount_cents * period.days, days)
        for offset in range(days):
            day = line.period_start + dt.timedelta(days=offset)
            then[day] += monthly
            slack[day] += Fraction(period.days, 2 * days)
    return sorted(day for day in set(now) | set(then) if abs(now[day] - then[day]) > slack[day])


def _true_up(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    period = true_up_period(history, cycle)
    if period is None:
        return []
    billed_by_item: dict[str, list[PreviousLine]] = defaultdict(list)
    for line in history.previous_lines:
        if (
            line.period_start is not None
            and line.period_end is not None
            and period.start <= line.period_start
            and line.period_end <= period.end
        ):
            billed_by_item[line.item_key].append(line)
    expected_by_item: dict[str, list[_Segment]] = defaultdict(list)
    items: dict[str, _Item] = {}
    for segment in _segments(history, period):
        expected_by_item[segment.item.key].append(segment)
        items.setdefault(segment.item.key, segment.item)
    for key, lines in billed_by_item.items():
        if key not in items:
            first = lines[0]
            items[key] = _Item(
                key=key,
                kind=first.kind,
                category=first.category,
                group_key=first.group_key,
                label=first.label,
                label_es=first.label_es,
            )

    result = []
    for key, item in items.items():
        expected = expected_by_item[key]
        billed = billed_by_item[key]
        difference = sum(_amount(segment, period) for segment in expected) - sum(
            line.amount_cents for line in billed
        )
        if difference == 0:
            continue
        days = _differing_days(expected, billed, period)
        if not days:
            continue  # only the rounding of a split differs, not a price or a day
        taxable = all(line.taxable for line in billed) if billed else True
        result.append(
            RatedLine(
                kind=_PRORATION,
                category=item.category,
                item_key=key,
                group_key=item.group_key,
                label=item.label,
                label_es=item.label_es,
                period_start=days[0],
                period_end=days[-1],
                quantity=1,
                amount_cents=difference,
                taxable=taxable,
            )
        )
    return result


def _adjustments(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    """Charges and credits not yet billed that happened by the bill's first day."""
    return [
        RatedLine(
            kind=_CREDIT if adjustment.kind == _CREDIT_ADJUSTMENT else _ONE_TIME,
            category=adjustment.category,
            item_key=f"adj:{adjustment.id}",
            group_key="account",
            label=adjustment.description,
            label_es=adjustment.description_es or adjustment.description,
            period_start=adjustment.occurred_on,
            period_end=adjustment.occurred_on,
            quantity=1,
            amount_cents=(
                -adjustment.amount_cents
                if adjustment.kind == _CREDIT_ADJUSTMENT
                else adjustment.amount_cents
            ),
            taxable=adjustment.taxable,
        )
        for adjustment in sorted(history.adjustments, key=lambda a: (a.occurred_on, a.id))
        if adjustment.occurred_on <= cycle.start
    ]


def _services_order(subscription: SubscriptionTerm) -> tuple[int, dt.date, int]:
    return (_KIND_ORDER.get(subscription.kind, 9), subscription.started_on, subscription.id)


def _group_order(history: AccountHistory, lines: Sequence[RatedLine]) -> list[RatedLine]:
    """Lines of one service together, services in their order (in advance, then the
    true-up), account lines last."""
    rank = {
        subscription.item_key: index
        for index, subscription in enumerate(sorted(history.subscriptions, key=_services_order))
    }
    groups: dict[str, list[RatedLine]] = {}
    for line in lines:
        groups.setdefault(line.group_key, []).append(line)
    ordered = sorted(groups, key=lambda group: (group == "account", rank.get(group, len(rank))))
    return [line for group in ordered for line in groups[group]]


def rate(history: AccountHistory, cycle: Cycle) -> list[RatedLine]:
    """The lines of ``history``'s bill for ``cycle``, in the order they are shown."""
    segments = _segments(history, cycle)
    charges = _group_order(history, _in_advance(segments, cycle) + _true_up(history, cycle))
    charges += _adjustments(history, cycle)
    services = {
        (segment.item.key, segment.item.category)
        for segment in segments
        if segment.item.key.startswith("sub:")
    }
    taxes = tax_lines(
        charges,
        history.tax_rates,
        on=cycle.start,
        mobile_lines=sum(1 for _key, category in services if category == _MOBILE),
        phone_lines=sum(1 for _key, category in services if category == _PHONE),
    )
    return charges + taxes
