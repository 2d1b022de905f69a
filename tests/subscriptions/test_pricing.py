"""Price changes, add-ons and plan changes: dated, audited, one transaction each, and
refused with the field and the reason when the input is wrong."""

import datetime as dt

import pytest

from dropline.billing.history import load_history
from dropline.billing.rating import rate
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.cycles import Cycle
from dropline.subscriptions.models import (
    Subscription,
    SubscriptionAddOn,
    SubscriptionPrice,
    SubscriptionStatus,
)
from dropline.subscriptions.pricing import (
    PricingError,
    add_add_on,
    apply_due_prices,
    change_plan,
    change_price,
    end_add_on,
)
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.histories import write_invoice

D = dt.date
pytestmark = pytest.mark.django_db
MARCH = Cycle(D(2026, 3, 5), D(2026, 4, 4))
APRIL = Cycle(D(2026, 4, 5), D(2026, 5, 4))


def at(day):
    return clock.frozen(dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC))


@pytest.fixture
def catalog():
    return make_catalog()


@pytest.fixture
def internet(catalog):
    _, subscription = account_with_internet(catalog, opened_on=D(2026, 1, 5), promotion=False)
    return subscription


def prices(subscription):
    return list(
        SubscriptionPrice.objects.filter(subscription=subscription)
        .order_by("effective_on")
        .values_list("effective_on", "monthly_price_cents", "reason")
    )


def audited(action):
    return list(AuditEvent.objects.filter(action=action).values_list("account_number", "data"))


# change_price -----------------------------------------------------------------------


def test_a_future_price_is_dated_and_today_keeps_the_current_price(internet):
    with at(D(2026, 3, 10)):
        change_price(
            subscription=internet,
            monthly_price_cents=7600,
            effective_on=D(2026, 4, 20),
            reason="Network upgrade",
        )
    internet.refresh_from_db()
    assert internet.monthly_price_cents == 7000
    assert prices(internet) == [
        (D(2026, 1, 5), 7000, "Price when ordered"),
        (D(2026, 4, 20), 7600, "Network upgrade"),
    ]
    ((number, data),) = audited("subscription.price_changed")
    assert number == internet.account.number
    assert data == {
        "monthly_price_cents": 7600,
        "effective_on": "2026-04-20",
        "reason": "Network upgrade",
    }


def test_a_price_from_today_or_before_is_the_price_now(internet):
    with at(D(2026, 3, 10)):
        change_price(
            subscription=internet,
            monthly_price_cents=7600,
            effective_on=D(2026, 3, 1),
            reason="Correction",
        )
    internet.refresh_from_db()
    assert internet.monthly_price_cents == 7600


def test_rating_bills_the_new_price_from_its_date(internet):
    with at(D(2026, 3, 10)):
        change_price(
            subscription=internet,
            monthly_price_cents=7600,
            effective_on=D(2026, 4, 20),
            reason="Network upgrade",
        )
    lines = rate(load_history(internet.account_id), APRIL)
    # Apr 5-19, 15 of 30 days at $70.00 = $35.00; Apr 20 - May 4, 15 days at $76.00 = $38.00.
    assert [(line.period_start, line.amount_cents) for line in lines] == [
        (D(2026, 4, 5), 3500),
        (D(2026, 4, 20), 3800),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"monthly_price_cents": -1}, "monthly_price_cents"),
        ({"monthly_price_cents": 70.5}, "monthly_price_cents"),
        ({"monthly_price_cents": True}, "monthly_price_cents"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 201}, "reason"),
        ({"effective_on": D(2026, 1, 5)}, "effective_on"),  # the day it started
        ({"effective_on": D(2025, 12, 1)}, "effective_on"),
    ],
)
def test_a_bad_price_change_is_refused_and_changes_nothing(internet, changes, field):
    asked = {
        "subscription": internet,
        "monthly_price_cents": 7600,
        "effective_on": D(2026, 4, 20),
        "reason": "Network upgrade",
        **changes,
    }
    with pytest.raises(PricingError) as refused:
        change_price(**asked)
    assert refused.value.field == field
    assert refused.value.reason
    assert prices(internet) == []
    assert audited("subscription.price_changed") == []


def test_two_prices_cannot_start_on_the_same_day(internet):
    change_price(
        subscription=internet, monthly_price_cents=7600, effective_on=D(2026, 4, 20), reason="a"
    )
    with pytest.raises(PricingError, match="already starts"):
        change_price(
            subscription=internet, monthly_price_cents=7700, effective_on=D(2026, 4, 20), reason="b"
        )
    assert len(prices(internet)) == 2


def test_no_new_price_after_the_service_ended(internet):
    Subscription.objects.filter(pk=internet.pk).update(ended_on=D(2026, 3, 31))
    internet.refresh_from_db()
    with pytest.raises(PricingError) as refused:
        change_price(
            subscription=internet, monthly_price_cents=1, effective_on=D(2026, 4, 1), reason="x"
        )
    assert refused.value.field == "effective_on"


def test_the_reason_is_refused_in_spanish_too(internet):
    from django.utils import translation

    with translation.override("es"), pytest.raises(PricingError) as refused:
        change_price(
            subscription=internet, monthly_price_cents=1, effective_on=D(2026, 4, 1), reason=""
        )
    assert refused.value.reason == "Indique por qué cambia el precio."


# add-ons ------------------------------------------------------------------------------


def test_an_add_on_from_a_date_is_billed_from_that_date(catalog, internet):
    added = add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 3, 10))
    assert (added.monthly_price_cents, added.started_on, added.ended_on) == (
        500,
        D(2026, 3, 10),
        None,
    )
    ((_, data),) = audited("subscription.add_on_added")
    assert data == {"add_on": "boost", "monthly_price_cents": 500, "started_on": "2026-03-10"}
    # Mar 10 - Apr 4: 26 of 31 days, 500 * 26 / 31 = 419.35 -> $4.19.
    lines = rate(load_history(internet.account_id), MARCH)
    assert [(line.item_key, line.amount_cents) for line in lines] == [
        (f"sub:{internet.pk}", 7000),
        (f"addon:{added.pk}", 419),
    ]


def test_an_add_on_for_another_kind_of_service_is_refused(catalog, internet):
    with pytest.raises(PricingError) as refused:
        add_add_on(subscription=internet, add_on=catalog.sports, started_on=D(2026, 3, 10))
    assert refused.value.field == "add_on"
    assert not SubscriptionAddOn.objects.exists()


def test_an_add_on_cannot_start_before_the_service_or_twice(catalog, internet):
    with pytest.raises(PricingError) as refused:
        add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 1, 4))
    assert refused.value.field == "started_on"
    add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 3, 10))
    with pytest.raises(PricingError, match="already has"):
        add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 3, 11))
    assert SubscriptionAddOn.objects.count() == 1


def test_an_add_on_off_sale_is_refused(catalog, internet):
    catalog.boost.is_active = False
    catalog.boost.save()
    with pytest.raises(PricingError, match="no longer on sale"):
        add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 3, 10))


def test_ending_an_add_on_keeps_its_last_day(catalog, internet):
    added = add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 1, 5))
    end_add_on(subscription_add_on=added, ended_on=D(2026, 3, 14))
    added.refresh_from_db()
    assert added.ended_on == D(2026, 3, 14)
    assert audited("subscription.add_on_ended")[0][1] == {
        "add_on": "boost",
        "ended_on": "2026-03-14",
    }
    # Mar 5-14: 10 of 31 days, 500 * 10 / 31 = 161.29 -> $1.61.
    lines = rate(load_history(internet.account_id), MARCH)
    assert lines[-1].amount_cents == 161
    assert lines[-1].period_end == D(2026, 3, 14)


def test_an_add_on_ends_once_and_not_before_it_started(catalog, internet):
    added = add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 3, 10))
    with pytest.raises(PricingError) as refused:
        end_add_on(subscription_add_on=added, ended_on=D(2026, 3, 9))
    assert refused.value.field == "ended_on"
    end_add_on(subscription_add_on=added, ended_on=D(2026, 3, 20))
    with pytest.raises(PricingError, match="already ended"):
        end_add_on(subscription_add_on=added, ended_on=D(2026, 3, 25))
    added.refresh_from_db()
    assert added.ended_on == D(2026, 3, 20)


# change_plan --------------------------------------------------------------------------


def test_a_plan_change_ends_the_old_service_the_day_before(catalog, internet):
    boost = add_add_on(subscription=internet, add_on=catalog.boost, started_on=D(2026, 2, 1))
    with at(D(2026, 3, 25)):
        new = change_plan(subscription=internet, plan=catalog.faster, on=D(2026, 3, 25))
    internet.refresh_from_db()
    boost.refresh_from_db()
    assert (internet.ended_on, internet.status) == (D(2026, 3, 24), SubscriptionStatus.CANCELLED)
    assert (new.plan, new.started_on, new.monthly_price_cents, new.status) == (
        catalog.faster,
        D(2026, 3, 25),
        9000,
        SubscriptionStatus.ACTIVE,
    )
    assert prices(new) == [(D(2026, 3, 25), 9000, "Plan change")]
    assert boost.ended_on == D(2026, 3, 24)
    (moved,) = new.add_ons.all()
    assert (moved.add_on, moved.started_on, moved.ended_on) == (catalog.boost, D(2026, 3, 25), None)
    ((_, data),) = audited("subscription.plan_changed")
    assert data["from_plan"] == "internet-500"
    assert data["to_plan"] == "internet-1000"
    assert data["on"] == "2026-03-25"
    assert data["new_subscription"] == new.pk


def test_a_plan_change_is_trued_up_on_the_next_bill(catalog, internet):
    account = internet.account
    write_invoice(account, (MARCH.start, MARCH.end), rate(load_history(account.pk), MARCH))
    with at(D(2026, 3, 25)):
        new = change_plan(
            subscription=internet, plan=catalog.faster, on=D(2026, 3, 25), monthly_price_cents=8500
        )
    lines = rate(load_history(account.pk), APRIL)
    # Old: 20 of 31 days used, 7000 * 20 / 31 = 4516.13 -> credit 7000 - 4516 = -$24.84.
    # New at the agreed $85.00: April whole, and Mar 25 - Apr 4, 8500 * 11 / 31 = 3016.13.
    assert [(line.kind, line.item_key, line.amount_cents) for line in lines] == [
        ("proration", f"sub:{internet.pk}", -2484),
        ("recurring", f"sub:{new.pk}", 8500),
        ("proration", f"sub:{new.pk}", 3016),
    ]


def test_a_future_plan_change_leaves_the_service_active_until_then(catalog, internet):
    with at(D(2026, 3, 10)):
        change_plan(subscription=internet, plan=catalog.faster, on=D(2026, 4, 5))
    internet.refresh_from_db()
    assert (internet.ended_on, internet.status) == (D(2026, 4, 4), SubscriptionStatus.ACTIVE)


@pytest.mark.parametrize(
    ("plan", "on", "price", "field"),
    [
        ("tv", D(2026, 3, 25), None, "plan"),
        ("internet", D(2026, 3, 25), None, "plan"),  # already on it
        ("faster", D(2026, 1, 5), None, "on"),
        ("faster", D(2026, 3, 25), -5, "monthly_price_cents"),
    ],
)
def test_a_bad_plan_change_is_refused_and_changes_nothing(
    catalog, internet, plan, on, price, field
):
    with pytest.raises(PricingError) as refused:
        change_plan(
            subscription=internet, plan=getattr(catalog, plan), on=on, monthly_price_cents=price
        )
    assert refused.value.field == field
    internet.refresh_from_db()
    assert internet.ended_on is None
    assert Subscription.objects.count() == 1
    assert audited("subscription.plan_changed") == []


def test_a_service_already_ended_cannot_change_plan(catalog, internet):
    with at(D(2026, 3, 25)):
        change_plan(subscription=internet, plan=catalog.faster, on=D(2026, 3, 25))
    internet.refresh_from_db()
    with pytest.raises(PricingError, match="already ended"):
        change_plan(subscription=internet, plan=catalog.faster, on=D(2026, 3, 28))


def test_a_price_that_comes_due_becomes_the_price_shown_today(internet):
    with at(D(2026, 3, 10)):
        change_price(
            subscription=internet,
            monthly_price_cents=7600,
            effective_on=D(2026, 4, 20),
            reason="Network upgrade",
        )
    assert apply_due_prices(today=D(2026, 4, 19)) == 0
    internet.refresh_from_db()
    assert internet.monthly_price_cents == 7000
    assert apply_due_prices(today=D(2026, 4, 20)) == 1
    internet.refresh_from_db()
    assert internet.monthly_price_cents == 7600
    assert apply_due_prices(today=D(2026, 4, 21)) == 0  # nothing left to do
