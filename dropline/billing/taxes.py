"""Taxes and fees on a bill, from the jurisdiction table, each its own line.

Pure: the rates come in with the account's history. A percentage is levied on the
taxable lines of the categories it applies to and rounded half-up once per line; a
fee per line (911) is a fixed amount times the number of mobile and home phone lines
billed, of the categories it applies to.
A line that is not taxable bears no tax and no fee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from dropline.billing.history import TaxRateTerm
from dropline.billing.lines import RatedLine, prorate
from dropline.billing.models import ChargeCategory, LineKind, TaxKind

# What a rate applies to when its row leaves ``applies_to`` empty.
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    TaxKind.SALES_TAX.value: tuple(ChargeCategory.values),
    TaxKind.LINE_FEE.value: (ChargeCategory.MOBILE.value,),
    TaxKind.REGULATORY_RECOVERY.value: (ChargeCategory.INTERNET.value,),
    TaxKind.FRANCHISE_FEE.value: (ChargeCategory.TV.value,),
}
_TAX = LineKind.TAX.value
_LINE_FEE = TaxKind.LINE_FEE.value
_FEES = ChargeCategory.FEES.value
_MOBILE = ChargeCategory.MOBILE.value
_PHONE = ChargeCategory.PHONE.value


def percent_of(amount_cents: int, percent: Decimal) -> int:
    """``percent`` % of ``amount_cents``, rounded half-up (away from zero) once: the same
    as ``Money(amount_cents) * (percent / 100)``, in exact integers."""
    numerator, denominator = percent.as_integer_ratio()
    return prorate(amount_cents * numerator, 1, denominator * 100)


def rates_in_force(rates: Sequence[TaxRateTerm], day: dt.date) -> list[TaxRateTerm]:
    """The rates effective on ``day``, one per jurisdiction and code (the latest start
    wins when two overlap), ordered by jurisdiction then code."""
    chosen: dict[tuple[str, str], TaxRateTerm] = {}
    for rate in rates:
        if not rate.effective_on(day):
            continue
        key = (rate.jurisdiction_code, rate.code)
        if key not in chosen or chosen[key].effective_from < rate.effective_from:
            chosen[key] = rate
    return [chosen[key] for key in sorted(chosen)]


def taxable_base(lines: Sequence[RatedLine], categories: Sequence[str]) -> int:
    return sum(
        line.amount_cents
        for line in lines
        if line.taxable and line.kind != _TAX and line.category in categories
    )


def tax_lines(
    lines: Sequence[RatedLine],
    rates: Sequence[TaxRateTerm],
    *,
    on: dt.date,
    mobile_lines: int,
    phone_lines: int = 0,
) -> list[RatedLine]:
    """One line per tax or fee in force on ``on`` that comes to something. A fee per
    line has the number of lines as its quantity and is in the ``mobile`` or ``phone``
    category when it counts lines of one of them, ``fees`` when of both; every other
    tax or fee is in ``fees``."""
    result: list[RatedLine] = []
    for rate in rates_in_force(rates, on):
        categories = rate.applies_to or DEFAULT_CATEGORIES.get(rate.kind, ())
        quantity = 1
        category = _FEES
        if rate.kind == _LINE_FEE:
            counted = {
                kind: count
                for kind, count in ((_MOBILE, mobile_lines), (_PHONE, phone_lines))
                if kind in categories and count
            }
            category = next(iter(counted)) if len(counted) == 1 else _FEES
            quantity = sum(counted.values())
            amount = (rate.amount_cents or 0) * quantity
        elif rate.percent is not None:
            amount = percent_of(taxable_base(lines, categories), rate.percent)
        else:
            amount = rate.amount_cents or 0
        if amount == 0:
            continue
        result.append(
            RatedLine(
                kind=_TAX,
                category=category,
                item_key=f"tax:{rate.jurisdiction_code}:{rate.code}",
                group_key="account",
                label=rate.name,
                label_es=rate.name_es or rate.name,
                period_start=None,
                period_end=None,
                quantity=quantity,
                amount_cents=amount,
                taxable=False,
                jurisdiction_code=rate.jurisdiction_code,
                percent=rate.percent,
            )
        )
    return result
