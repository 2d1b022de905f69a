"""Bundles in rating: a discount for the days an account has services of every kind a
bundle combines, the largest one only, prorated and trued up like the services.

The account is anchored on the 5th: the cycle Mar 5 - Apr 4, 2026 has 31 days, the
cycle Apr 5 - May 4 has 30.
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.billing.describe import describe_line
from dropline.billing.lines import prorate
from dropline.billing.rating import rate
from dropline.customers.cycles import Cycle
from tests.support.examples import examples
from tests.support.histories import (
    add_on,
    adjustment,
    after,
    bundle,
    history,
    iowa_like_rates,
    promotion,
    service,
    tax,
)

D = dt.date
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))  # 31 days
APRIL = Cycle(D(2026, 4, 5), D(2026, 5, 4))  # 30 days

INTERNET_TV = bundle("internet-tv", kinds=("internet", "tv"), discount=1000)
TRIPLE = bundle(
    "internet-tv-phone",
    kinds=("internet", "tv", "phone"),
    discount=2000,
    label="Internet + TV + Home phone",
    label_es="Internet + TV + Teléfono residencial",
)


def internet(**kwargs):
    return service(1, kind="internet", label="Internet 500", price=7000, **kwargs)


def tv(**kwargs):
    return service(2, kind="tv", label="TV Silver", price=8500, **kwargs)


def phone(**kwargs):
    return service(3, kind="phone", label="Home Phone Unlimited", price=2500, **kwargs)


def summary(lines):
    return [
        (line.kind, line.item_key, line.period_start, line.period_end, line.amount_cents)
        for line in lines
    ]


def bundle_lines(lines):
    return [line for line in lines if line.item_key.startswith("bundle:")]


def test_internet_and_tv_for_the_whole_cycle_take_the_whole_monthly_discount():
    lines = rate(history(subscriptions=(internet(), tv()), bundles=(INTERNET_TV,)), MARCH)
    assert summary(lines) == [
        ("recurring", "sub:1", D(2026, 3, 5), D(2026, 4, 4), 7000),
        ("recurring", "sub:2", D(2026, 3, 5), D(2026, 4, 4), 8500),
        ("discount", "bundle:internet-tv", D(2026, 3, 5), D(2026, 4, 4), -1000),
    ]
    (line,) = bundle_lines(lines)
    assert (line.label, line.group_key, line.category) == (
        "Internet + TV",
        "bundle:internet-tv",
        "other",
    )
    assert line.taxable


def test_no_discount_without_every_kind_of_the_bundle():
    lines = rate(history(subscriptions=(internet(), phone()), bundles=(INTERNET_TV,)), MARCH)
    assert bundle_lines(lines) == []
    assert rate(history(subscriptions=(tv(),), bundles=(INTERNET_TV, TRIPLE)), MARCH) == rate(
        history(subscriptions=(tv(),)), MARCH
    )


def test_a_service_starting_mid_cycle_prorates_the_discount_from_its_first_day():
    # TV from Mar 20: 16 days of 31 with both services, 1000 * 16 / 31 = 516.13 -> $5.16.
    lines = rate(
        history(subscriptions=(internet(), tv(started_on=D(2026, 3, 20))), bundles=(INTERNET_TV,)),
        MARCH,
    )
    assert summary(bundle_lines(lines)) == [
        ("discount", "bundle:internet-tv", D(2026, 3, 20), D(2026, 4, 4), -516)
    ]
    assert prorate(-1000, 16, 31) == -516


def test_only_the_largest_bundle_applies_on_a_day_and_its_label_says_which():
    # Phone from Mar 25: Mar 5-24 (20 days) Internet + TV at $10.00 -> $6.45; Mar 25 -
    # Apr 4 (11 days) the triple at $20.00 -> $7.10. Never both on one day.
    lines = rate(
        history(
            subscriptions=(internet(), tv(), phone(started_on=D(2026, 3, 25))),
            bundles=(INTERNET_TV, TRIPLE),
        ),
        MARCH,
    )
    assert summary(bundle_lines(lines)) == [
        ("discount", "bundle:internet-tv", D(2026, 3, 5), D(2026, 3, 24), -645),
        ("discount", "bundle:internet-tv-phone", D(2026, 3, 25), D(2026, 4, 4), -710),
    ]
    assert [line.label_es for line in bundle_lines(lines)] == [
        "Internet + TV",
        "Internet + TV + Teléfono residencial",
    ]


def test_a_bundle_applies_only_between_its_dates():
    late = bundle(starts_on=D(2026, 3, 25), ends_on=D(2026, 3, 31))
    lines = rate(history(subscriptions=(internet(), tv()), bundles=(late,)), MARCH)
    assert summary(bundle_lines(lines)) == [
        ("discount", "bundle:internet-tv", D(2026, 3, 25), D(2026, 3, 31), prorate(-1000, 7, 31))
    ]


def test_the_discount_is_never_more_than_the_services_cost():
    generous = bundle(discount=50_000)
    cheap = (service(1, kind="internet", price=1500), service(2, kind="tv", price=900))
    lines = rate(history(subscriptions=cheap, bundles=(generous,)), MARCH)
    assert summary(bundle_lines(lines)) == [
        ("discount", "bundle:internet-tv", D(2026, 3, 5), D(2026, 4, 4), -2400)
    ]
    promoted = (
        service(
            1, kind="internet", price=1500, promotion=promotion(price=500, ends_on=D(2027, 1, 1))
        ),
        service(2, kind="tv", price=900),
    )
    lines = rate(history(subscriptions=promoted, bundles=(generous,)), MARCH)
    assert sum(line.amount_cents for line in lines) == 0


def test_the_bundle_has_its_own_group_after_the_services_and_before_the_account():
    lines = rate(
        history(
            subscriptions=(internet(), tv()),
            add_ons=(add_on(1, subscription_id=2, category="tv", price=899),),
            adjustments=(adjustment(occurred_on=D(2026, 3, 1)),),
            bundles=(INTERNET_TV,),
            tax_rates=iowa_like_rates(),
        ),
        MARCH,
    )
    assert [line.group_key for line in lines if line.kind != "tax"] == [
        "sub:1",
        "sub:2",
        "sub:2",
        "bundle:internet-tv",
        "account",
    ]


def test_ending_a_service_after_the_bill_trues_the_discount_up_for_the_days_it_no_longer_applies():
    before = history(subscriptions=(internet(), tv()), bundles=(INTERNET_TV,))
    march = rate(before, MARCH)
    cancelled = after(before, march, (MARCH.start, MARCH.end), subscriptions=(
        internet(),
        tv(ended_on=D(2026, 3, 24), status="cancelled"),
    ))  # fmt: skip
    april = rate(cancelled, APRIL)
    # Kept Mar 5-24, 20 days: the discount is $6.45, $10.00 was given, $3.55 is back.
    assert summary(bundle_lines(april)) == [
        ("proration", "bundle:internet-tv", D(2026, 3, 25), D(2026, 4, 4), 355)
    ]


def test_home_phone_lines_count_for_a_fee_per_line_that_applies_to_them():
    e911 = tax("e911", kind="line_fee", amount=100, applies_to=("mobile", "phone"), name="911")
    mobile = service(4, kind="mobile", label="Mobile Unlimited", price=2999)
    only_phone = rate(history(subscriptions=(phone(),), tax_rates=(e911,)), MARCH)
    assert [(line.category, line.quantity, line.amount_cents) for line in only_phone[-1:]] == [
        ("phone", 1, 100)
    ]
    both = rate(history(subscriptions=(phone(), mobile), tax_rates=(e911,)), MARCH)
    assert [(line.category, line.quantity, line.amount_cents) for line in both[-1:]] == [
        ("fees", 2, 200)
    ]
    mobile_only_fee = tax("e911", kind="line_fee", amount=100, applies_to=("mobile",))
    lines = rate(history(subscriptions=(phone(),), tax_rates=(mobile_only_fee,)), MARCH)
    assert [line for line in lines if line.kind == "tax"] == []


def test_home_phone_is_billed_after_tv_and_before_mobile():
    mobile = service(4, kind="mobile", label="Mobile Unlimited", price=2999)
    lines = rate(history(subscriptions=(mobile, phone(), tv(), internet())), MARCH)
    assert [line.item_key for line in lines] == ["sub:1", "sub:2", "sub:3", "sub:4"]


# Properties --------------------------------------------------------------------------

KINDS = ("internet", "tv", "phone", "mobile")
DAYS = st.integers(min_value=-10, max_value=40)  # offsets from the cycle's first day
BUNDLES = (
    bundle("internet-tv", kinds=("internet", "tv"), discount=1000),
    bundle("internet-mobile", kinds=("internet", "mobile"), discount=500),
    bundle("internet-tv-phone", kinds=("internet", "tv", "phone"), discount=2000),
)


@st.composite
def services(draw, cycle=MARCH, cheapest=0):
    count = draw(st.integers(min_value=1, max_value=5))
    result = []
    for index in range(count):
        kind = draw(st.sampled_from(KINDS))
        start = cycle.start + dt.timedelta(days=draw(DAYS))
        end_offset = draw(st.one_of(st.none(), DAYS))
        ended = None
        if end_offset is not None:
            ended = max(start, cycle.start + dt.timedelta(days=end_offset))
        price = draw(st.integers(min_value=cheapest, max_value=15_000))
        promo = None
        if draw(st.booleans()):
            promo = promotion(
                price=draw(st.integers(min_value=cheapest, max_value=price)),
                ends_on=cycle.start + dt.timedelta(days=draw(DAYS)),
            )
        result.append(
            service(
                index + 1,
                kind=kind,
                started_on=start,
                ended_on=ended,
                price=price,
                promotion=promo,
            )
        )
    return tuple(result)


discounts = st.integers(min_value=1, max_value=40_000)


def _days(line):
    return [
        line.period_start + dt.timedelta(days=n)
        for n in range((line.period_end - line.period_start).days + 1)
    ]


@settings(max_examples=examples(300), deadline=None)
@given(subscriptions=services(), discount=discounts)
def test_the_discount_never_exceeds_what_the_services_are_charged(subscriptions, discount):
    bundles = (*BUNDLES, bundle("everything", kinds=KINDS, discount=discount))
    lines = rate(history(subscriptions=subscriptions, bundles=bundles), MARCH)
    given_back = -sum(line.amount_cents for line in bundle_lines(lines))
    charged = sum(
        line.amount_cents
        for line in lines
        if line.item_key.startswith(("sub:", "promo:")) and line.kind != "tax"
    )
    assert 0 <= given_back <= charged
    assert all(line.amount_cents < 0 for line in bundle_lines(lines))
    assert all(isinstance(line.amount_cents, int) for line in lines)


@settings(max_examples=examples(300), deadline=None)
@given(subscriptions=services(cheapest=100))
def test_bundle_days_add_up_to_the_days_with_every_kind_and_never_stack(subscriptions):
    # Every service costs at least $1.00 a month: a day of discount always comes to a cent.
    lines = rate(history(subscriptions=subscriptions, bundles=BUNDLES), MARCH)
    covered: dict[dt.date, str] = {}
    for line in bundle_lines(lines):
        for day in _days(line):
            assert day not in covered, "two bundles on one day"
            covered[day] = line.item_key
    for offset in range(MARCH.days):
        day = MARCH.start + dt.timedelta(days=offset)
        kinds = {
            s.kind
            for s in subscriptions
            if s.started_on <= day and (s.last_day is None or day <= s.last_day)
        }
        best = max(
            (b for b in BUNDLES if b.kinds <= kinds),
            key=lambda b: (b.monthly_discount_cents, len(b.kinds)),
            default=None,
        )
        assert covered.get(day) == (best.item_key if best else None)
    # The discount of a run of days is the monthly discount prorated over them, or less.
    for line in bundle_lines(lines):
        monthly = next(b.monthly_discount_cents for b in BUNDLES if b.item_key == line.item_key)
        assert -line.amount_cents <= prorate(monthly, len(_days(line)), MARCH.days)


@settings(max_examples=examples(200), deadline=None)
@given(
    added=st.integers(min_value=0, max_value=30),
    kept=st.integers(min_value=1, max_value=31),
    discount=st.integers(min_value=1, max_value=5000),
    billed_with_it=st.booleans(),
)
def test_a_service_added_then_removed_in_a_cycle_trues_up_to_exactly_the_kept_days(
    added, kept, discount, billed_with_it
):
    first = MARCH.start + dt.timedelta(days=added)
    last = min(first + dt.timedelta(days=kept - 1), MARCH.end)
    kept_days = (last - first).days + 1
    deal = bundle(discount=discount)
    base = history(subscriptions=(internet(started_on=D(2026, 1, 5)),), bundles=(deal,))
    if billed_with_it:
        # Billed in advance with TV already there from ``first``, then ended on ``last``.
        billed_history = history(
            subscriptions=(internet(started_on=D(2026, 1, 5)), tv(started_on=first)),
            bundles=(deal,),
        )
        march = rate(billed_history, MARCH)
    else:
        # Billed with internet alone; TV came and went during the cycle.
        march = rate(base, MARCH)
    changed = after(
        base,
        march,
        (MARCH.start, MARCH.end),
        subscriptions=(internet(started_on=D(2026, 1, 5)), tv(started_on=first, ended_on=last)),
    )
    april = rate(changed, APRIL)
    billed = sum(line.amount_cents for line in bundle_lines(march))
    trued = [line for line in bundle_lines(april) if line.kind == "proration"]
    expected = prorate(-discount, kept_days, MARCH.days)
    if kept_days == MARCH.days:
        expected = -discount
    assert billed + sum(line.amount_cents for line in trued) == expected
    # And April itself has no bundle: TV is gone.
    assert [line for line in bundle_lines(april) if line.kind == "discount"] == []


def test_a_fee_per_line_says_which_lines_it_counts():
    e911 = tax("e911", kind="line_fee", amount=100, applies_to=("mobile", "phone"), name="911 fee")
    mobile = service(4, kind="mobile", label="Mobile Unlimited", price=2999)
    [phone_fee] = rate(history(subscriptions=(phone(),), tax_rates=(e911,)), MARCH)[-1:]
    assert describe_line(phone_fee, "en") == "911 fee, 1 home phone line"
    assert describe_line(phone_fee, "es") == "911 fee, 1 línea de teléfono residencial"
    [both] = rate(history(subscriptions=(phone(), mobile), tax_rates=(e911,)), MARCH)[-1:]
    assert describe_line(both, "en") == "911 fee, 2 lines"
    [mobile_fee] = rate(history(subscriptions=(mobile,), tax_rates=(e911,)), MARCH)[-1:]
    assert describe_line(mobile_fee, "en") == "911 fee, 1 mobile line"


def test_a_bundle_true_up_says_what_happened_to_the_discount():
    before = history(
        subscriptions=(internet(), tv(started_on=D(2026, 3, 20))), bundles=(INTERNET_TV,)
    )
    march = rate(before, MARCH)
    # TV turned out to have started on Mar 10: more days of discount.
    earlier = after(before, march, (MARCH.start, MARCH.end), subscriptions=(
        internet(),
        tv(started_on=D(2026, 3, 10)),
    ))  # fmt: skip
    [more] = [line for line in rate(earlier, APRIL) if line.item_key.startswith("bundle:")
              and line.kind == "proration"]  # fmt: skip
    assert more.amount_cents < 0
    assert describe_line(more, "en") == (
        "Bundle discount (Internet + TV), more days, March 10, 2026 \u2013 March 19, 2026"
    )
