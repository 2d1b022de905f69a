"""The meter's arithmetic and its reads: extra data in whole blocks up to the cap or by
the GB, amounts of data in words, every day of the cycle, cycles counted where they
started, and a fixed number of queries however many services and days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dropline.core import clock
from dropline.customers.cycles import Cycle, cycle_containing
from dropline.usage.amounts import data_amount
from dropline.usage.charts import daily_chart_svg, describe_daily, describe_history
from dropline.usage.meter import (
    ExtraDataTerms,
    daily_series,
    history,
    history_cycles,
)
from dropline.usage.models import GB
from dropline.usage.queries import account_usage
from tests.support.usage_meter import (
    CYCLE_START,
    NOON,
    add_line,
    gb,
    metered_customer,
    record_days,
    spread,
)

BLOCKS = ExtraDataTerms(currency="USD", block_bytes=50 * GB, block_cents=1000, cap_cents=10000)


@given(st.integers(min_value=1, max_value=10**15))
def test_a_started_block_costs_in_full_and_never_past_the_cap(extra):
    cost = BLOCKS.cost(extra).amount_minor
    blocks = -(-extra // (50 * GB))
    assert cost == min(blocks * 1000, 10000)
    assert cost % 1000 == 0
    assert 0 < cost <= 10000


@given(st.integers(min_value=-(10**12), max_value=0))
def test_nothing_extra_costs_nothing(extra):
    assert BLOCKS.cost(extra).amount_minor == 0


@given(st.integers(min_value=0, max_value=10**14), st.integers(min_value=0, max_value=10**14))
def test_more_data_never_costs_less(a, b):
    low, high = sorted((a, b))
    for terms in (BLOCKS, ExtraDataTerms(currency="USD", price_per_gb=Decimal("15.00"))):
        assert terms.cost(low).amount_minor <= terms.cost(high).amount_minor


def test_by_the_gig_charges_a_started_gb_in_full_as_the_bill_does():
    terms = ExtraDataTerms(currency="USD", price_per_gb=Decimal("15.00"))
    assert terms.cost(GB).amount_minor == 1500
    assert terms.cost(GB // 3).amount_minor == 1500
    assert terms.cost(GB + 1).amount_minor == 3000
    odd = ExtraDataTerms(currency="USD", price_per_gb=Decimal("4.995"))
    assert odd.cost(GB).amount_minor == 500  # $4.995 rounds half-up once


def test_without_a_price_extra_data_costs_nothing():
    assert ExtraDataTerms(currency="USD").cost(10**15).amount_minor == 0


@pytest.mark.parametrize(
    ("value", "en", "es"),
    [
        (0, "0 GB", "0 GB"),
        (1, "1 MB", "1 MB"),
        (850 * 10**6, "850 MB", "850 MB"),
        (gb("1.5"), "1.5 GB", "1,5 GB"),
        (gb(4), "4 GB", "4 GB"),
        (gb("612.4"), "612 GB", "612 GB"),
        (gb("999.6"), "1 TB", "1 TB"),
        (gb(1200), "1.2 TB", "1,2 TB"),
        (gb(12345), "12.3 TB", "12,3 TB"),
        (gb(1_234_567), "1,235 TB", "1\xa0235 TB"),
    ],
)
def test_amounts_of_data_in_words(value, en, es):
    assert data_amount(value, language="en") == en
    assert data_amount(value, language="es") == es


@given(st.integers(min_value=1, max_value=31), st.dates(dt.date(2020, 1, 1), dt.date(2035, 1, 1)))
def test_the_daily_series_has_every_day_of_the_cycle_up_to_today(anchor, today):
    cycle = cycle_containing(anchor, today)
    series = daily_series({today: 5}, cycle=cycle, today=today)
    assert series[0].day == cycle.start
    assert series[-1].day == today
    assert [b.day for b in series] == [
        cycle.start + dt.timedelta(days=n) for n in range((today - cycle.start).days + 1)
    ]
    assert sum(day.bytes for day in series) == 5


def test_history_has_twelve_cycles_and_counts_a_row_where_it_started():
    current = cycle_containing(15, dt.date(2026, 12, 6))
    cycles = history_cycles(current, started_on=dt.date(2020, 1, 1))
    assert len(cycles) == 12
    assert cycles[-1] == current
    assert cycles[0] == Cycle(dt.date(2025, 12, 15), dt.date(2026, 1, 14))
    # A cycle cut from another bill date (the account's changed) still counts.
    rows = [(dt.date(2026, 10, 20), 5), (dt.date(2026, 11, 15), 7), (dt.date(2020, 1, 1), 99)]
    totals = history(rows, cycles=cycles, allowance_bytes=None)
    assert [t.used_bytes for t in totals[-2:]] == [5, 7]
    assert sum(t.used_bytes for t in totals) == 12
    assert [t.in_progress for t in totals].count(True) == 1


@pytest.mark.django_db
def test_the_reads_are_three_queries_whatever_the_size(django_assert_num_queries):
    with clock.frozen(NOON):
        customer, internet = metered_customer("big")
        record_days(internet, spread(gb(4000), first=dt.date(2026, 1, 1), last=NOON.date()))
        for n in range(6):
            line = add_line(customer, phone=f"+1319555010{n}")
            record_days(line, spread(gb(3), first=CYCLE_START, last=NOON.date()))
        with django_assert_num_queries(3):
            meters = account_usage(account=customer.account, language="en")
        assert len(meters) == 7
        assert all(len(m.daily) == 22 and len(m.history) == 12 for m in meters)
        with django_assert_num_queries(2):
            account_usage(account=customer.account, language="en", with_days=False)


@pytest.mark.django_db
def test_a_chart_without_use_says_so_in_words():
    with clock.frozen(NOON):
        customer, _internet = metered_customer("quiet")
        (meter,) = account_usage(account=customer.account, language="en")
    assert describe_daily(meter, language="en")[1] == "No use yet this bill cycle."
    assert describe_history(meter, language="es")[1] == "Todavía no hay uso."
    assert "<desc" in daily_chart_svg(meter, language="en")
