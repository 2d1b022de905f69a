"""Account discounts (autopay and paperless) in rating: a discount line for the days it
runs while a service is billed, prorated with its dates, trued up when it ends, never
more than the account's monthly items cost; and on a real bill after enrolling."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.billing.bill_runs import run_bill_run
from dropline.billing.describe import describe_line
from dropline.billing.forecast import forecast
from dropline.billing.history import AccountDiscountTerm
from dropline.billing.models import Invoice
from dropline.billing.rating import rate
from dropline.core import clock
from dropline.customers.cycles import Cycle
from dropline.payments import autopay
from tests.support.billing import at
from tests.support.examples import examples
from tests.support.histories import after, history, promotion, service
from tests.support.payments import make_payer

D = dt.date
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))  # 31 days
APRIL = Cycle(D(2026, 4, 5), D(2026, 5, 4))  # 30 days
KEY = "account-discount:autopay"


def autopay_discount(starts_on=MARCH.start, ends_on=None, cents=500):
    return AccountDiscountTerm(
        code="autopay",
        label="Autopay and paperless discount",
        label_es="Descuento por pago automático y factura electrónica",
        monthly_discount_cents=cents,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def with_discount(*discounts, **kwargs):
    return replace(history(**kwargs), account_discounts=tuple(discounts))


def discount_lines(lines):
    return [line for line in lines if line.item_key == KEY]


def test_a_whole_cycle_takes_the_whole_monthly_discount_in_its_own_group():
    lines = rate(with_discount(autopay_discount(), subscriptions=(service(),)), MARCH)
    (line,) = discount_lines(lines)
    assert (line.kind, line.amount_cents, line.period_start, line.period_end) == (
        "discount",
        -500,
        MARCH.start,
        MARCH.end,
    )
    assert (line.group_key, line.category) == (KEY, "other")
    assert describe_line(line, "en") == (
        "Autopay and paperless discount, March 5, 2026 \u2013 April 4, 2026"
    )
    assert describe_line(line, "es").startswith("Descuento por pago automático")


def test_starting_inside_the_cycle_it_is_prorated_with_its_dates():
    lines = rate(
        with_discount(autopay_discount(starts_on=D(2026, 3, 20)), subscriptions=(service(),)),
        MARCH,
    )
    (line,) = discount_lines(lines)
    # 16 of 31 days of $5.00, rounded half-up once.
    assert (line.amount_cents, line.period_start) == (-258, D(2026, 3, 20))


def test_without_a_service_billed_there_is_no_discount():
    assert discount_lines(rate(with_discount(autopay_discount()), MARCH)) == []
    ended = service(ended_on=D(2026, 3, 14))
    (line,) = discount_lines(rate(with_discount(autopay_discount(), subscriptions=(ended,)), MARCH))
    assert line.period_end == D(2026, 3, 14)


def test_ending_after_it_was_billed_is_trued_up_on_the_next_bill():
    before = with_discount(autopay_discount(), subscriptions=(service(),))
    march = rate(before, MARCH)
    ended = after(
        before,
        march,
        (MARCH.start, MARCH.end),
        account_discounts=(autopay_discount(ends_on=D(2026, 3, 24)),),
    )
    april = rate(ended, APRIL)
    (true_up,) = discount_lines(april)
    assert true_up.kind == "proration"
    assert true_up.period_start == D(2026, 3, 25)
    assert true_up.amount_cents > 0
    assert "no longer applies" in describe_line(true_up, "en")
    exact = discount_lines(rate(replace(ended, previous_lines=()), MARCH))
    assert sum(line.amount_cents for line in discount_lines(march)) + true_up.amount_cents == sum(
        line.amount_cents for line in exact
    )


@settings(max_examples=examples(80), deadline=None)
@given(
    price=st.integers(min_value=0, max_value=2000),
    promo=st.integers(min_value=0, max_value=2000),
    cents=st.integers(min_value=1, max_value=5000),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=40),
    service_from=st.integers(min_value=0, max_value=30),
)
def test_the_discount_never_exceeds_what_the_services_cost(
    price, promo, cents, start, length, service_from
):
    first = MARCH.start + dt.timedelta(days=service_from)
    subscription = service(
        started_on=first,
        price=price,
        promotion=promotion(price=min(promo, price), ends_on=D(2026, 3, 20)),
    )
    starts_on = MARCH.start - dt.timedelta(days=5) + dt.timedelta(days=start)
    term = autopay_discount(
        starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=length), cents=cents
    )
    lines = rate(with_discount(term, subscriptions=(subscription,)), MARCH)
    monthly = [line for line in lines if line.kind in ("recurring", "discount")]
    assert sum(line.amount_cents for line in monthly) >= 0
    for line in discount_lines(lines):
        assert line.amount_cents < 0
        assert line.period_start is not None
        assert line.period_end is not None
        assert MARCH.start <= line.period_start <= line.period_end <= MARCH.end


@pytest.mark.django_db
def test_enrolling_puts_the_discount_on_the_next_bill_of_a_real_bill_run():
    payer = make_payer()
    with clock.frozen(at(D(2026, 1, 12))):
        autopay.enrol(account=payer.account, method=payer.method, actor=payer.customer.user)
    with clock.frozen(at(D(2026, 2, 5))):
        run_bill_run(run_on=D(2026, 2, 5), in_process=True)
    bill = Invoice.objects.get(account=payer.account, period_start=D(2026, 2, 5))
    (line,) = bill.lines.filter(item_key=KEY)
    assert (line.amount_cents, line.period_start, line.period_end) == (
        -500,
        D(2026, 2, 5),
        D(2026, 3, 4),
    )
    assert describe_line(line, "en").startswith("Autopay and paperless discount")
    # Cancelled in time for the next cycle: the March bill has no discount and trues up nothing.
    with clock.frozen(at(D(2026, 2, 10))):
        autopay.cancel(account=payer.account, actor=payer.customer.user)
    with clock.frozen(at(D(2026, 3, 5))):
        run_bill_run(run_on=D(2026, 3, 5), in_process=True)
    march = Invoice.objects.get(account=payer.account, period_start=D(2026, 3, 5))
    assert not march.lines.filter(item_key=KEY).exists()


@pytest.mark.django_db
def test_the_forecast_shows_the_discount_and_says_it_starts_with_that_bill():
    payer = make_payer()
    with clock.frozen(at(D(2026, 1, 12))):
        autopay.enrol(account=payer.account, method=payer.method, actor=payer.customer.user)
        next_bill = forecast(payer.account.pk, language="en")
    assert [line.amount_cents for line in next_bill.lines if line.item_key == KEY] == [-500]
    assert "Autopay and paperless discount: $5.00 off, starting with this bill." in (
        next_bill.callouts
    )
