"""The exact money of a change before it is made.

``preview_change`` writes the change inside a savepoint that is always rolled back,
reads the account's history and rates the next bill (and the one after, for the
first bill fully on the new price) with ``billing.rating.rate``, the function the bill
run uses, then compares with rating the untouched history. So the preview is what
the bill run will charge, line for line, as long as nothing else changes meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from dropline.billing.forecast import next_cycle
from dropline.billing.history import TRUE_UP_KINDS, AccountHistory, PreviousLine, load_history
from dropline.billing.lines import RatedLine
from dropline.billing.models import LineKind
from dropline.billing.rating import rate
from dropline.catalog.models import EquipmentDelivery
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.cycles import Cycle
from dropline.customers.models import CustomerAccount
from dropline.orders.changes import ADD_ADD_ON, CHANGE_PLAN, Change
from dropline.orders.effects import Applied, apply
from dropline.orders.rules import Resolved, offer_for, resolve
from dropline.subscriptions.models import Subscription

_PRORATION = LineKind.PRORATION.value
_TRUE_UP = tuple(kind.value for kind in TRUE_UP_KINDS)


@dataclass(frozen=True)
class EquipmentChange:
    """A device the change needs: which, how it arrives, what it costs."""

    model_code: str
    model_name: str
    delivery: str  # "ship" | "install"
    monthly_rental_cents: int
    replaces_name: str
    replaces_rental_cents: int
    sentence: str


@dataclass(frozen=True)
class Preview:
    change: Change
    service_label: str
    from_name: str
    to_name: str
    effective_on: dt.date
    timing: str
    is_upgrade: bool
    monthly_before_cents: int
    monthly_after_cents: int
    promotion_note: str
    proration_lines: list[RatedLine]
    next_invoice_before_cents: int
    next_invoice_after_cents: int
    next_invoice_lines: list[RatedLine]
    next_invoice_before_lines: list[RatedLine]
    next_invoice_date: dt.date
    first_full_bill_cents: int
    first_full_bill_date: dt.date
    equipment: EquipmentChange | None
    fingerprint: str
    currency: str
    language: str = "en"

    @property
    def monthly_difference_cents(self) -> int:
        return self.monthly_after_cents - self.monthly_before_cents

    def money(self, cents: int) -> Money:
        return Money(cents, self.currency)


class _RollBack(Exception):  # noqa: N818 - not an error: the way out
    """Leaves the savepoint of a preview, carrying what it computed."""

    def __init__(self, value: Any) -> None:
        super().__init__("preview")
        self.value = value


def _monthly(history: AccountHistory, service_id: int, day: dt.date) -> int:
    """The service's regular monthly price on ``day``: its contracted price, its add-ons
    and the rentals of its devices (promotions left out)."""
    total = 0
    for service in history.subscriptions:
        if service.id != service_id:
            continue
        price = service.prices[0][1] if service.prices else 0
        for effective_on, cents in sorted(service.prices):
            if effective_on <= day:
                price = cents
        total += price
    for extra in history.add_ons:
        if (
            extra.subscription_id == service_id
            and extra.started_on <= day
            and (extra.ended_on is None or day <= extra.ended_on)
        ):
            total += extra.monthly_price_cents
    for device in history.equipment:
        if (
            device.subscription_id == service_id
            and device.is_rental
            and device.installed_on is not None
            and device.installed_on <= day
            and (device.returned_on is None or day <= device.returned_on)
        ):
            total += device.monthly_rental_cents
    return total


def billed(history: AccountHistory, cycle: Cycle, lines: list[RatedLine]) -> AccountHistory:
    """``history`` as it will be once the bill for ``cycle`` (``lines``) is issued: its
    lines become the ones the next bill trues up, its one-time items are billed."""
    return dataclasses.replace(
        history,
        previous_lines=tuple(
            PreviousLine(
                item_key=line.item_key,
                kind=line.kind,
                category=line.category,
                group_key=line.group_key,
                label=line.label,
                label_es=line.label_es,
                period_start=line.period_start,
                period_end=line.period_end,
                amount_cents=line.amount_cents,
                taxable=line.taxable,
            )
            for line in lines
            if line.kind in _TRUE_UP
        ),
        previous_period=(cycle.start, cycle.end),
        adjustments=tuple(a for a in history.adjustments if a.occurred_on > cycle.start),
    )


@dataclass(frozen=True)
class _Rated:
    history: AccountHistory
    cycle: Cycle
    lines: list[RatedLine]
    following: list[RatedLine]

    @property
    def total(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def _rate(account: CustomerAccount, today: dt.date) -> _Rated:
    history = load_history(account.pk)
    cycle = next_cycle(history, today)
    lines = rate(history, cycle)
    following = rate(billed(history, cycle, lines), cycle.next())
    return _Rated(history=history, cycle=cycle, lines=lines, following=following)


def _facts(line: RatedLine) -> tuple[Any, ...]:
    """What a line charges: its item, words, dates and amount (not the group it is shown
    in, which a device moving to the new plan's service changes)."""
    return (
        line.kind,
        line.category,
        line.item_key,
        line.label,
        line.period_start,
        line.period_end,
        line.amount_cents,
    )


def _without(after: list[RatedLine], before: list[RatedLine]) -> list[RatedLine]:
    """The lines of ``after`` that ``before`` does not have."""
    left = Counter(_facts(line) for line in before)
    result = []
    for line in after:
        if left[_facts(line)]:
            left[_facts(line)] -= 1
        else:
            result.append(line)
    return result


def _line_key(line: RatedLine) -> list[Any]:
    # Item keys carry row ids, which a rolled-back savepoint may not give back: the
    # fingerprint is of the money, the dates and the words.
    return [
        line.kind,
        line.category,
        line.label,
        str(line.period_start),
        str(line.period_end),
        line.quantity,
        line.amount_cents,
    ]


def _fingerprint(values: dict[str, Any]) -> str:
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _service_label(subscription: Subscription, language: str) -> str:
    name = subscription.plan.localized_name(language)
    extra = subscription.label or subscription.phone_number
    return f"{name} ({extra})" if extra else name


def _equipment(resolved: Resolved, language: str) -> EquipmentChange | None:
    need = resolved.equipment
    if need is None:
        return None
    model = need.model
    old = need.replaces
    name = f"{model.manufacturer} {model.model_name}"
    old_name = f"{old.model.manufacturer} {old.model.model_name}"
    rental = Money(model.monthly_rental_cents, model.currency).format()
    old_rental = Money(old.monthly_rental_cents if old.is_rental else 0, old.currency).format()
    values = {
        "plan": resolved.plan.localized_name(language) if resolved.plan else "",
        "model": name,
        "old": old_name,
        "rental": rental,
        "old_rental": old_rental,
        "date": display_date(resolved.effective_on),
    }
    if model.delivery == EquipmentDelivery.INSTALL:
        sentence = (
            _(
                "%(plan)s is faster than your %(old)s can handle. A technician will install "
                "a new %(model)s (rental %(rental)s a month instead of %(old_rental)s) by "
                "appointment; we will call you to choose a time."
            )
            % values
        )
    else:
        sentence = (
            _(
                "%(plan)s is faster than your %(old)s can handle. We will ship you a "
                "new %(model)s (rental %(rental)s a month instead of %(old_rental)s); send the "
                "old one back in the box it comes in."
            )
            % values
        )
    return EquipmentChange(
        model_code=model.code,
        model_name=name,
        delivery=model.delivery,
        monthly_rental_cents=model.monthly_rental_cents,
        replaces_name=old_name,
        replaces_rental_cents=old.monthly_rental_cents if old.is_rental else 0,
        sentence=sentence,
    )


def _promotion_note(resolved: Resolved, today: dt.date, currency: str) -> str:
    notes = []
    subscription = resolved.subscription
    if resolved.change.action == CHANGE_PLAN and subscription.promotion_active(today):
        assert subscription.promotion is not None
        notes.append(
            _("Your promotional price of %(price)s a month ends with this change.")
            % {"price": Money(subscription.promotion.monthly_price_cents, currency).format()}
        )
    if resolved.plan is not None:
        offer = offer_for(resolved.plan)
        if offer is not None:
            cents, months = offer
            notes.append(
                _(
                    "%(plan)s costs %(price)s a month for the first %(months)s months, then "
                    "%(regular)s."
                )
                % {
                    "plan": resolved.plan.localized_name(translation.get_language() or "en"),
                    "price": Money(cents, currency).format(),
                    "months": months,
                    "regular": Money(resolved.plan.monthly_price_cents, currency).format(),
                }
            )
    return " ".join(notes)


def compute(
    *,
    account: CustomerAccount,
    change: Change,
    language: str,
    today: dt.date,
    lock: bool = False,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> tuple[Preview, Resolved]:
    """The preview of ``change``, computed inside a savepoint that is rolled back."""
    try:
        with transaction.atomic():
            resolved = resolve(
                account=account, change=change, today=today, language=language, lock=lock
            )
            before = _rate(account, today)
            applied = apply(resolved=resolved, actor=actor, request=request)
            after = _rate(account, today)
            raise _RollBack((resolved, before, applied, after))
    except _RollBack as done:
        resolved, before, applied, after = done.value
    return _build(resolved, before, applied, after, language, today), resolved


def _build(
    resolved: Resolved,
    before: _Rated,
    applied: Applied,
    after: _Rated,
    language: str,
    today: dt.date,
) -> Preview:
    account = resolved.account
    subscription = resolved.subscription
    currency = account.currency
    on = resolved.effective_on
    monthly_before = _monthly(before.history, subscription.pk, on)
    monthly_after = _monthly(after.history, applied.service_id, on)
    prorations = [line for line in _without(after.lines, before.lines) if line.kind == _PRORATION]
    if on <= after.cycle.start:
        first_cents = after.total
        first_date = after.cycle.start
    else:
        first_cents = sum(line.amount_cents for line in after.following)
        first_date = after.cycle.next().start
    with translation.override(language):
        plan_name = subscription.plan.localized_name(language)
        if resolved.change.action == CHANGE_PLAN:
            assert resolved.plan is not None
            from_name, to_name = plan_name, resolved.plan.localized_name(language)
        elif resolved.change.action == ADD_ADD_ON:
            assert resolved.add_on is not None
            from_name, to_name = "", resolved.add_on.localized_name(language)
        else:
            assert resolved.add_on is not None
            from_name, to_name = resolved.add_on.localized_name(language), ""
        equipment = _equipment(resolved, language)
        note = _promotion_note(resolved, today, currency)
        label = _service_label(subscription, language)
    values = {
        "effective_on": on,
        "monthly": [monthly_before, monthly_after],
        "next": [before.total, after.total, after.cycle.start],
        "lines": [_line_key(line) for line in after.lines],
        "first": [first_cents, first_date],
        "equipment": [equipment.model_code, equipment.delivery] if equipment else None,
    }
    return Preview(
        change=resolved.change,
        service_label=label,
        from_name=from_name,
        to_name=to_name,
        effective_on=on,
        timing=resolved.timing,
        is_upgrade=resolved.is_upgrade,
        monthly_before_cents=monthly_before,
        monthly_after_cents=monthly_after,
        promotion_note=note,
        proration_lines=prorations,
        next_invoice_before_cents=before.total,
        next_invoice_after_cents=after.total,
        next_invoice_lines=after.lines,
        next_invoice_before_lines=before.lines,
        next_invoice_date=after.cycle.start,
        first_full_bill_cents=first_cents,
        first_full_bill_date=first_date,
        equipment=equipment,
        fingerprint=_fingerprint(values),
        currency=currency,
        language=language,
    )


def preview_change(
    *, account: CustomerAccount, change: Change, language: str, today: dt.date | None = None
) -> Preview:
    """What ``change`` would do to ``account``'s bills; ``ChangeRefused`` when it cannot
    be made. Nothing is written."""
    preview, _resolved = compute(
        account=account, change=change, language=language, today=today or clock.today()
    )
    return preview
