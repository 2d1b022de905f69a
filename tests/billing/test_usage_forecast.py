"""The next bill's range from data use: low is the data used so far this cycle, rated;
high is the data projected to the cycle's end, rated; said in words."""

import datetime as dt

import pytest

from dropline.billing.forecast import forecast
from dropline.billing.history import load_history
from dropline.billing.rating import rate
from dropline.billing.rating.usage import overage_cents
from dropline.core import clock
from dropline.customers.cycles import Cycle
from dropline.usage.models import GB
from dropline.usage.projection import project
from tests.support.billing import at
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.histories import write_invoice
from tests.support.usage_billing import blocks_term, cycle_usage, overage_terms

D = dt.date
pytestmark = pytest.mark.django_db
FEBRUARY = Cycle(D(2026, 2, 5), D(2026, 3, 4))
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))


@pytest.fixture
def household(settings):
    settings.DROPLINE_USAGE_COURTESY_MONTHS = 0
    catalog = make_catalog()
    overage_terms(catalog.internet)
    account, internet = account_with_internet(catalog, opened_on=D(2026, 1, 5), promotion=False)
    write_invoice(account, (MARCH.start, MARCH.end), rate(load_history(account.pk), MARCH))
    return account, internet


def test_the_range_runs_from_the_data_used_so_far_to_the_projection(household):
    account, internet = household
    cycle_usage(internet, MARCH.start, MARCH.end, gb=1000)
    noon = at(D(2026, 3, 20))
    with clock.frozen(noon):
        result = forecast(account.pk, language="en")
    projection = project(1000 * GB, MARCH, noon)
    _blocks, extra, _capped = overage_cents(projection, blocks_term())
    assert projection > 1200 * GB
    assert extra > 0
    assert result.low_cents == result.total_cents == 7000  # 1 TB so far: within 1.2 TB
    assert result.high_cents == 7000 + extra
    assert result.callouts[0] == (
        f"Your next bill will be between $70.00 and ${(7000 + extra) // 100}.00 "
        "depending on your data use."
    )
    with clock.frozen(noon):
        spanish = forecast(account.pk, language="es")
    assert spanish.callouts[0].startswith("Su próxima factura será de entre $70.00 y ")


def test_data_already_over_is_in_both_ends(household):
    account, internet = household
    cycle_usage(internet, MARCH.start, MARCH.end, gb=1300)  # 100 GB over: 2 blocks
    with clock.frozen(at(D(2026, 4, 3))):
        result = forecast(account.pk, language="en")
    assert result.low_cents == 7000 + 2000
    assert result.high_cents > result.low_cents
    assert [line.kind for line in result.lines] == ["recurring", "usage"]


def test_within_the_allowance_all_the_way_there_is_no_range(household):
    account, internet = household
    cycle_usage(internet, MARCH.start, MARCH.end, gb=100)
    with clock.frozen(at(D(2026, 3, 20))):
        result = forecast(account.pk, language="en")
    assert result.low_cents == result.high_cents == result.total_cents == 7000
    assert not any("data use" in callout for callout in result.callouts)


def test_on_the_bill_day_the_cycle_that_just_ended_is_charged(household):
    account, internet = household
    cycle_usage(internet, MARCH.start, MARCH.end, gb=1300)
    with clock.frozen(at(D(2026, 4, 5))):
        result = forecast(account.pk, language="en")
    assert result.cycle.start == D(2026, 4, 5)
    assert result.low_cents == result.high_cents == 7000 + 2000
