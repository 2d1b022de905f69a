"""The radacct reader against a real PostgreSQL table of FreeRADIUS's stock schema,
written the way FreeRADIUS's own queries write it: cumulative counters updated in place
become the right usage, a second run adds nothing, a run killed in the middle of a batch
and run again counts everything exactly once, and rows committed a little late are
still read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from dropline.core import clock
from dropline.usage import radacct
from dropline.usage.models import ReaderCheckpoint, Rejection, UsageSession
from tests.support.usage_sources import (
    FreeRadiusSql,
    internet_service,
    radacct_database,
    session_bytes,
    used_bytes,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

T0 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
G = 2**32


@pytest.fixture
def radius():
    with radacct_database() as url:
        sql = FreeRadiusSql(url)
        try:
            yield url, sql
        finally:
            sql.close()


def minutes(n: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def test_sessions_updated_in_place_become_their_usage_and_a_second_run_adds_nothing(radius):
    url, sql = radius
    alice, bob = internet_service("alice"), internet_service("bob")
    sql.start("a-1", "alice", at=minutes(0))
    sql.interim("a-1", "alice", at=minutes(10), octets=(1000, 5000), gigawords=(0, 1))
    sql.start("b-1", "bob", at=minutes(2))
    with clock.frozen(NOW):
        first = radacct.read_radacct(dsn=url)
    assert first.rows == 3 - 1  # one row per session, whatever happened to it
    assert used_bytes(alice) == 1000 + G + 5000
    assert used_bytes(bob) == 0
    sql.interim("a-1", "alice", at=minutes(20), octets=(3000, 9000), gigawords=(0, 1))
    sql.stop("b-1", "bob", at=minutes(30), octets=(70, 30))
    with clock.frozen(NOW):
        second = radacct.read_radacct(dsn=url)
        third = radacct.read_radacct(dsn=url)
    assert used_bytes(alice) == 3000 + G + 9000
    assert used_bytes(bob) == 100
    assert second.counted == 2
    assert third.counted == 0
    assert third.counted_bytes == 0
    assert UsageSession.objects.get(key="b-1").stopped_at is not None
    checkpoint = ReaderCheckpoint.objects.get(name="radacct")
    assert checkpoint.updated_through == minutes(30)
    assert checkpoint.last_run_at == NOW


def test_a_run_killed_in_the_middle_of_a_batch_counts_everything_once_when_run_again(
    radius, monkeypatch
):
    url, sql = radius
    services = [internet_service(f"user-{n}") for n in range(10)]
    for n in range(10):
        sql.start(f"s-{n}", f"user-{n}", at=minutes(n))
        sql.interim(f"s-{n}", f"user-{n}", at=minutes(n + 1), octets=(100 * (n + 1), 0))
    real_ingest = radacct.ingest
    calls = {"n": 0}

    def dies_in_the_third_batch(readings, **kwargs):
        calls["n"] += 1
        result = real_ingest(readings, **kwargs)
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")
        return result

    monkeypatch.setattr(radacct, "ingest", dies_in_the_third_batch)
    with clock.frozen(NOW), pytest.raises(KeyboardInterrupt):
        radacct.read_radacct(dsn=url, batch=3)
    half = [used_bytes(s) for s in services]
    assert half[:6] == [100 * (n + 1) for n in range(6)]
    assert half[6:] == [0, 0, 0, 0]  # the third batch was rolled back with its checkpoint
    assert ReaderCheckpoint.objects.get().updated_through == minutes(6)
    monkeypatch.setattr(radacct, "ingest", real_ingest)
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url, batch=3)
        radacct.read_radacct(dsn=url, batch=3)
    assert [used_bytes(s) for s in services] == [100 * (n + 1) for n in range(10)]


def test_a_row_committed_late_with_an_earlier_time_is_still_read(radius):
    url, sql = radius
    late = internet_service("late")
    sql.start("x-1", "someone", at=minutes(30))
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url)
    # committed after that run, with a time a minute before its checkpoint
    sql.stop("l-1", "late", at=minutes(29), octets=(10, 20))
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url)
    assert used_bytes(late) == 30


def test_a_nas_clock_ahead_never_moves_the_checkpoint_past_the_database_clock(radius):
    url, sql = radius
    service = internet_service("ahead")
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=300)
    sql.start("f-1", "someone", at=future)
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url)
    through = ReaderCheckpoint.objects.get().updated_through
    assert through is not None
    assert through < future - dt.timedelta(days=200)
    sql.stop("n-1", "ahead", at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5), octets=(1, 2))
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url)
    assert used_bytes(service) == 3


def test_accounting_on_closes_sessions_without_counting_again(radius):
    url, sql = radius
    service = internet_service("alice")
    sql.start("a-1", "alice", at=minutes(0))
    sql.interim("a-1", "alice", at=minutes(10), octets=(500, 500))
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url)
    sql.accounting_on(at=minutes(15))
    with clock.frozen(NOW):
        radacct.read_radacct(dsn=url)
    assert used_bytes(service) == 1000
    assert session_bytes("a-1") == 1000


def test_a_row_without_a_username_is_kept_as_a_rejection_once(radius):
    url, sql = radius
    sql.start("odd-1", "", at=minutes(0))
    sql.start("ok-1", "alice", at=minutes(1))
    with clock.frozen(NOW):
        result = radacct.read_radacct(dsn=url)
        radacct.read_radacct(dsn=url)
    assert result.rejected == 1
    rejection = Rejection.objects.get()
    assert "UserName" in rejection.reason
    assert "odd-1" in rejection.excerpt


def test_a_second_reader_with_the_same_name_stops_at_once(radius):
    import psycopg

    url, _sql = radius
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (radacct._lock_key("radacct"),))
        with pytest.raises(radacct.RadacctBusyError):
            radacct.read_radacct(dsn=url)
    assert radacct.read_radacct(dsn=url, name="radacct").rows == 0


def test_the_command_reads_and_says_what_it_did(radius):
    url, sql = radius
    service = internet_service("alice")
    sql.stop("a-1", "alice", at=minutes(5), octets=(2 * 10**9, 10**9))
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command("usage", "read-radacct", "--dsn", url, "--batch", "10", stdout=out)
    assert "1 row(s) read" in out.getvalue()
    assert "3.000 GB" in out.getvalue()
    assert used_bytes(service) == 3 * 10**9
