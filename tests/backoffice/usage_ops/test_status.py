"""The ingest status page: records received per minute (counted, or estimated past a
bound), the lag, readers, collectors with their last record, kept-aside usernames,
rejections and files; its figures as JSON for the page's script (no full reload), and
the home's tiles and the "Usage" section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.usage import status
from dropline.usage.ingest import ingest
from dropline.usage.models import Source
from tests.support.staff import make_staff
from tests.support.staff_billing import visible_text
from tests.support.usage_ingest import interim
from tests.support.usage_ops import checkpoint, collector, records, rejection

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 4, 15, 30, 20, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    return client


def test_records_are_counted_per_minute_of_arrival():
    start = NOW.replace(second=0)
    records(username="a", occurred_at=start - 3 * MIN, received_at=start - 3 * MIN, count=4)
    records(
        username="a",
        occurred_at=start - 2 * MIN,
        received_at=start - MIN + dt.timedelta(seconds=59),
        count=2,
    )
    records(username="a", occurred_at=start, received_at=start + dt.timedelta(seconds=5))
    records(username="a", occurred_at=start, received_at=start - 20 * MIN, count=9)  # too old
    with clock.frozen(NOW):
        minutes = status.records_per_minute()
    assert len(minutes) == status.MINUTES
    assert minutes[-1].start == start
    assert [m.records for m in minutes[-4:]] == [4, 0, 2, 1]
    assert sum(m.records for m in minutes) == 7
    assert not any(m.estimated for m in minutes)


def test_a_busy_minute_is_estimated_from_the_ids_not_counted_row_by_row(monkeypatch):
    monkeypatch.setattr(status, "EXACT_UP_TO", 5)
    start = NOW.replace(second=0)
    records(username="a", occurred_at=start, received_at=start - MIN, count=30)
    records(username="a", occurred_at=start, received_at=start, count=3)
    with clock.frozen(NOW):
        minutes = status.records_per_minute()
    assert minutes[-2].estimated
    assert minutes[-2].records == 30
    assert not minutes[-1].estimated
    assert minutes[-1].records == 3


def test_the_reads_stay_bounded_whatever_the_records():
    records(username="kept", occurred_at=NOW - MIN, count=50)
    records(username="paid", occurred_at=NOW - MIN, count=50, subscription_id=None)
    with clock.frozen(NOW), CaptureQueriesContext(connection) as queries:
        status.records_per_minute()
        status.lag()
        status.kept_usernames()
        status.kept_usernames_count()
    assert len(queries) <= status.MINUTES + 3
    for query in queries:
        sql = query["sql"]
        # Every read of the raw records is over a window of arrival or the records kept aside.
        if "usage_usagerecord" in sql:
            assert ('"received_at"' in sql) or ('"subscription_id" IS NULL' in sql), sql


def test_lag_and_readers():
    records(username="a", occurred_at=NOW - 90 * dt.timedelta(seconds=1), received_at=NOW - MIN)
    records(username="a", occurred_at=NOW - 10 * MIN, received_at=NOW - 5 * MIN)
    checkpoint(name="radacct-main", updated_through=NOW - 3 * MIN)
    with clock.frozen(NOW):
        lag = status.lag()
        readers = status.readers()
    assert lag.latest_received_at == NOW - MIN
    assert lag.longest == 5 * MIN
    assert lag.sample == 2
    assert readers[0].behind == 3 * MIN


def test_kept_usernames_group_the_records_with_no_service():
    records(username="ghost", occurred_at=NOW - 2 * MIN, count=3, bytes_each=2000)
    records(username="ghost", occurred_at=NOW - 30 * MIN)
    records(username="other", occurred_at=NOW - 5 * MIN)
    kept = status.kept_usernames()
    assert [k.username for k in kept] == ["ghost", "other"]  # most recently seen first
    assert kept[0].records == 4
    assert kept[0].bytes == 7000
    assert kept[0].first_seen == NOW - 30 * MIN
    assert kept[0].last_seen == NOW - 2 * MIN
    assert status.kept_usernames_count() == 2


def test_a_collector_is_silent_after_fifteen_minutes_without_a_record():
    collector(name="fresh", created_at=NOW - dt.timedelta(days=1), last_record_at=NOW - 14 * MIN)
    collector(name="quiet", created_at=NOW - dt.timedelta(days=1), last_record_at=NOW - 16 * MIN)
    collector(name="never", created_at=NOW - 20 * MIN)
    collector(
        name="gone", created_at=NOW - dt.timedelta(days=2), revoked_at=NOW - dt.timedelta(days=1)
    )
    with clock.frozen(NOW):
        states = {c.name: c for c in status.collectors()}
        assert status.silent_collectors_count() == 2
    assert not states["fresh"].silent
    assert states["quiet"].silent
    assert states["never"].silent
    assert not states["gone"].silent
    assert not states["gone"].active
    assert [c.name for c in status.collectors()][-1] == "gone"  # active ones first


def test_the_page_shows_the_figures(billing):
    records(username="ghost", occurred_at=NOW - 2 * MIN, received_at=NOW - MIN, count=3)
    collector(
        name="radius-east", created_at=NOW - dt.timedelta(days=1), last_record_at=NOW - 40 * MIN
    )
    rejection(reason="Acct-Status-Type is missing.", received_at=NOW - 10 * MIN)
    checkpoint(name="radacct-main", updated_through=NOW - 3 * MIN)
    with clock.frozen(NOW):
        page = billing.get(reverse("backoffice:usage_status"))
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Records received per minute" in text
    assert "radius-east" in text
    assert "Silent for over 15 minutes" in text
    assert "Acct-Status-Type is missing." in text
    assert "radacct-main" in text
    assert "3 minutes" in text
    assert "60 seconds" in text  # the typical lag
    html = page.content.decode()
    assert 'data-figures-url="/backoffice/usage/status/figures/"' in html
    assert "usage_status.js" in html
    assert '<meta http-equiv="refresh"' in html  # without scripts, inside <noscript>


def test_the_figures_come_as_json_in_the_staff_members_words(billing):
    records(username="ghost", occurred_at=NOW - MIN, received_at=NOW - MIN, count=1234)
    with clock.frozen(NOW):
        figures = billing.get(reverse("backoffice:usage_status_figures")).json()
    assert figures["minutes"][-2]["records"] == 1234
    assert figures["minutes"][-2]["text"] == "1,234"
    assert figures["text"]["last_minute"] == "1,234"
    assert figures["text"]["kept_usernames"] == "1"


def test_the_pages_script_refreshes_the_figures_without_a_reload():
    path = finders.find("dropline/usage_status.js")
    assert path
    script = Path(str(path)).read_text()
    assert "data-figure" in script or "dataset.figure" in script
    assert "fetch(" in script
    assert "location.reload" not in script


def test_the_home_tiles_count_what_needs_attention_and_link_to_it(client):
    records(username="ghost", occurred_at=NOW - MIN)
    records(username="ghoul", occurred_at=NOW - MIN)
    collector(name="quiet", created_at=NOW - dt.timedelta(days=1), last_record_at=NOW - 20 * MIN)
    rejection(reason="Bad", received_at=NOW - 30 * MIN)
    rejection(reason="Old", received_at=NOW - 2 * dt.timedelta(hours=1))
    client.force_login(make_staff(username="admin", role=roles.ADMINISTRATOR))
    with clock.frozen(NOW):
        html = client.get(reverse("backoffice:home")).content.decode()

    def tile(name: str) -> str:
        return visible_text(html.split(f'id="tile-{name}">', 1)[1].split("</li>", 1)[0])

    assert tile("usage_kept_aside").startswith("2 usernames with usage kept aside")
    assert tile("usage_silent_collectors").startswith("1 collector silent")
    assert tile("usage_rejections").startswith("1 usage record rejected")
    assert reverse("backoffice:usage_unknown") in html
    assert reverse("backoffice:usage_collectors") in html
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:home")).content.decode()
    assert "tile-usage_kept_aside" in html
    assert "tile-usage_silent_collectors" not in html
    assert "tile-usage_rejections" not in html


def test_the_usage_section_shows_to_staff_whose_permissions_open_it(client):
    for role, shown in [
        (roles.CUSTOMER_CARE, True),
        (roles.BILLING, True),
        (roles.ADMINISTRATOR, True),
        (roles.FIELD_DISPATCH, False),
    ]:
        client.force_login(make_staff(username=f"u-{role}".replace(" ", "-"), role=role))
        html = client.get(reverse("backoffice:home")).content.decode()
        assert (f'href="{reverse("backoffice:usage_ops")}"' in html) is shown, role


def test_what_the_ingest_keeps_aside_and_counts_shows_on_the_page(billing):
    with clock.frozen(NOW):
        ingest(
            [interim("s-1", "stranger", 1_000, 2_000, NOW - 2 * MIN)],
            source=Source.RLM_REST,
            collector_id=collector(name="radius-east").pk,
        )
        figures = billing.get(reverse("backoffice:usage_status_figures")).json()
        text = visible_text(billing.get(reverse("backoffice:usage_status")).content.decode())
    assert figures["minutes"][-1]["records"] == 1  # received now
    assert figures["text"]["kept_usernames"] == "1"
    assert "Silent for over 15 minutes" not in text  # it has just sent a record
    kept = status.kept_usernames()
    assert [(k.username, k.records, k.bytes) for k in kept] == [("stranger", 1, 3_000)]
