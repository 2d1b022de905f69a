"""Scheduling a catalogue price: what new orders pay from its day, the refusals (each
naming the input at fault, nothing written), canceling one still to come, and the
daily job that makes it the catalogue's price."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dropline.catalog.errors import PriceScheduleError
from dropline.catalog.models import ApplyStatus, Plan, ScheduledPrice, ScheduledPriceStatus
from dropline.catalog.price_schedule import (
    bring_prices_into_effect,
    cancel_scheduled_price,
    check_schedule,
)
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.subscriptions.models import SubscriptionPrice
from dropline.subscriptions.ordering import subscribe
from dropline.subscriptions.repricing import schedule
from tests.support.billing import at
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.prices import NEW_CENTS, NOW, OLD_CENTS, RISE_ON, TODAY, D

pytestmark = pytest.mark.django_db

# An unsaved plan: the pure check only asks what kind of item it is.
_PLAN = Plan(code="x", kind="internet", name="X", monthly_price_cents=1)


def _schedule(item, **extra):
    values: dict[str, Any] = {
        "effective_on": RISE_ON,
        "monthly_price_cents": NEW_CENTS,
        "reason": "Network investment",
    }
    values.update(extra)
    with clock.frozen(NOW):
        return schedule(item=item, **values)


def test_new_orders_pay_the_new_price_from_its_day_and_subscribers_keep_theirs():
    catalog = make_catalog()
    _, before = account_with_internet(catalog, opened_on=D(2026, 1, 5), promotion=False)
    scheduled = _schedule(catalog.internet)
    assert scheduled.status == ScheduledPriceStatus.SCHEDULED
    assert scheduled.apply_status == ApplyStatus.NOT_APPLIED

    # The day before, the catalogue still sells at the old price.
    assert bring_prices_into_effect(today=RISE_ON - dt.timedelta(days=1)) == 0
    catalog.internet.refresh_from_db()
    assert catalog.internet.monthly_price_cents == OLD_CENTS

    assert bring_prices_into_effect(today=RISE_ON) == 1
    assert bring_prices_into_effect(today=RISE_ON) == 0  # idempotent
    catalog.internet.refresh_from_db()
    assert catalog.internet.monthly_price_cents == NEW_CENTS
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPriceStatus.IN_EFFECT
    assert scheduled.replaced_cents == OLD_CENTS

    with clock.frozen(at(RISE_ON)):
        _, after = account_with_internet(catalog, opened_on=RISE_ON, promotion=False)
    assert after.monthly_price_cents == NEW_CENTS
    before.refresh_from_db()
    assert before.monthly_price_cents == OLD_CENTS
    assert not SubscriptionPrice.objects.filter(subscription=before, effective_on=RISE_ON)
    assert AuditEvent.objects.filter(action="catalog.price_took_effect").count() == 1


def test_the_latest_of_two_due_prices_wins():
    catalog = make_catalog()
    _schedule(catalog.internet, effective_on=D(2026, 3, 20), monthly_price_cents=7500)
    _schedule(catalog.internet, effective_on=D(2026, 3, 25), monthly_price_cents=7700)
    assert bring_prices_into_effect(today=D(2026, 4, 1)) == 2
    catalog.internet.refresh_from_db()
    assert catalog.internet.monthly_price_cents == 7700


def test_add_ons_and_rentals_get_new_prices_for_new_orders():
    catalog = make_catalog()
    _schedule(catalog.boost, monthly_price_cents=600)
    _schedule(catalog.modem, monthly_price_cents=1200)
    bring_prices_into_effect(today=RISE_ON)
    catalog.boost.refresh_from_db()
    catalog.modem.refresh_from_db()
    assert catalog.boost.monthly_price_cents == 600
    assert catalog.modem.monthly_rental_cents == 1200


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"effective_on": TODAY}, "effective_on", "day still to come"),
        ({"effective_on": TODAY - dt.timedelta(days=3)}, "effective_on", "day still to come"),
        ({"monthly_price_cents": -1}, "monthly_price_cents", "cannot be negative"),
        ({"monthly_price_cents": 12.5}, "monthly_price_cents", "whole cents"),
        ({"reason": "  "}, "reason", "Say why"),
        ({"reason": "x" * 201}, "reason", "200 characters"),
        (
            {"effective_on": TODAY + dt.timedelta(days=29), "applies_to_subscribers": True},
            "effective_on",
            "at least 30 days ahead: choose April 10, 2026 or later",
        ),
    ],
)
def test_refusals_name_the_input_and_write_nothing(changes, field, words):
    catalog = make_catalog()
    with pytest.raises(PriceScheduleError) as refused:
        _schedule(catalog.internet, **changes)
    assert refused.value.field == field
    assert words in refused.value.reason
    assert not ScheduledPrice.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_thirty_days_ahead_is_enough_to_apply():
    catalog = make_catalog()
    scheduled = _schedule(
        catalog.internet,
        effective_on=TODAY + dt.timedelta(days=30),
        applies_to_subscribers=True,
    )
    assert scheduled.applies_to_subscribers


def test_a_second_price_on_the_same_day_is_refused_until_the_first_is_canceled():
    catalog = make_catalog()
    first = _schedule(catalog.internet)
    with pytest.raises(PriceScheduleError) as refused:
        _schedule(catalog.internet, monthly_price_cents=9000)
    assert refused.value.field == "effective_on"
    assert ScheduledPrice.objects.count() == 1
    # Another item may change on that day.
    _schedule(catalog.faster, monthly_price_cents=9900)

    with clock.frozen(NOW):
        cancel_scheduled_price(schedule=first)
    again = _schedule(catalog.internet, monthly_price_cents=9000)
    first.refresh_from_db()
    assert first.status == ScheduledPriceStatus.CANCELLED
    assert again.status == ScheduledPriceStatus.SCHEDULED


def test_a_canceled_price_never_takes_effect_and_the_cancel_is_audited():
    catalog = make_catalog()
    scheduled = _schedule(catalog.internet)
    with clock.frozen(NOW):
        cancel_scheduled_price(schedule=scheduled)
        with pytest.raises(PriceScheduleError, match="already canceled"):
            cancel_scheduled_price(schedule=scheduled)
    assert bring_prices_into_effect(today=RISE_ON) == 0
    catalog.internet.refresh_from_db()
    assert catalog.internet.monthly_price_cents == OLD_CENTS
    event = AuditEvent.objects.get(action="catalog.price_canceled")
    assert event.data["code"] == "internet-500"


def test_a_price_in_effect_cannot_be_canceled():
    catalog = make_catalog()
    scheduled = _schedule(catalog.internet)
    bring_prices_into_effect(today=RISE_ON)
    with clock.frozen(at(RISE_ON)), pytest.raises(PriceScheduleError, match="already in effect"):
        cancel_scheduled_price(schedule=scheduled)


def test_add_on_prices_are_not_applied_to_subscribers():
    catalog = make_catalog()
    with pytest.raises(PriceScheduleError) as refused:
        _schedule(catalog.boost, applies_to_subscribers=True)
    assert refused.value.field == "applies_to_subscribers"
    assert not ScheduledPrice.objects.exists()


def test_scheduling_is_audited_with_who_and_what():
    catalog = make_catalog()
    scheduled = _schedule(catalog.internet)
    event = AuditEvent.objects.get(action="catalog.price_scheduled")
    assert event.target_id == str(scheduled.pk)
    assert event.data["code"] == "internet-500"
    assert event.data["monthly_price_cents"] == NEW_CENTS
    assert event.data["current_cents"] == OLD_CENTS
    assert event.data["effective_on"] == RISE_ON.isoformat()


def test_an_order_on_the_day_the_price_takes_effect_pays_it(django_capture_on_commit_callbacks):
    catalog = make_catalog()
    _schedule(catalog.internet)
    bring_prices_into_effect(today=RISE_ON)
    account, _ = account_with_internet(catalog, opened_on=D(2026, 1, 5), promotion=False)
    catalog.internet.refresh_from_db()
    added = subscribe(account=account, plan=catalog.internet, started_on=RISE_ON)
    assert added.monthly_price_cents == NEW_CENTS


@given(today=st.dates(D(2000, 1, 1), D(2090, 1, 1)), ahead=st.integers(-400, 400))
def test_the_notice_rule_holds_for_any_day(today, ahead):
    """Applied to subscribers, a price is accepted exactly when it starts 30 days or more
    after today; for new orders only, any day after today."""
    day = today + dt.timedelta(days=ahead)
    for applies in (True, False):
        kwargs = {
            "item": _PLAN,
            "effective_on": day,
            "monthly_price_cents": 100,
            "reason": "why",
            "applies_to_subscribers": applies,
            "today": today,
        }
        if ahead >= (30 if applies else 1):
            assert check_schedule(**kwargs) == (day, 100, "why")
        else:
            with pytest.raises(PriceScheduleError) as refused:
                check_schedule(**kwargs)
            assert refused.value.field == "effective_on"
