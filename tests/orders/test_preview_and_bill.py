"""The preview of a change is the bill the run issues."""

import datetime as dt

import pytest

from dropline.billing.models import Invoice
from dropline.core import clock
from dropline.orders.models import OrderStatus
from dropline.orders.placing import place_order
from dropline.orders.preview import preview_change
from tests.support.billing import at, bill, bill_months
from tests.support.orders import line_facts, make_home, make_shop, plan_change, remove

D = dt.date


@pytest.mark.django_db
def test_an_upgrade_mid_cycle_is_billed_exactly_as_previewed():
    shop = make_shop()
    home = make_home(shop)
    bill_months(home.account, first=D(2026, 1, 5), months=3)  # Jan, Feb, Mar bills
    with clock.frozen(at(D(2026, 3, 12))):
        preview = preview_change(
            account=home.account, change=plan_change(home.internet, shop.gig), language="en"
        )
        assert preview.effective_on == D(2026, 3, 12)
        assert preview.timing == "now"
        assert preview.is_upgrade
        assert preview.equipment is not None
        assert preview.equipment.delivery == "install"
        # $90 plan + $5 boost + $18 gateway instead of $70 + $5 + $15.
        assert (preview.monthly_before_cents, preview.monthly_after_cents) == (9000, 11300)
        order = place_order(
            user=home.holder,
            account=home.account,
            change=plan_change(home.internet, shop.gig),
            fingerprint=preview.fingerprint,
            language="en",
        )
    assert order.status == OrderStatus.COMPLETED
    outcome = bill(home.account, D(2026, 4, 5))
    invoice = Invoice.objects.get(pk=outcome.invoice_ids[0])
    lines = list(invoice.lines.order_by("position"))
    assert line_facts(lines) == line_facts(preview.next_invoice_lines)
    assert invoice.total_cents == preview.next_invoice_after_cents


@pytest.mark.django_db
def test_a_downgrade_waits_for_the_cycle_end_and_is_billed_as_previewed():
    shop = make_shop()
    home = make_home(shop)
    bill_months(home.account, first=D(2026, 1, 5), months=3)
    with clock.frozen(at(D(2026, 3, 20))):
        preview = preview_change(
            account=home.account, change=plan_change(home.internet, shop.basic), language="en"
        )
        assert preview.effective_on == D(2026, 4, 5)
        assert preview.proration_lines == []
        order = place_order(
            user=home.holder,
            account=home.account,
            change=remove(home.tv, shop.sports),
            fingerprint=None,
            language="en",
        )
        assert order.status == OrderStatus.PENDING
        preview = preview_change(
            account=home.account, change=plan_change(home.internet, shop.basic), language="en"
        )
        place_order(
            user=home.holder,
            account=home.account,
            change=plan_change(home.internet, shop.basic),
            fingerprint=preview.fingerprint,
            language="en",
        )
    outcome = bill(home.account, D(2026, 4, 5))
    invoice = Invoice.objects.get(pk=outcome.invoice_ids[0])
    assert line_facts(invoice.lines.order_by("position")) == line_facts(preview.next_invoice_lines)
    assert preview.first_full_bill_cents == invoice.total_cents
