"""Data on the bill, in arrears: extra internet data in blocks up to a cap, the first
time over forgiven as a courtesy, mobile data by the gig; and the arithmetic's
properties.

The account is anchored on the 5th: the bill for Mar 5 - Apr 4, 2026 charges the data
used Feb 5 - Mar 4.
"""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dropline.billing.describe import describe_line
from dropline.billing.rating import rate
from dropline.billing.rating.usage import (
    blocks_over,
    gigabytes_billed,
    overage_cents,
)
from dropline.customers.cycles import Cycle
from dropline.usage.models import GB
from dropline.usage.overage import by_the_gig_cents
from tests.support.histories import history, iowa_like_rates, service
from tests.support.usage_billing import blocks_term, by_the_gig_term, used, with_usage

D = dt.date
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))
FEB_START, FEB_END = D(2026, 2, 5), D(2026, 3, 4)


def internet(**terms):
    return service(price=7000, data=blocks_term(**terms))


def account(*usage, services=None, **options):
    return with_usage(history(subscriptions=services or (internet(),)), *usage, **options)


def usage_lines(lines):
    return [line for line in lines if line.kind == "usage"]


def test_extra_data_is_billed_in_started_blocks_with_the_cycles_dates():
    # 1,320 GB against 1.2 TB: 120 GB over, 2.4 blocks of 50 GB -> 3 blocks, $30.00.
    lines = rate(account(used(1, FEB_START, FEB_END, gb=1320), courtesy_months=0), MARCH)
    [extra] = usage_lines(lines)
    assert (extra.item_key, extra.group_key, extra.category) == ("usage:1", "sub:1", "internet")
    assert (extra.period_start, extra.period_end) == (FEB_START, FEB_END)
    assert (extra.quantity, extra.amount_cents, extra.taxable) == (3, 3000, True)
    assert describe_line(extra, "en") == (
        "Extra data: 120 GB over 1.2 TB in 3 blocks of 50 GB, Feb. 5, 2026 \u2013 March 4, 2026"
    )
    assert describe_line(extra, "es").startswith(
        "Datos adicionales: 120 GB por encima de 1,2 TB en 3 bloques de 50 GB, "
    )
    # Shown with the service, after its monthly charge.
    assert [line.group_key for line in lines] == ["sub:1", "sub:1"]


def test_the_cap_holds_the_charge_and_the_line_says_so():
    lines = rate(account(used(1, FEB_START, FEB_END, gb=2000), courtesy_months=0), MARCH)
    [extra] = usage_lines(lines)
    assert (extra.quantity, extra.amount_cents) == (16, 10000)
    assert extra.label.endswith(", capped at $100.00")


def test_at_the_allowance_nothing_is_charged_and_one_byte_over_is_one_block():
    at_allowance = used(1, FEB_START, FEB_END, bytes_=1200 * GB)
    assert usage_lines(rate(account(at_allowance, courtesy_months=0), MARCH)) == []
    one_over = used(1, FEB_START, FEB_END, bytes_=1200 * GB + 1)
    [extra] = usage_lines(rate(account(one_over, courtesy_months=0), MARCH))
    assert (extra.quantity, extra.amount_cents) == (1, 1000)
    assert extra.label == "Extra data: 0.1 GB over 1.2 TB in 1 block of 50 GB"


def test_an_unlimited_plan_is_never_charged_for_data():
    unlimited = service(price=7000, data=blocks_term(allowance_gb=None))
    lines = rate(account(used(1, FEB_START, FEB_END, gb=9000), services=(unlimited,)), MARCH)
    assert usage_lines(lines) == []


def test_only_the_cycle_before_the_bill_is_charged():
    this_cycle = used(1, MARCH.start, MARCH.end, gb=2000)
    two_before = used(1, D(2026, 1, 5), D(2026, 2, 4), gb=2000)
    lines = rate(account(this_cycle, two_before, courtesy_months=0), MARCH)
    assert usage_lines(lines) == []


def test_the_first_time_over_is_forgiven_and_shown_with_its_courtesy_credit():
    lines = rate(account(used(1, FEB_START, FEB_END, gb=1320)), MARCH)
    extra, courtesy = usage_lines(lines)
    assert extra.amount_cents == 3000
    assert courtesy.amount_cents == -3000
    assert courtesy.item_key == "usage-courtesy:1"
    assert describe_line(courtesy, "en") == (
        "Courtesy: first time over in 12 months, Feb. 5, 2026 \u2013 March 4, 2026"
    )
    assert describe_line(courtesy, "es").startswith("Cortesía: ")
    assert sum(line.amount_cents for line in lines) == 7000


def test_a_second_time_over_within_the_window_is_charged():
    earlier = (D(2025, 9, 5),)  # five months before
    lines = rate(account(used(1, FEB_START, FEB_END, gb=1320), earlier_overages=earlier), MARCH)
    assert [line.amount_cents for line in usage_lines(lines)] == [3000]


def test_an_overage_more_than_the_window_ago_leaves_the_courtesy_again():
    earlier = (D(2025, 1, 5),)  # thirteen months before
    lines = rate(account(used(1, FEB_START, FEB_END, gb=1320), earlier_overages=earlier), MARCH)
    assert [line.amount_cents for line in usage_lines(lines)] == [3000, -3000]


def test_taxes_follow_the_services_category_and_a_courtesy_bears_none():
    # Regulatory recovery: 2.5% of internet. Charged: (7000 + 3000) * 2.5% = 250.
    charged = account(used(1, FEB_START, FEB_END, gb=1320), courtesy_months=0)
    charged = charged.__class__(**{**vars_of(charged), "tax_rates": iowa_like_rates()})
    lines = rate(charged, MARCH)
    taxes = {line.item_key: line.amount_cents for line in lines if line.kind == "tax"}
    assert taxes == {"tax:ia:regulatory": 250}
    forgiven = charged.__class__(**{**vars_of(charged), "usage_courtesy_months": 12})
    lines = rate(forgiven, MARCH)
    taxes = {line.item_key: line.amount_cents for line in lines if line.kind == "tax"}
    assert taxes == {"tax:ia:regulatory": 175}


def vars_of(value):
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


def test_mobile_data_by_the_gig_bills_each_started_gb_in_full():
    mobile = service(2, kind="mobile", label="Mobile By the Gig", price=0, data=by_the_gig_term())
    lines = rate(account(used(2, FEB_START, FEB_END, gb=3.4), services=(mobile,)), MARCH)
    [data] = usage_lines(lines)
    assert (data.category, data.quantity, data.amount_cents) == ("mobile", 4, 5600)
    assert describe_line(data, "en") == (
        "Data by the gig: 3.4 GB used, billed as 4 GB at $14.00 a GB (a started GB in full), "
        "Feb. 5, 2026 \u2013 March 4, 2026"
    )
    assert "cobrados como 4 GB" in describe_line(data, "es")


def test_a_price_per_gb_in_fractions_of_a_cent_is_rounded_once_half_up():
    # 3 GB at $12.345 = $37.035 -> $37.04 (rounded once, not per GB).
    assert by_the_gig_cents(3, Decimal("12.345")) == 3704
    mobile = service(2, kind="mobile", price=0, data=by_the_gig_term("12.345"))
    lines = rate(account(used(2, FEB_START, FEB_END, gb=2.5), services=(mobile,)), MARCH)
    assert [line.amount_cents for line in usage_lines(lines)] == [3704]


def test_no_data_used_on_mobile_is_no_line():
    mobile = service(2, kind="mobile", price=0, data=by_the_gig_term())
    lines = rate(account(used(2, FEB_START, FEB_END, gb=0), services=(mobile,)), MARCH)
    assert usage_lines(lines) == []


byte_counts = st.integers(min_value=0, max_value=20_000 * GB)
allowances = st.integers(min_value=0, max_value=5000)
block_sizes = st.integers(min_value=1, max_value=500)
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=100_000))


@given(byte_counts, byte_counts, allowances, block_sizes, st.integers(0, 10_000), caps)
def test_overage_is_never_negative_monotone_in_bytes_and_within_the_cap(
    a, b, allowance, block, price, cap
):
    term = blocks_term(allowance_gb=allowance, block_gb=block, block_cents=price, cap_cents=cap)
    low, high = sorted((a, b))
    blocks_low, cents_low, _ = overage_cents(low, term)
    blocks_high, cents_high, _ = overage_cents(high, term)
    assert 0 <= blocks_low <= blocks_high
    assert 0 <= cents_low <= cents_high
    if cap is not None:
        assert cents_high <= cap
    else:
        assert cents_high == blocks_high * price


@given(allowances, block_sizes, st.integers(min_value=1, max_value=10**15))
def test_blocks_are_zero_at_the_allowance_and_one_a_byte_over(allowance, block, extra):
    assert blocks_over(allowance * GB, allowance, block) == 0
    assert blocks_over(allowance * GB + 1, allowance, block) == 1
    blocks = blocks_over(allowance * GB + extra, allowance, block)
    # Enough blocks to cover what is over, and not one more.
    assert (blocks - 1) * block * GB < extra <= blocks * block * GB


@given(byte_counts, st.one_of(st.none(), allowances))
def test_started_gigabytes_cover_the_use_and_not_a_whole_one_more(used_bytes, allowance):
    billed = gigabytes_billed(used_bytes, allowance)
    over = used_bytes - (allowance or 0) * GB
    assert billed >= 0
    assert billed * GB >= over
    assert (billed - 1) * GB < max(over, 0) or billed == 0
