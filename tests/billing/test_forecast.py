"""The next bill before it is issued: the same rating as a dry run, with what is about to
change called out."""

import datetime as dt

import pytest

from dropline.billing.forecast import forecast, next_cycle
from dropline.billing.history import load_history
from dropline.billing.models import Invoice
from dropline.billing.rating import rate
from dropline.customers.cycles import Cycle
from dropline.subscriptions.pricing import add_add_on, change_price
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.histories import history, write_invoice

D = dt.date
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))
APRIL = Cycle(D(2026, 4, 5), D(2026, 5, 4))


def test_the_next_bill_is_for_the_cycle_after_the_one_billed():
    billed_march = history(previous_period=(MARCH.start, MARCH.end))
    assert next_cycle(billed_march, D(2026, 3, 10)) == APRIL
    assert next_cycle(billed_march, D(2026, 4, 4)) == APRIL
    # On a cycle's first day, before that day's bill run, the bill is for that cycle.
    assert next_cycle(billed_march, D(2026, 4, 5)) == APRIL
    billed_april = history(previous_period=(APRIL.start, APRIL.end))
    assert next_cycle(billed_april, D(2026, 4, 5)) == APRIL.next()
    assert next_cycle(history(), D(2026, 3, 10)) == APRIL


@pytest.mark.django_db
def test_a_forecast_prices_the_next_bill_and_calls_out_what_changes():
    catalog = make_catalog()
    # Opened Jan 5 on the spring offer: $45.00 until Apr 4, then $70.00.
    account, internet = account_with_internet(catalog, opened_on=D(2026, 1, 5))
    write_invoice(account, (MARCH.start, MARCH.end), rate(load_history(account.pk), MARCH))
    change_price(
        subscription=internet,
        monthly_price_cents=7600,
        effective_on=D(2026, 4, 20),
        reason="Network upgrade",
    )
    boost = add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 3, 10))
    invoices_before = Invoice.objects.count()

    result = forecast(account.pk, today=D(2026, 3, 12), language="en")

    assert result.cycle == APRIL
    # Apr 5-19 at $70.00 (15 of 30 days) = $35.00, Apr 20 - May 4 at $76.00 = $38.00,
    # the boost $5.00 for April and $4.19 for Mar 10 - Apr 4 (500 * 26 / 31 = 419.35).
    assert [(line.kind, line.item_key, line.amount_cents) for line in result.lines] == [
        ("recurring", f"sub:{internet.pk}", 3500),
        ("recurring", f"sub:{internet.pk}", 3800),
        ("recurring", f"addon:{boost.pk}", 500),
        ("proration", f"addon:{boost.pk}", 419),
    ]
    assert result.total_cents == result.low_cents == result.high_cents == 8219
    assert result.callouts == [
        "Your promotional price for Internet 500 ends on April 4, 2026: "
        "from $45.00 to $70.00 a month.",
        "The price of Internet 500 changes on April 20, 2026: from $70.00 to $76.00 a month.",
    ]
    assert Invoice.objects.count() == invoices_before  # a dry run writes nothing

    spanish = forecast(account.pk, today=D(2026, 3, 12), language="es")
    assert spanish.total_cents == 8219
    assert spanish.callouts[0] == (
        "Su precio promocional de Internet 500 termina el 4 de abril de 2026: "
        "pasa de $45.00 a $70.00 al mes."
    )


@pytest.mark.django_db
def test_a_forecast_is_the_bill_the_run_will_issue():
    catalog = make_catalog()
    account, _ = account_with_internet(catalog, opened_on=D(2026, 1, 5), promotion=False)
    result = forecast(account.pk, today=D(2026, 4, 5), language="en")
    assert result.cycle == APRIL
    assert result.lines == rate(load_history(account.pk), APRIL)
    assert result.callouts == []
