"""Whose usage a packet is, and which hour, day and bill cycle it falls in: the
provider's time zone, the account's bill cycle, a plan change, a mobile number."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.catalog.models import Plan
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from dropline.subscriptions.pricing import change_plan
from dropline.usage import dispatch
from dropline.usage.ingest import ingest
from dropline.usage.models import Source, UsageCycle, UsageDay, UsageRecord
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.usage_ingest import interim, stop

pytestmark = pytest.mark.django_db


def days_of(subscription: Subscription) -> dict[dt.date, int]:
    return {
        d.day: d.input_bytes + d.output_bytes
        for d in UsageDay.objects.filter(subscription=subscription)
    }


def cycles_of(subscription: Subscription) -> dict[tuple[dt.date, dt.date], int]:
    return {
        (c.cycle_start, c.cycle_end): c.used_bytes
        for c in UsageCycle.objects.filter(subscription=subscription)
    }


def test_midnight_and_the_cycle_boundary_are_the_providers_local_ones(settings):
    settings.TIME_ZONE = "America/Chicago"
    catalog = make_catalog()
    _account, service = account_with_internet(
        catalog, opened_on=dt.date(2026, 1, 2), bill_cycle_day=2
    )
    Subscription.objects.filter(pk=service.pk).update(radius_username="carol")
    # 04:30 UTC on March 2 is 22:30 on March 1 in Chicago: the last evening of the cycle
    # that began on February 2; 06:30 UTC is 00:30 on March 2, the next cycle's first.
    ingest(
        [
            interim("s1", "carol", 0, 1_000, dt.datetime(2026, 3, 2, 4, 30, tzinfo=dt.UTC), 60),
            interim("s1", "carol", 0, 3_000, dt.datetime(2026, 3, 2, 6, 30, tzinfo=dt.UTC), 120),
        ],
        source=Source.RADACCT,
    )
    assert days_of(service) == {dt.date(2026, 3, 1): 1_000, dt.date(2026, 3, 2): 2_000}
    assert cycles_of(service) == {
        (dt.date(2026, 2, 2), dt.date(2026, 3, 1)): 1_000,
        (dt.date(2026, 3, 2), dt.date(2026, 4, 1)): 2_000,
    }


def test_after_a_plan_change_usage_goes_to_the_service_of_the_readings_day():
    catalog = make_catalog()
    _account, old = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5))
    Subscription.objects.filter(pk=old.pk).update(radius_username="dave")
    old.refresh_from_db()
    new = change_plan(subscription=old, plan=catalog.faster, on=dt.date(2026, 3, 1))
    assert new.radius_username == "dave"
    ingest(
        [
            interim("s1", "dave", 0, 700, dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC), 60),
            interim("s1", "dave", 0, 1_000, dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), 120),
        ],
        source=Source.RLM_REST,
    )
    assert days_of(old) == {dt.date(2026, 2, 28): 700}
    assert days_of(new) == {dt.date(2026, 3, 1): 300}


def test_a_mobile_line_is_found_by_its_number():
    catalog = make_catalog()
    account, _internet = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5))
    mobile = Plan.objects.create(
        code="mobile-gig", kind="mobile", name="By the gig", monthly_price_cents=1500
    )
    line = subscribe(
        account=account, plan=mobile, started_on=dt.date(2026, 1, 5), phone_number="+13195550101"
    )
    result = ingest(
        [stop("csv:1", "+13195550101", 10, 90, dt.datetime(2026, 3, 3, tzinfo=dt.UTC), 30)],
        source=Source.CSV,
    )
    assert result.subscription_ids == frozenset({line.pk})
    assert days_of(line) == {dt.date(2026, 3, 3): 100}


def test_the_alert_check_is_queued_after_the_commit_for_the_services_that_changed(
    monkeypatch, django_capture_on_commit_callbacks
):
    catalog = make_catalog()
    _account, service = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5))
    Subscription.objects.filter(pk=service.pk).update(radius_username="erin")
    queued: list[list[int]] = []
    monkeypatch.setattr(dispatch, "check_alerts_later", lambda ids: queued.append(sorted(ids)))
    at = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ingest([interim("s1", "erin", 1, 1, at, 60)], source=Source.RLM_REST)
        assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [[service.pk]]
    with django_capture_on_commit_callbacks(execute=True):
        ingest([interim("s1", "erin", 1, 1, at, 60)], source=Source.RLM_REST)
    assert queued == [[service.pk]]  # a repeat changed nobody's usage: nothing queued


def test_a_large_mixed_batch_adds_up_whatever_the_order(django_assert_max_num_queries):
    catalog = make_catalog()
    _account, service = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5))
    Subscription.objects.filter(pk=service.pk).update(radius_username="fay")
    base = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    packets = [
        interim(f"s{s}", "fay", 10 * n, 100 * n, base + dt.timedelta(minutes=10 * n), 600 * n)
        for s in range(40)
        for n in range(1, 6)
    ]
    packets += packets[::7]  # retransmits
    packets.reverse()
    with django_assert_max_num_queries(20):
        result = ingest(packets, source=Source.RLM_REST)
    assert result.counted == 200
    assert result.counted_bytes == 40 * 550
    assert sum(days_of(service).values()) == 40 * 550
    assert UsageRecord.objects.count() == len(packets)
