"""Giving a service its RADIUS username: the usage kept aside under that name becomes
the service's, once, with its days and cycles; a name is one current service's."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core.models import AuditEvent
from dropline.subscriptions.models import Subscription
from dropline.usage.errors import UsageError
from dropline.usage.ingest import ingest
from dropline.usage.mapping import assign_kept, set_radius_username
from dropline.usage.models import Source, UsageCycle, UsageDay, UsageRecord, UsageSession
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.factories import make_user
from tests.support.usage_ingest import interim

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def services() -> tuple[Subscription, Subscription]:
    catalog = make_catalog()
    _a, first = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5), bill_cycle_day=5)
    _b, second = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5), bill_cycle_day=20)
    return first, second


@pytest.fixture
def staff():
    return make_user(username="care", is_staff=True)


def test_usage_kept_aside_goes_to_the_service_given_the_name(services, staff):
    first, _second = services
    ingest(
        [
            interim("s1", "new-user", 100, 1_000, AT, 60),
            interim("s1", "new-user", 200, 3_000, AT + dt.timedelta(days=1), 120),
            interim("s2", "someone-else", 5, 5, AT, 60),
        ],
        source=Source.RLM_REST,
    )
    assigned = set_radius_username(
        subscription_id=first.pk, username="new-user", actor=staff, ip="203.0.113.9"
    )
    assert assigned == 3_200
    first.refresh_from_db()
    assert first.radius_username == "new-user"
    cycle = UsageCycle.objects.get(subscription=first)
    assert (cycle.cycle_start, cycle.input_bytes, cycle.output_bytes) == (
        dt.date(2026, 3, 5),
        200,
        3_000,
    )
    assert {d.day: d.output_bytes for d in UsageDay.objects.filter(subscription=first)} == {
        dt.date(2026, 3, 10): 1_000,
        dt.date(2026, 3, 11): 2_000,
    }
    assert UsageRecord.objects.filter(subscription__isnull=True).count() == 1  # someone-else
    assert UsageSession.objects.get(key="s1").subscription_id == first.pk
    event = AuditEvent.objects.get(action="usage.radius_username_set")
    assert event.actor == staff
    assert event.ip_address == "203.0.113.9"
    assert event.data["radius_username"] == "new-user"
    # Handed over once: assigning again finds nothing left aside.
    assert assign_kept(username="new-user", subscription_id=first.pk) == 0
    assert UsageCycle.objects.get(subscription=first).used_bytes == 3_200
    # And what comes next is the service's straight away.
    result = ingest(
        [interim("s1", "new-user", 300, 3_000, AT + dt.timedelta(days=2), 180)],
        source=Source.RLM_REST,
    )
    assert result.subscription_ids == frozenset({first.pk})
    assert UsageCycle.objects.get(subscription=first).used_bytes == 3_300


def test_a_name_another_current_service_has_is_refused(services, staff):
    first, second = services
    set_radius_username(subscription_id=first.pk, username="taken", actor=staff, ip=None)
    with pytest.raises(UsageError) as refused:
        set_radius_username(subscription_id=second.pk, username="taken", actor=staff, ip=None)
    assert refused.value.field == "radius_username"
    second.refresh_from_db()
    assert second.radius_username == ""


def test_an_ended_service_leaves_its_name_free(services, staff):
    first, second = services
    set_radius_username(subscription_id=first.pk, username="moved", actor=staff, ip=None)
    Subscription.objects.filter(pk=first.pk).update(ended_on=dt.date(2026, 2, 1))
    set_radius_username(subscription_id=second.pk, username="moved", actor=staff, ip=None)
    second.refresh_from_db()
    assert second.radius_username == "moved"


@pytest.mark.parametrize("name", ["", "   ", "with space", "tab\there", "x" * 254, "bell\x07"])
def test_a_malformed_name_is_refused_and_nothing_changes(services, staff, name):
    first, _second = services
    with pytest.raises(UsageError) as refused:
        set_radius_username(subscription_id=first.pk, username=name, actor=staff, ip=None)
    assert refused.value.field == "radius_username"
    assert not AuditEvent.objects.filter(action="usage.radius_username_set").exists()


def test_a_name_of_253_characters_is_fine(services, staff):
    first, _second = services
    name = "u" * 250 + "@x."
    assert set_radius_username(subscription_id=first.pk, username=name, actor=staff, ip=None) == 0
