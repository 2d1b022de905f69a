"""Taxes and fees: the rates in force on a day, and percentages rounded half-up once."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dropline.billing.lines import RatedLine
from dropline.billing.taxes import percent_of, rates_in_force, tax_lines
from dropline.core.money import Money
from tests.support.histories import iowa_like_rates, tax

D = dt.date


def charge(category, amount, *, taxable=True, kind="recurring"):
    return RatedLine(
        kind=kind,
        category=category,
        item_key=f"x:{category}",
        group_key="sub:1",
        label=category,
        label_es=category,
        period_start=None,
        period_end=None,
        quantity=1,
        amount_cents=amount,
        taxable=taxable,
    )


def test_half_a_cent_rounds_up_and_away_from_zero():
    # 5% of $39.90 is 199.5 cents: $2.00. A credit of the same: -$2.00.
    assert percent_of(3990, Decimal("5.0000")) == 200
    assert percent_of(-3990, Decimal("5.0000")) == -200
    # 2.5% of $69.90 is 174.75 cents: $1.75.
    assert percent_of(6990, Decimal("2.5000")) == 175


@given(amount=st.integers(-10_000_000, 10_000_000), percent=st.decimals(0, 100, places=4))
def test_a_percentage_is_money_times_a_decimal_rounded_once(amount, percent):
    expected = Money(amount, "USD") * (percent / Decimal(100))
    assert percent_of(amount, percent) == expected.amount_minor


def test_only_the_rate_in_force_on_the_day_counts():
    old = tax("sales-tax", kind="sales_tax", percent="6", effective_until=D(2026, 6, 30))
    new = tax("sales-tax", kind="sales_tax", percent="7", effective_from=D(2026, 7, 1))
    later = tax("e911", kind="line_fee", amount=100, effective_from=D(2027, 1, 1))
    assert rates_in_force((new, old, later), D(2026, 6, 30)) == [old]
    assert rates_in_force((new, old, later), D(2026, 7, 1)) == [new]
    assert rates_in_force((new, old, later), D(2027, 1, 1)) == [later, new]


def test_a_line_that_is_not_taxable_bears_no_tax_or_fee():
    lines = [charge("tv", 4000, taxable=False), charge("internet", 7000, taxable=False)]
    assert tax_lines(lines, iowa_like_rates(), on=D(2026, 4, 5), mobile_lines=0) == []


def test_no_mobile_line_no_line_fee_and_a_zero_tax_is_left_out():
    lines = [charge("internet", 7000)]
    taxes = tax_lines(lines, iowa_like_rates(), on=D(2026, 4, 5), mobile_lines=0)
    assert [(line.item_key, line.amount_cents) for line in taxes] == [("tax:ia:regulatory", 175)]


def test_a_credit_lowers_the_tax_on_its_category():
    # TV $40.00 less a $10.00 taxable TV credit: 6% of $30.00 = $1.80, 5% franchise $1.50.
    lines = [charge("tv", 4000), charge("tv", -1000, kind="credit")]
    taxes = tax_lines(lines, iowa_like_rates(), on=D(2026, 4, 5), mobile_lines=0)
    assert [(line.item_key, line.amount_cents) for line in taxes] == [
        ("tax:ia:sales-tax", 180),
        ("tax:riverbend:franchise", 150),
    ]


def test_a_rate_without_categories_uses_the_usual_ones():
    rates = (tax("franchise", kind="franchise_fee", percent="5"),)
    lines = [charge("tv", 4000), charge("internet", 7000)]
    (fee,) = tax_lines(lines, rates, on=D(2026, 4, 5), mobile_lines=0)
    assert fee.amount_cents == 200  # TV only
