"""Raw records past retention go in bulk (on PostgreSQL a month's partition is dropped,
not emptied); hourly roll-ups past theirs are deleted; days and cycles stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from dropline.subscriptions.models import Subscription
from dropline.usage import partitions
from dropline.usage.ingest import ingest
from dropline.usage.models import Source, UsageCycle, UsageDay, UsageHour, UsageRecord
from dropline.usage.retention import prune
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.services import need
from tests.support.usage_ingest import interim

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 12, tzinfo=dt.UTC)


@pytest.fixture
def history() -> Subscription:
    catalog = make_catalog()
    _account, service = account_with_internet(catalog, opened_on=dt.date(2025, 12, 1))
    Subscription.objects.filter(pk=service.pk).update(radius_username="hana")
    moments = [at(2026, 1, 10), at(2026, 2, 27), at(2026, 3, 20), at(2026, 5, 1), at(2026, 6, 14)]
    ingest(
        [interim(f"s{n}", "hana", 10, 90, moment, 60) for n, moment in enumerate(moments)],
        source=Source.RADACCT,
    )
    return service


def test_records_of_months_wholly_past_retention_go_and_the_rest_stay(history, settings):
    settings.DROPLINE_USAGE_RAW_RETENTION_DAYS = 90
    settings.DROPLINE_USAGE_HOURLY_RETENTION_DAYS = 62
    # June 15 less 90 days is March 17: January and February are wholly older; March is
    # not (its 17th to 31st are within retention), so it stays whole.
    result = prune(today=dt.date(2026, 6, 15))
    assert result.records == 2
    kept = sorted(r.occurred_at.date() for r in UsageRecord.objects.all())
    assert kept == [dt.date(2026, 3, 20), dt.date(2026, 5, 1), dt.date(2026, 6, 14)]
    # Hours from April 14 on stay (62 days before June 15).
    assert result.hours == 3
    assert sorted(h.hour.date() for h in UsageHour.objects.all()) == [
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 14),
    ]
    # The days and cycles the meter and the bills read are kept.
    assert UsageDay.objects.filter(subscription=history).count() == 5
    assert sum(c.used_bytes for c in UsageCycle.objects.all()) == 500
    again = prune(today=dt.date(2026, 6, 15))
    assert (again.partitions, again.records, again.hours) == (0, 0, 0)


def _partition_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'usage_usagerecord'"
        )
        return sorted(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_on_postgresql_a_past_month_is_a_dropped_partition(history, settings):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    settings.DROPLINE_USAGE_RAW_RETENTION_DAYS = 90
    names = _partition_names()
    assert {"usage_usagerecord_y2026m01", "usage_usagerecord_y2026m02"} <= set(names)
    result = prune(today=dt.date(2026, 6, 15))
    assert result.partitions >= 2
    assert result.records == 2
    left = _partition_names()
    assert "usage_usagerecord_y2026m01" not in left
    assert "usage_usagerecord_y2026m02" not in left
    assert "usage_usagerecord_y2026m03" in left
    assert UsageRecord.objects.count() == 3


@pytest.mark.postgres
def test_partitions_are_made_on_demand_at_utc_month_boundaries():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    # 23:30 on Jan 31 in Chicago is already February in UTC.
    late = dt.datetime(2031, 2, 1, 5, 30, tzinfo=dt.UTC)
    partitions.ensure_for([late, late])
    partitions.ensure_for([late])  # again: nothing to do, no error
    assert "usage_usagerecord_y2031m02" in _partition_names()
    assert "usage_usagerecord_y2031m01" not in _partition_names()
