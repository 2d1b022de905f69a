"""Rating golden bills, with the arithmetic written out, and its properties.

The account is anchored on the 5th: the cycle Mar 5 - Apr 4, 2026 has 31 days, the
cycle Apr 5 - May 4 has 30. A partial line is ``monthly * days / cycle days``,
rounded half-up once.
"""

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.billing.lines import prorate
from dropline.billing.rating import rate, true_up_period
from dropline.customers.cycles import Cycle, cycle_containing
from tests.support.examples import examples
from tests.support.histories import (
    add_on,
    adjustment,
    after,
    history,
    iowa_like_rates,
    promotion,
    rental,
    service,
)

D = dt.date
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))  # 31 days
APRIL = Cycle(D(2026, 4, 5), D(2026, 5, 4))  # 30 days


def vars_of(line):
    return {name: getattr(line, name) for name in line.__dataclass_fields__}


def summary(lines):
    return [
        (line.kind, line.item_key, line.period_start, line.period_end, line.amount_cents)
        for line in lines
    ]


def test_a_whole_cycle_is_the_monthly_price_with_its_dates():
    lines = rate(history(subscriptions=(service(price=7000),)), MARCH)
    assert summary(lines) == [("recurring", "sub:1", D(2026, 3, 5), D(2026, 4, 4), 7000)]
    assert lines[0].label == "Internet 500"
    assert lines[0].group_key == "sub:1"
    assert lines[0].taxable


def test_a_promotion_ending_mid_cycle_is_a_discount_split_at_its_end_date():
    # Regular $70.00, promotional $45.00 until Mar 20: the discount is $25.00 a month
    # for Mar 5-20, 16 days of 31: 2500 * 16 / 31 = 1290.32 -> $12.90 off.
    internet = service(price=7000, promotion=promotion(price=4500, ends_on=D(2026, 3, 20)))
    lines = rate(history(subscriptions=(internet,)), MARCH)
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 3, 5), D(2026, 4, 4), 7000),
        ("discount", "promo:1", D(2026, 3, 5), D(2026, 3, 20), -1290),
    ]
    assert sum(line.amount_cents for line in lines) == 5710
    assert lines[1].label == "Spring offer, until March 20, 2026"
    assert lines[1].label_es == "Oferta de primavera, hasta el 20 de marzo de 2026"
    # The next cycle has no discount left.
    assert [line.kind for line in rate(history(subscriptions=(internet,)), APRIL)] == ["recurring"]


def test_a_promotion_for_the_whole_cycle_takes_the_whole_difference():
    internet = service(price=7000, promotion=promotion(price=4500, ends_on=D(2026, 12, 4)))
    lines = rate(history(subscriptions=(internet,)), MARCH)
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 3, 5), D(2026, 4, 4), 7000),
        ("discount", "promo:1", D(2026, 3, 5), D(2026, 4, 4), -2500),
    ]


def test_a_price_change_mid_cycle_splits_the_line():
    # $70.00 until Mar 14, $75.00 from Mar 15:
    #   Mar 5-14, 10 days: 7000 * 10 / 31 = 2258.06 -> $22.58
    #   Mar 15 - Apr 4, 21 days: 7500 * 21 / 31 = 5080.65 -> $50.81
    internet = service(prices=((D(2026, 1, 5), 7000), (D(2026, 3, 15), 7500)))
    lines = rate(history(subscriptions=(internet,)), MARCH)
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 3, 5), D(2026, 3, 14), 2258),
        ("recurring", "sub:1", D(2026, 3, 15), D(2026, 4, 4), 5081),
    ]


def test_a_mid_cycle_add_on_is_trued_up_on_the_next_bill_with_its_dates():
    internet = service(price=7000)
    march = history(subscriptions=(internet,))
    march_lines = rate(march, MARCH)
    # Wi-Fi boost ($5.00) added on Mar 10, after the March bill went out.
    april = after(
        march,
        march_lines,
        (MARCH.start, MARCH.end),
        add_ons=(add_on(price=500, started_on=D(2026, 3, 10)),),
    )
    lines = rate(april, APRIL)
    # In advance for April: the service and the add-on, whole. True-up of March:
    # Mar 10 - Apr 4 is 26 days of 31: 500 * 26 / 31 = 419.35 -> $4.19.
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 4, 5), D(2026, 5, 4), 7000),
        ("recurring", "addon:1", D(2026, 4, 5), D(2026, 5, 4), 500),
        ("proration", "addon:1", D(2026, 3, 10), D(2026, 4, 4), 419),
    ]
    assert lines[2].label == "Wi-Fi boost"
    assert lines[2].group_key == "sub:1"


def test_nothing_changed_means_no_true_up():
    internet = service(price=7000, promotion=promotion(price=4500, ends_on=D(2026, 3, 20)))
    march = history(subscriptions=(internet,), equipment=(rental(),))
    april = after(march, rate(march, MARCH), (MARCH.start, MARCH.end))
    assert [line.kind for line in rate(april, APRIL)] == ["recurring", "recurring"]


def test_a_cancellation_credits_the_days_not_used():
    tv = service(2, kind="tv", label="TV Essentials", price=4000)
    march = history(subscriptions=(service(price=7000), tv))
    march_lines = rate(march, MARCH)
    # TV cancelled with Mar 24 its last day. Used: Mar 5-24, 20 days of 31:
    # 4000 * 20 / 31 = 2580.65 -> 2581; billed 4000; credit 4000 - 2581 = $14.19 for
    # Mar 25 - Apr 4 (11 days: 4000 * 11 / 31 = 1419.35).
    ended = service(
        2, kind="tv", label="TV Essentials", price=4000, ended_on=D(2026, 3, 24), status="cancelled"
    )
    april = after(march, march_lines, (MARCH.start, MARCH.end), subscriptions=(service(), ended))
    assert summary(rate(april, APRIL)) == [
        ("recurring", "sub:1", D(2026, 4, 5), D(2026, 5, 4), 7000),
        ("proration", "sub:2", D(2026, 3, 25), D(2026, 4, 4), -1419),
    ]


def test_a_plan_change_credits_the_old_plan_and_charges_the_new_one():
    old = service(1, price=7000)
    march = history(subscriptions=(old,))
    march_lines = rate(march, MARCH)
    # Moved to Internet 1000 ($90.00) on Mar 25: the old one ended Mar 24.
    ended = service(1, price=7000, ended_on=D(2026, 3, 24), status="cancelled")
    new = service(2, label="Internet 1000", price=9000, started_on=D(2026, 3, 25))
    april = after(march, march_lines, (MARCH.start, MARCH.end), subscriptions=(ended, new))
    # Old: used 20 days of 31: 7000 * 20 / 31 = 4516.13 -> 4516; credit 7000 - 4516 = -2484.
    # New: Mar 25 - Apr 4, 11 days: 9000 * 11 / 31 = 3193.55 -> 3194.
    assert summary(rate(april, APRIL)) == [
        ("proration", "sub:1", D(2026, 3, 25), D(2026, 4, 4), -2484),
        ("recurring", "sub:2", D(2026, 4, 5), D(2026, 5, 4), 9000),
        ("proration", "sub:2", D(2026, 3, 25), D(2026, 4, 4), 3194),
    ]


def test_a_price_change_recorded_after_billing_is_trued_up_from_its_date():
    march = history(subscriptions=(service(price=7000),))
    march_lines = rate(march, MARCH)
    changed = service(prices=((D(2026, 1, 5), 7000), (D(2026, 3, 25), 7600)))
    april = after(march, march_lines, (MARCH.start, MARCH.end), subscriptions=(changed,))
    # Should have been 7000 * 20 / 31 = 4516.13 -> 4516 plus 7600 * 11 / 31 = 2696.77 -> 2697,
    # 7213 in all; billed 7000: +$2.13 for Mar 25 - Apr 4.
    assert summary(rate(april, APRIL))[1:] == [
        ("proration", "sub:1", D(2026, 3, 25), D(2026, 4, 4), 213),
    ]


def test_one_time_charges_and_credits_are_billed_in_arrears():
    lines = rate(
        history(
            subscriptions=(service(price=7000),),
            adjustments=(
                adjustment(1, amount=3500, occurred_on=D(2026, 3, 20)),
                adjustment(
                    2,
                    kind="credit",
                    amount=1000,
                    description="Outage credit",
                    occurred_on=D(2026, 3, 28),
                ),
                adjustment(3, amount=900, occurred_on=D(2026, 4, 10)),  # after the bill date
            ),
        ),
        APRIL,
    )
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 4, 5), D(2026, 5, 4), 7000),
        ("one_time", "adj:1", D(2026, 3, 20), D(2026, 3, 20), 3500),
        ("credit", "adj:2", D(2026, 3, 28), D(2026, 3, 28), -1000),
    ]
    assert lines[2].label == "Outage credit"
    assert lines[1].group_key == lines[2].group_key == "account"


def test_iowa_like_taxes_and_fees_each_their_own_line_rounded_once():
    subscriptions = (
        service(1, price=6990),
        service(2, kind="tv", label="TV Essentials", price=3990),
        service(3, kind="mobile", label="Unlimited", price=3000, phone_number="+13195550101"),
        service(4, kind="mobile", label="Unlimited", price=3000, phone_number="+13195550102"),
    )
    lines = rate(
        history(
            subscriptions=subscriptions,
            equipment=(rental(price=1000),),
            adjustments=(adjustment(amount=3500, occurred_on=D(2026, 4, 1)),),  # not taxable
            tax_rates=iowa_like_rates(),
        ),
        APRIL,
    )
    taxes = [(line.item_key, line.quantity, line.amount_cents) for line in lines[-4:]]
    # Sales tax 6% of TV, equipment, mobile: (3990 + 1000 + 3000 + 3000) * 0.06 = 659.4 -> 659
    # 911 fee $1.00 a mobile line, 2 lines: 200
    # Regulatory recovery 2.5% of internet: 6990 * 0.025 = 174.75 -> 175
    # Franchise fee 5% of TV (the city's): 3990 * 0.05 = 199.5 -> 200
    assert taxes == [
        ("tax:ia:e911", 2, 200),
        ("tax:ia:regulatory", 1, 175),
        ("tax:ia:sales-tax", 1, 659),
        ("tax:riverbend:franchise", 1, 200),
    ]
    assert all(line.kind == "tax" and line.group_key == "account" for line in lines[-4:])
    assert lines[-2].percent == Decimal("6.0000")
    assert lines[-2].label == "Iowa sales tax"
    assert lines[-1].jurisdiction_code == "riverbend"


def test_taxes_in_force_on_the_first_day_of_the_cycle():
    from tests.support.histories import tax

    rates = (
        tax("sales-tax", kind="sales_tax", percent="6.0000", effective_until=D(2026, 4, 4)),
        tax("sales-tax", kind="sales_tax", percent="7.0000", effective_from=D(2026, 4, 5)),
    )
    tv = service(kind="tv", price=4000)
    assert rate(history(subscriptions=(tv,), tax_rates=rates), MARCH)[-1].amount_cents == 240
    assert rate(history(subscriptions=(tv,), tax_rates=rates), APRIL)[-1].amount_cents == 280


def test_the_first_bill_catches_up_the_days_since_the_account_opened():
    # Opened and connected on Mar 20, first billed on Apr 5: Mar 20 - Apr 4 is 16 of 31
    # days, 7000 * 16 / 31 = 3612.90 -> 3613.
    opened = D(2026, 3, 20)
    lines = rate(history(subscriptions=(service(started_on=opened),), opened_on=opened), APRIL)
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 4, 5), D(2026, 5, 4), 7000),
        ("proration", "sub:1", D(2026, 3, 20), D(2026, 4, 4), 3613),
    ]


def test_only_a_period_billed_before_the_cycle_is_trued_up():
    march = history(subscriptions=(service(),))
    assert true_up_period(march, APRIL) is None  # opened long before, never billed
    billed_april = after(march, rate(march, APRIL), (APRIL.start, APRIL.end))
    assert true_up_period(billed_april, APRIL) is None
    assert true_up_period(billed_april, APRIL.next()) == APRIL


def test_equipment_rentals_are_prorated_to_their_return():
    # Returned Apr 14: Apr 5-14 is 10 days of 30: 1000 * 10 / 30 = 333.33 -> 333.
    lines = rate(
        history(subscriptions=(service(),), equipment=(rental(returned_on=D(2026, 4, 14)),)),
        APRIL,
    )
    assert summary(lines)[1] == ("recurring", "equip:1", D(2026, 4, 5), D(2026, 4, 14), 333)


# Properties ---------------------------------------------------------------------------


@given(
    monthly=st.integers(0, 10_000_000),
    anchor=st.integers(1, 31),
    day=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    cuts=st.lists(st.integers(1, 30), max_size=4, unique=True),
)
def test_prorations_across_a_cycle_add_up_to_the_monthly_price(monthly, anchor, day, cuts):
    cycle = cycle_containing(anchor, day)
    bounds = sorted({0, cycle.days, *[cut for cut in cuts if cut < cycle.days]})
    parts = [prorate(monthly, end - start, cycle.days) for start, end in itertools.pairwise(bounds)]
    assert 2 * abs(sum(parts) - monthly) <= len(parts)


@given(
    monthly=st.integers(1, 1_000_000),
    anchor=st.integers(1, 31),
    day=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    offset=st.integers(1, 30),
)
def test_a_service_handed_over_mid_cycle_bills_the_month_once(monthly, anchor, day, offset):
    cycle = cycle_containing(anchor, day)
    switch = cycle.start + dt.timedelta(days=offset % cycle.days or 1)
    before = service(1, price=monthly, started_on=D(2020, 1, 1), ended_on=switch - dt.timedelta(1))
    later = service(2, price=monthly, started_on=switch)
    account = history(subscriptions=(before, later), bill_cycle_day=anchor, opened_on=D(2020, 1, 1))
    lines = rate(account, cycle)
    assert len(lines) == 2
    assert abs(sum(line.amount_cents for line in lines) - monthly) <= 1


services = st.builds(
    lambda id, kind, price, start, length, promo: service(
        id,
        kind=kind,
        price=price,
        started_on=start,
        ended_on=start + dt.timedelta(days=length) if length is not None else None,
        promotion=promotion(price=promo[0], ends_on=promo[1]) if promo else None,
    ),
    id=st.integers(1, 5),
    kind=st.sampled_from(["internet", "tv", "mobile"]),
    price=st.integers(0, 20_000),
    start=st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 6, 1)),
    length=st.none() | st.integers(0, 120),
    promo=st.none()
    | st.tuples(st.integers(0, 20_000), st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 9, 1))),
)


@settings(max_examples=examples(150))
@given(
    subscriptions=st.lists(services, max_size=4, unique_by=lambda s: s.id),
    extras=st.lists(
        st.builds(
            lambda id, price, start: add_on(id, subscription_id=id, price=price, started_on=start),
            id=st.integers(1, 5),
            price=st.integers(0, 3000),
            start=st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 6, 1)),
        ),
        max_size=3,
        unique_by=lambda a: a.id,
    ),
    anchor=st.integers(1, 31),
    day=st.dates(min_value=D(2026, 2, 1), max_value=D(2026, 7, 1)),
    billed_before=st.booleans(),
)
def test_rating_is_deterministic_and_never_a_float(
    subscriptions, extras, anchor, day, billed_before
):
    cycle = cycle_containing(anchor, day)
    account = history(
        subscriptions=tuple(subscriptions),
        add_ons=tuple(extras),
        tax_rates=iowa_like_rates(),
        adjustments=(adjustment(occurred_on=cycle.start),),
        bill_cycle_day=anchor,
    )
    if billed_before:
        previous = cycle.previous()
        account = after(account, rate(account, previous), (previous.start, previous.end))
    first = rate(account, cycle)
    assert rate(account, cycle) == first
    for line in first:
        assert type(line.amount_cents) is int
        assert type(line.quantity) is int
        assert line.percent is None or isinstance(line.percent, Decimal)
        assert not [name for name, value in vars_of(line).items() if isinstance(value, float)]
    if billed_before:
        # Billing the same cycle the same way again finds nothing to true up.
        again = after(account, first, (cycle.start, cycle.end))
        assert not [line for line in rate(again, cycle.next()) if line.kind == "proration"]
