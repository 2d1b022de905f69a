"""Properties of changes over any sequence of them in a cycle: the last preview is the
bill the run issues, line for line, and every prorated credit and charge adds up to the
difference in monthly price over the days that remain."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dropline.billing.lines import prorate
from dropline.billing.models import Invoice
from dropline.core import clock
from dropline.customers.cycles import Cycle
from dropline.orders.changes import Change
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order, OrderStatus
from dropline.orders.placing import cancel_order, place_order
from dropline.orders.preview import preview_change
from dropline.subscriptions.models import Subscription
from tests.support.billing import at, bill, bill_months
from tests.support.examples import examples
from tests.support.orders import add, line_facts, make_home, make_shop, plan_change, remove

D = dt.date
pytestmark = pytest.mark.django_db

MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))
steps = st.lists(
    st.tuples(
        st.integers(0, MARCH.days - 1),  # the day of the cycle
        st.sampled_from(
            [
                ("plan", "internet", "basic"),
                ("plan", "internet", "gig"),
                ("plan", "tv", "tv_gold"),
                ("plan", "tv", "tv"),
                ("add", "internet", "static_ip"),
                ("add", "internet", "boost"),
                ("add", "tv", "sports"),
                ("remove", "internet", "boost"),
                ("remove", "tv", "sports"),
                ("cancel", "", ""),
            ]
        ),
    ),
    min_size=1,
    max_size=6,
).map(sorted)


def _current(home, which: str, today: dt.date) -> Subscription:
    """The service carrying ``which`` today (a plan change makes a new one)."""
    first = home.internet if which == "internet" else home.tv
    return Subscription.objects.filter(
        account=home.account, plan__kind=first.plan.kind, started_on__lte=today
    ).latest("started_on", "id")


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_any_sequence_of_changes_is_billed_as_the_last_preview_said(plan):
    with transaction.atomic():
        shop = make_shop()
        home = make_home(shop)
        bill_months(home.account, first=D(2026, 1, 5), months=3)  # March is billed
        last = None
        for offset, (action, which, target) in plan:
            today = MARCH.start + dt.timedelta(days=offset)
            with clock.frozen(at(today)):
                if action == "cancel":
                    pending = Order.objects.filter(
                        account=home.account, status=OrderStatus.PENDING, effective_on__gt=today
                    ).first()
                    if pending is not None:
                        cancel_order(user=home.holder, account=home.account, order_id=pending.pk)
                        last = None
                    continue
                service = _current(home, which, today)
                thing = getattr(shop, target)
                makers: dict[str, Callable[..., Change]] = {
                    "plan": plan_change,
                    "add": add,
                    "remove": remove,
                }
                make = makers[action]
                change = make(service, thing)
                try:
                    preview = preview_change(account=home.account, change=change, language="en")
                except ChangeRefused:
                    continue
                place_order(
                    user=home.holder,
                    account=home.account,
                    change=change,
                    fingerprint=preview.fingerprint,
                    language="en",
                )
                last = preview
                if preview.effective_on == today:
                    # Prorations add up: what was billed for the rest of March at the
                    # old monthly price is credited, the new price charged.
                    days = MARCH.end.toordinal() - today.toordinal() + 1
                    difference = preview.monthly_after_cents - preview.monthly_before_cents
                    after = [
                        line.amount_cents
                        for line in preview.next_invoice_lines
                        if line.kind == "proration"
                    ]
                    before = [
                        line.amount_cents
                        for line in preview.next_invoice_before_lines
                        if line.kind == "proration"
                    ]
                    moved = sum(after) - sum(before)
                    touched = len(after) + len(before)
                    assert abs(moved - prorate(difference, days, MARCH.days)) <= touched
                else:
                    assert preview.effective_on == MARCH.end + dt.timedelta(days=1)
                    assert preview.proration_lines == []
        outcome = bill(home.account, MARCH.end + dt.timedelta(days=1))
        invoice = Invoice.objects.get(pk=outcome.invoice_ids[0])
        if last is not None:
            assert line_facts(invoice.lines.order_by("position")) == line_facts(
                last.next_invoice_lines
            )
            assert invoice.total_cents == last.next_invoice_after_cents
        transaction.set_rollback(True)
