"""Why did my bill change? Golden explanations from real ratings, and the property that
the changes add up exactly to the difference."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.billing.explaining import CHANGE_KINDS, explain, explain_invoice
from dropline.billing.lines import RatedLine
from dropline.billing.rating import rate
from dropline.customers.cycles import Cycle
from tests.support.examples import examples
from tests.support.histories import (
    add_on,
    adjustment,
    after,
    history,
    promotion,
    service,
    tax,
)

D = dt.date
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))  # 31 days
APRIL = Cycle(D(2026, 4, 5), D(2026, 5, 4))  # 30 days


def bills(before, changes):
    """The March bill of ``before`` and the April bill once ``changes`` were made."""
    march_lines = rate(before, MARCH)
    april_lines = rate(after(before, march_lines, (MARCH.start, MARCH.end), **changes), APRIL)
    return march_lines, april_lines


def explained(previous, current, language="en"):
    changes = explain(previous, current, language=language)
    assert sum(change.amount_cents for change in changes) == sum(
        line.amount_cents for line in current
    ) - sum(line.amount_cents for line in previous)
    return [(change.kind, change.text, change.amount_cents, change.on) for change in changes]


def test_a_promotion_that_ended():
    # Promotional $45.00 for a $70.00 service until Apr 4: March has the whole $25.00
    # discount, April none.
    internet = service(price=7000, promotion=promotion(price=4500, ends_on=D(2026, 4, 4)))
    march, april = bills(history(subscriptions=(internet,)), {})
    assert explained(march, april) == [
        (
            "promotion_ended",
            "Your promotional price for Internet 500 ended on April 4, 2026: +$25.00",
            2500,
            D(2026, 4, 4),
        )
    ]
    assert explained(march, april, "es")[0][1] == (
        "Su precio promocional de Internet 500 terminó el 4 de abril de 2026: +$25.00"
    )


def test_a_promotion_ending_inside_this_bill():
    # Ends Apr 20: April keeps the discount for Apr 5-20, 16 of 30 days:
    # 2500 * 16 / 30 = 1333.33 -> -$13.33, so the bill goes up $25.00 - $13.33 = $11.67.
    internet = service(price=7000, promotion=promotion(price=4500, ends_on=D(2026, 4, 20)))
    march, april = bills(history(subscriptions=(internet,)), {})
    assert explained(march, april) == [
        (
            "promotion_ended",
            "Your promotional price for Internet 500 ended on April 20, 2026: +$11.67",
            1167,
            D(2026, 4, 20),
        )
    ]


def test_a_new_add_on_mid_cycle():
    # Wi-Fi boost from Mar 10: $5.00 for April plus Mar 10 - Apr 4 (26 of 31 days,
    # 500 * 26 / 31 = 419.35 -> $4.19): +$9.19.
    march, april = bills(
        history(subscriptions=(service(),)),
        {"add_ons": (add_on(price=500, started_on=D(2026, 3, 10)),)},
    )
    assert explained(march, april) == [
        (
            "added",
            "New add-on Wi-Fi boost from March 10, 2026 "
            "(partial month March 10, 2026 \u2013 April 4, 2026): +$9.19",
            919,
            D(2026, 3, 10),
        )
    ]
    assert explained(march, april, "es")[0][1] == (
        "Nuevo complemento Refuerzo de Wi-Fi desde el 10 de marzo de 2026 "
        "(parte del mes, 10 de marzo de 2026 \u2013 4 de abril de 2026): +$9.19"
    )


def test_a_plan_change_with_its_prorations():
    # From Internet 500 ($70.00) to Internet 1000 ($90.00) on Mar 25: credit -$24.84 for
    # the old plan, $31.94 for Mar 25 - Apr 4 on the new one, $90.00 for April instead
    # of $70.00: 9000 + 3194 - 2484 - 7000 = +$27.10.
    ended = service(1, ended_on=D(2026, 3, 24), status="cancelled")
    new = service(2, label="Internet 1000", price=9000, started_on=D(2026, 3, 25))
    march, april = bills(history(subscriptions=(service(1),)), {"subscriptions": (ended, new)})
    assert explained(march, april) == [
        (
            "plan_changed",
            "Plan changed from Internet 500 to Internet 1000 on March 25, 2026: +$27.10",
            2710,
            D(2026, 3, 25),
        )
    ]


def test_a_cancelled_service_and_its_credit():
    # TV ($40.00) ended Mar 24: no April charge (-$40.00) and a credit for Mar 25 - Apr 4
    # (4000 * 11 / 31 = 1419.35 -> -$14.19): -$54.19.
    tv = service(2, kind="tv", label="TV Essentials", price=4000)
    gone = service(
        2, kind="tv", label="TV Essentials", price=4000, ended_on=D(2026, 3, 24), status="cancelled"
    )
    march, april = bills(
        history(subscriptions=(service(1), tv)), {"subscriptions": (service(1), gone)}
    )
    assert explained(march, april) == [
        (
            "removed",
            "TV Essentials ended on March 24, 2026 "
            "(credit for March 25, 2026 \u2013 April 4, 2026): -$54.19",
            -5419,
            D(2026, 3, 24),
        )
    ]


def test_a_price_change():
    # $76.00 from Mar 25, recorded after March was billed: +$2.13 for Mar 25 - Apr 4
    # (see the rating test) and +$6.00 for April: +$8.13.
    changed = service(prices=((D(2026, 1, 5), 7000), (D(2026, 3, 25), 7600)))
    march, april = bills(history(subscriptions=(service(),)), {"subscriptions": (changed,)})
    assert explained(march, april) == [
        (
            "price_changed",
            "New price for Internet 500 from March 25, 2026: +$8.13",
            813,
            D(2026, 3, 25),
        )
    ]


def test_one_time_charges_credits_and_the_taxes_that_follow():
    rates = (tax("sales-tax", kind="sales_tax", percent="6.0000", applies_to=("fees",)),)
    before = history(subscriptions=(service(),), tax_rates=rates)
    fee = adjustment(1, amount=3500, taxable=True, occurred_on=D(2026, 3, 20))
    credit = adjustment(
        2, kind="credit", amount=1000, description="Outage credit", occurred_on=D(2026, 3, 28)
    )
    march, april = bills(before, {"adjustments": (fee, credit)})
    # 6% of the taxable $35.00 fee: $2.10.
    assert explained(march, april) == [
        (
            "one_time",
            "One-time charge Installation visit on March 20, 2026: +$35.00",
            3500,
            D(2026, 3, 20),
        ),
        ("credit", "Credit Outage credit on March 28, 2026: -$10.00", -1000, D(2026, 3, 28)),
        ("taxes_changed", "Taxes and fees, following your charges: +$2.10", 210, None),
    ]
    # The bill after: neither is repeated.
    may = rate(after(before, april, (APRIL.start, APRIL.end)), APRIL.next())
    assert [change[0:3] for change in explained(april, may)] == [
        (
            "one_time",
            "Last bill's one-time charge Installation visit is not repeated: -$35.00",
            -3500,
        ),
        ("credit", "Last bill's credit Outage credit is not repeated: +$10.00", 1000),
        ("taxes_changed", "Taxes and fees, following your charges: -$2.10", -210),
    ]


def test_a_new_tax_rate_is_named():
    rates = (
        tax("sales-tax", kind="sales_tax", percent="6.0000", effective_until=D(2026, 4, 4)),
        tax("sales-tax", kind="sales_tax", percent="7.0000", effective_from=D(2026, 4, 5)),
    )
    march, april = bills(history(subscriptions=(service(kind="tv"),), tax_rates=rates), {})
    assert explained(march, april) == [
        (
            "taxes_changed",
            "Taxes and fees, with Sales tax going from 6% to 7%: +$0.70",
            70,
            None,
        )
    ]


def test_the_partial_month_on_the_first_bill_is_not_repeated():
    opened = D(2026, 3, 20)
    first = history(subscriptions=(service(started_on=opened),), opened_on=opened)
    april = rate(first, APRIL)
    may = rate(after(first, april, (APRIL.start, APRIL.end)), APRIL.next())
    assert explained(april, may) == [
        (
            "proration",
            "Last bill's partial month for Internet 500 is not repeated: -$36.13",
            -3613,
            None,
        )
    ]


def test_the_same_bill_again_has_nothing_to_explain():
    march = rate(history(subscriptions=(service(),)), MARCH)
    assert explain(march, march, language="en") == []


# The property ---------------------------------------------------------------------------

kinds = st.sampled_from(["recurring", "discount", "proration", "one_time", "credit", "tax"])
keys = st.sampled_from(
    ["sub:1", "sub:2", "promo:1", "addon:1", "addon:2", "equip:1", "adj:1", "adj:2", "tax:ia:s"]
)
days = st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31))


@st.composite
def lines(draw):
    start = draw(st.none() | days)
    end = None if start is None else start + dt.timedelta(days=draw(st.integers(0, 40)))
    return RatedLine(
        kind=draw(kinds),
        category=draw(st.sampled_from(["internet", "tv", "mobile", "equipment", "fees"])),
        item_key=draw(keys),
        group_key=draw(st.sampled_from(["sub:1", "sub:2", "account"])),
        label=draw(st.sampled_from(["Internet 500", "TV", "Wi-Fi boost", "Fee"])),
        label_es=draw(st.sampled_from(["", "Televisión"])),
        period_start=start,
        period_end=end,
        quantity=draw(st.integers(1, 4)),
        amount_cents=draw(st.integers(-100_000, 100_000)),
        taxable=draw(st.booleans()),
        percent=draw(st.none() | st.decimals(0, 20, places=4)),
    )


@settings(max_examples=examples(200))
@given(
    previous=st.lists(lines(), max_size=12),
    current=st.lists(lines(), max_size=12),
    language=st.sampled_from(["en", "es"]),
)
def test_the_changes_add_up_exactly_to_the_difference(previous, current, language):
    changes = explain(previous, current, language=language)
    assert sum(change.amount_cents for change in changes) == sum(
        line.amount_cents for line in current
    ) - sum(line.amount_cents for line in previous)
    for change in changes:
        assert change.kind in CHANGE_KINDS
        assert change.amount_cents != 0
        assert change.text
        assert type(change.amount_cents) is int
        assert not isinstance(change.amount_cents, Decimal)


# The stored invoices -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_invoice_is_explained_against_the_bill_before_it(make_customer):
    from tests.support.histories import write_invoice

    account = make_customer(username="rivera").account
    internet = service(price=7000, promotion=promotion(price=4500, ends_on=D(2026, 4, 4)))
    march, april = bills(history(subscriptions=(internet,)), {})
    first = write_invoice(account, (MARCH.start, MARCH.end), march)
    second = write_invoice(account, (APRIL.start, APRIL.end), april)

    assert explain_invoice(first, language="en") is None
    changes = explain_invoice(second, language="es")
    assert changes is not None
    (change,) = changes
    assert change.kind == "promotion_ended"
    assert change.amount_cents == second.total_cents - first.total_cents == 2500
    assert change.text.startswith("Su precio promocional de Internet 500 terminó")


def test_a_plan_change_ends_the_promotion_on_the_day_before():
    # On the spring offer until June; moved to Internet 1000 on Mar 25. The discount
    # billed for Mar 25 - Apr 4 is handed back (2500 * 11 / 31 = 887.10 -> $8.87) and
    # April has none (+$25.00): +$33.87.
    spring = promotion(price=4500, ends_on=D(2026, 6, 4))
    old = service(1, promotion=spring)
    ended = service(1, promotion=spring, ended_on=D(2026, 3, 24), status="cancelled")
    new = service(2, label="Internet 1000", price=9000, started_on=D(2026, 3, 25))
    march, april = bills(history(subscriptions=(old,)), {"subscriptions": (ended, new)})
    changes = explained(march, april)
    assert [kind for kind, *_ in changes] == ["plan_changed", "promotion_ended"]
    assert changes[1][1:] == (
        "Your promotional price for Internet 500 ended on March 24, 2026: +$33.87",
        3387,
        D(2026, 3, 24),
    )
