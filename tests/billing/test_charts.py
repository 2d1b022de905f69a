"""The bill history chart: an SVG drawn on the server, no script, named for screen
readers, one bar per bill."""

import re

import pytest

from dropline.billing import charts, queries
from tests.support.bills import billed_customer

pytestmark = pytest.mark.django_db


def test_twelve_bars_named_and_described_without_script():
    household = billed_customer(username="chart", months=13)
    bills = queries.recent_bills(account=household.account)
    bars = charts.bars(bills, language="en")
    svg = charts.bill_chart_svg(bars, language="en")
    assert len(bars) == 12
    assert (bars[0].label, bars[-1].label) == ("Feb", "Jan")
    assert "<script" not in svg
    assert not re.search(r'(?:href|src)="https?:', svg)  # nothing loaded from elsewhere
    assert re.search(
        r'<svg[^>]*role="img"[^>]*aria-labelledby="bill-chart-title bill-chart-desc"', svg
    )
    assert '<title id="bill-chart-title">Your last bills</title>' in svg
    desc = re.search(r'<desc id="bill-chart-desc">(.*?)</desc>', svg)
    assert desc is not None
    assert desc.group(1).startswith("New charges of your last 12 bills, from Feb. 5, 2026 to ")
    assert len(re.findall(r'class="rect reactive tooltip-trigger"', svg)) == 12


def test_the_description_names_the_lowest_and_highest_bill_in_spanish():
    household = billed_customer(username="cargo", months=4)
    bills = queries.recent_bills(account=household.account)
    title, desc = charts.describe(charts.bars(bills, language="es"), language="es")
    assert title == "Sus últimas facturas"
    assert "El más bajo, $46.13" in desc


def test_no_bills_no_bars():
    assert charts.describe([], language="en") == ("Your last bills", "There are no bills yet.")
    assert "There are no bills yet." in charts.bill_chart_svg([], language="en")
