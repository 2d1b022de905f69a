"""The next bill before it is issued: a dry run of the same rating, with what is about
to change called out (a promotion ending, a new price, a service starting or ending,
a bundle discount starting or stopping).

Nothing is written. Data is billed in arrears, so the next bill charges the cycle in
progress: its range runs from the data used so far, rated (low), to the data projected
to the cycle's end at the same pace, rated (high); without data to bill, the range is
the total itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dropline.billing.describe import is_account_discount, is_bundle, label_in
from dropline.billing.history import AccountHistory, load_history
from dropline.billing.lines import RatedLine
from dropline.billing.models import LineKind
from dropline.billing.rating import rate
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.usage.projection import project


@dataclass
class Forecast:
    cycle: Cycle
    lines: list[RatedLine]
    total_cents: int
    low_cents: int
    high_cents: int
    callouts: list[str] = field(default_factory=list)
    currency: str = "USD"


def next_cycle(history: AccountHistory, today: dt.date) -> Cycle:
    """The cycle the account's next bill is for: the current one when it starts today
    and has not been billed yet, otherwise the one after."""
    current = cycle_containing(history.bill_cycle_day, today)
    billed = history.previous_period is not None and history.previous_period[0] >= current.start
    return current if current.start == today and not billed else current.next()


def forecast(account_id: int, *, today: dt.date | None = None, language: str) -> Forecast:
    """The account's next bill as rating would price it today: the data used so far at
    the low end, the data projected to the cycle's end at the high end."""
    history = load_history(account_id)
    day = today or clock.today()
    cycle = next_cycle(history, day)
    if cycle.start == day:  # billed today: the data of the cycle that just ended
        history = load_history(account_id, cycle_start=cycle.start)
    lines = rate(history, cycle)
    total = sum(line.amount_cents for line in lines)
    high = sum(line.amount_cents for line in rate(projected(history, day), cycle))
    with translation.override(language):
        callouts = (
            _range_callouts(total, high, history.currency)
            + _callouts(history, day, cycle, language)
            + _bundle_callouts(lines, cycle, language)
            + _account_discount_callouts(history, lines, language)
        )
    return Forecast(
        cycle=cycle,
        lines=lines,
        total_cents=total,
        low_cents=min(total, high),
        high_cents=max(total, high),
        callouts=callouts,
        currency=history.currency,
    )


def projected(history: AccountHistory, today: dt.date) -> AccountHistory:
    """``history`` with the data of each cycle still in progress on ``today`` carried on
    at its pace to the cycle's end (``usage.projection.project``)."""
    if not history.usage:
        return history
    now = clock.now()
    if clock.today() != today:  # a forecast as of another day: its noon
        now = dt.datetime.combine(today, dt.time(12), tzinfo=timezone.get_default_timezone())
    usage = tuple(
        replace(
            term,
            billable_bytes=project(
                term.billable_bytes, Cycle(start=term.cycle_start, end=term.cycle_end), now
            ),
        )
        if term.cycle_start <= today <= term.cycle_end
        else term
        for term in history.usage
    )
    return replace(history, usage=usage)


def _range_callouts(low: int, high: int, currency: str) -> list[str]:
    if high <= low:
        return []
    return [
        _("Your next bill will be between %(low)s and %(high)s depending on your data use.")
        % {"low": Money(low, currency).format(), "high": Money(high, currency).format()}
    ]


def _callouts(history: AccountHistory, today: dt.date, cycle: Cycle, language: str) -> list[str]:
    """What changes between today and the end of the forecast cycle, in date order."""
    spanish = language == "es"
    notes: list[tuple[dt.date, str]] = []

    def money(cents: int) -> str:
        return Money(cents, history.currency).format()

    def within(day: dt.date | None) -> bool:
        return day is not None and today <= day <= cycle.end

    for service in history.subscriptions:
        label = service.label_es if spanish else service.label
        prices = sorted(service.prices)
        promotion = service.promotion
        if promotion is not None and within(promotion.ends_on) and service.last_day is None:
            regular = prices[-1][1]
            for effective_on, cents in prices:
                if effective_on <= promotion.ends_on + dt.timedelta(days=1):
                    regular = cents
            notes.append(
                (
                    promotion.ends_on,
                    _(
                        "Your promotional price for %(service)s ends on %(date)s: from "
                        "%(old)s to %(new)s a month."
                    )
                    % {
                        "service": label,
                        "date": display_date(promotion.ends_on),
                        "old": money(promotion.monthly_price_cents),
                        "new": money(regular),
                    },
                )
            )
        for index, (effective_on, cents) in enumerate(prices):
            if index == 0 or not (today < effective_on <= cycle.end):
                continue
            notes.append(
                (
                    effective_on,
                    _(
                        "The price of %(service)s changes on %(date)s: from %(old)s to "
                        "%(new)s a month."
                    )
                    % {
                        "service": label,
                        "date": display_date(effective_on),
                        "old": money(prices[index - 1][1]),
                        "new": money(cents),
                    },
                )
            )
        if today < service.started_on <= cycle.end:
            notes.append(
                (
                    service.started_on,
                    _("%(service)s starts on %(date)s.")
                    % {"service": label, "date": display_date(service.started_on)},
                )
            )
        ends = service.ended_on
        if ends is not None and within(ends):
            notes.append(
                (
                    ends,
                    _("%(service)s ends on %(date)s.")
                    % {"service": label, "date": display_date(ends)},
                )
            )
    for extra in history.add_ons:
        label = extra.label_es if spanish else extra.label
        if today < extra.started_on <= cycle.end:
            notes.append(
                (
                    extra.started_on,
                    _("%(service)s starts on %(date)s.")
                    % {"service": label, "date": display_date(extra.started_on)},
                )
            )
        if extra.ended_on is not None and within(extra.ended_on):
            notes.append(
                (
                    extra.ended_on,
                    _("%(service)s ends on %(date)s.")
                    % {"service": label, "date": display_date(extra.ended_on)},
                )
            )
    notes.sort(key=lambda note: note[0])
    return [text for _day, text in notes]


def _bundle_callouts(lines: Sequence[RatedLine], cycle: Cycle, language: str) -> list[str]:
    """A bundle discount that starts or stops inside the forecast cycle, from rating's
    own lines (a service starting or ending makes or breaks a bundle)."""
    notes: list[str] = []
    for line in lines:
        if not (line.kind == LineKind.DISCOUNT and is_bundle(line)):
            continue
        assert line.period_start is not None
        assert line.period_end is not None
        name = label_in(line, language)
        if line.period_start > cycle.start:
            notes.append(
                _("Your %(bundle)s bundle discount starts on %(date)s.")
                % {"bundle": name, "date": display_date(line.period_start)}
            )
        if line.period_end < cycle.end:
            notes.append(
                _("Your %(bundle)s bundle discount ends on %(date)s.")
                % {"bundle": name, "date": display_date(line.period_end)}
            )
    return notes


def _account_discount_callouts(
    history: AccountHistory, lines: Sequence[RatedLine], language: str
) -> list[str]:
    """An account discount (autopay and paperless) that the forecast bill is the first
    to give."""
    before = {line.item_key for line in history.previous_lines}
    notes: list[str] = []
    for line in lines:
        if line.kind != LineKind.DISCOUNT or not is_account_discount(line):
            continue
        if line.item_key in before:
            continue
        notes.append(
            _("%(discount)s: %(amount)s off, starting with this bill.")
            % {
                "discount": label_in(line, language),
                "amount": Money(-line.amount_cents, history.currency).format(),
            }
        )
    return notes
