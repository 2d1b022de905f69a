"""The ingest as a provider sees it: what each packet adds to a service's hour, day and
bill cycle, and what it must never add."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.subscriptions.models import Subscription
from dropline.usage.ingest import ingest
from dropline.usage.models import (
    Source,
    UsageCycle,
    UsageDay,
    UsageHour,
    UsageRecord,
    UsageSession,
)
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.usage_ingest import interim, start, stop

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 10, 14, 5, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def service() -> Subscription:
    catalog = make_catalog()
    _account, subscription = account_with_internet(
        catalog, opened_on=dt.date(2026, 1, 5), bill_cycle_day=5
    )
    subscription.radius_username = "alice"
    subscription.save(update_fields=["radius_username"])
    return subscription


def used(subscription: Subscription) -> int:
    return sum(c.used_bytes for c in UsageCycle.objects.filter(subscription=subscription))


def test_a_session_adds_its_differences_to_hour_day_and_cycle(service):
    result = ingest(
        [
            start("s1", "alice", T0),
            interim("s1", "alice", 100, 1_000, T0 + 10 * MIN, 600),
            interim("s1", "alice", 300, 5_000, T0 + 20 * MIN, 1200),
        ],
        source=Source.RLM_REST,
    )
    assert result.readings == 3
    assert result.counted == 2
    assert result.counted_bytes == 5_300
    assert result.subscription_ids == frozenset({service.pk})
    cycle = UsageCycle.objects.get(subscription=service)
    assert (cycle.cycle_start, cycle.cycle_end) == (dt.date(2026, 3, 5), dt.date(2026, 4, 4))
    assert (cycle.input_bytes, cycle.output_bytes) == (300, 5_000)
    day = UsageDay.objects.get(subscription=service)
    assert (day.day, day.input_bytes + day.output_bytes) == (dt.date(2026, 3, 10), 5_300)
    hour = UsageHour.objects.get(subscription=service)
    assert hour.hour == dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC)
    session = UsageSession.objects.get(key="s1")
    assert (session.session_time, session.input_octets, session.output_octets) == (1200, 300, 5000)
    assert session.counted_bytes == 5_300
    assert session.subscription_id == service.pk
    records = UsageRecord.objects.filter(session_key="s1").order_by("occurred_at")
    assert [(r.input_delta, r.output_delta) for r in records] == [(0, 0), (100, 1000), (200, 4000)]


def test_a_retransmitted_packet_counts_once(service):
    packet = interim("s1", "alice", 100, 1_000, T0, 600)
    first = ingest([packet, packet], source=Source.RLM_REST)
    again = ingest([packet], source=Source.RLM_REST)
    assert (first.counted, first.repeated) == (1, 1)
    assert (again.counted, again.repeated, again.counted_bytes) == (0, 1, 0)
    assert again.subscription_ids == frozenset()
    assert used(service) == 1_100


def test_an_older_packet_arriving_late_never_takes_usage_back(service):
    ingest([interim("s1", "alice", 500, 5_000, T0 + 20 * MIN, 1200)], source=Source.RLM_REST)
    late = ingest([interim("s1", "alice", 100, 1_000, T0 + 10 * MIN, 600)], source=Source.RLM_REST)
    assert (late.stale, late.counted_bytes) == (1, 0)
    assert used(service) == 5_500
    session = UsageSession.objects.get(key="s1")
    assert (session.session_time, session.output_octets) == (1200, 5_000)
    ingest([interim("s1", "alice", 600, 6_000, T0 + 30 * MIN, 1800)], source=Source.RLM_REST)
    assert used(service) == 6_600


def test_a_counter_that_restarts_lower_is_a_new_segment(service):
    ingest([interim("s1", "alice", 500, 5_000, T0, 600)], source=Source.RLM_REST)
    result = ingest([interim("s1", "alice", 50, 400, T0 + 10 * MIN, 1200)], source=Source.RLM_REST)
    assert result.restarts == 1
    assert result.counted_bytes == 450
    assert used(service) == 5_950


def test_a_stop_then_a_late_interim_with_newer_counters_still_counts(service):
    ingest([stop("s1", "alice", 100, 100, T0 + 10 * MIN, 600)], source=Source.RLM_REST)
    assert UsageSession.objects.get(key="s1").stopped_at == T0 + 10 * MIN
    ingest([interim("s1", "alice", 150, 100, T0 + 20 * MIN, 900)], source=Source.RLM_REST)
    assert used(service) == 250
    assert UsageSession.objects.get(key="s1").stopped_at is not None


def test_usage_of_an_unknown_username_is_kept_aside(service):
    result = ingest([interim("s9", "bob", 10, 20, T0, 60)], source=Source.RLM_REST)
    assert (result.unknown, result.counted_bytes) == (1, 30)
    assert result.subscription_ids == frozenset()
    record = UsageRecord.objects.get(session_key="s9")
    assert record.subscription_id is None
    assert (record.input_delta, record.output_delta) == (10, 20)
    assert not UsageCycle.objects.exists()
    assert UsageSession.objects.get(key="s9").subscription_id is None
