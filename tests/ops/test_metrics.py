"""/metrics: what an operator's Prometheus sees, and that nobody else sees it."""

from __future__ import annotations

import datetime as dt
import socket
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from prometheus_client.parser import text_string_to_metric_families

from dropline.accounts.models import User
from dropline.billing.models import BillRun, BillRunChunk, BillRunStatus, ChunkStatus
from dropline.core import clock
from dropline.notifications.models import Message, MessageStatus
from dropline.usage import partitions
from dropline.usage.models import Collector, ReaderCheckpoint, UsageRecord

TOKEN = "t" * 20 + "0123456789abcdef"  # 36 characters
LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(
    client: Client | None = None, **headers: str
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    meta: dict[str, Any] = {**LOOPBACK, **headers}
    response = (client or Client()).get("/metrics", **meta)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"]
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def latency_count(samples: dict, route: str, status: str = "2xx", method: str = "GET") -> float:
    return (
        value(
            samples,
            "dropline_http_request_duration_seconds_count",
            route=route,
            method=method,
            status=status,
        )
        or 0.0
    )


@pytest.mark.django_db
def test_request_latency_is_counted_by_route_name_never_by_path():
    client = Client()
    before = scrape(client)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    # An API operation with an id in its path, and a path no pattern matches.
    assert client.get("/api/v1/invoices/987654321").status_code in {401, 403, 404}
    assert client.get("/no-such-page/123456789").status_code == 404
    after = scrape(client)

    assert latency_count(after, "healthz") - latency_count(before, "healthz") == 3
    assert latency_count(after, "unmatched", "4xx") - latency_count(before, "unmatched", "4xx") == 1
    assert (
        latency_count(after, "api-v1:invoice", "4xx")
        - latency_count(before, "api-v1:invoice", "4xx")
        == 1
    )
    bucket = value(
        after,
        "dropline_http_request_duration_seconds_bucket",
        route="healthz",
        method="GET",
        status="2xx",
        le="+Inf",
    )
    assert bucket == latency_count(after, "healthz")
    routes = {
        dict(labels)["route"]
        for name, labels in after
        if name.startswith("dropline_http_request_duration_seconds")
    }
    assert all("987654321" not in route and "123456789" not in route for route in routes)
    # The scrape itself is a route like any other.
    assert "metrics" in routes


def test_a_pattern_without_a_name_is_labelled_by_its_route(db):
    client = Client()
    client.get("/_allauth/app/v1/account/authenticators/totp")
    routes = {
        dict(labels)["route"]
        for name, labels in scrape(client)
        if name == "dropline_http_request_duration_seconds_count"
    }
    assert "/_allauth/app/v1/account/authenticators/totp" in routes


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "10.0.0.5"},
        # A proxy on the same machine forwards the world's requests from loopback.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"},
    ],
)
def test_without_a_token_only_this_machine_may_read_it(db, meta):
    response = Client().get("/metrics", **meta)
    assert response.status_code == 404
    assert b"dropline_" not in response.content
    # Not even a different method tells that it exists.
    assert Client().post("/metrics", **meta).status_code == 404


def test_ipv6_loopback_may_read_it(db):
    assert Client().get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_with_a_token_only_its_bearer_may_read_it(db, settings):
    settings.DROPLINE_METRICS_TOKEN = TOKEN
    client = Client()
    # Loopback alone is no longer enough once a token is set.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    for wrong in [
        "Bearer " + TOKEN[:-1],
        "Bearer " + TOKEN + "x",
        "Basic " + TOKEN,
        TOKEN,
        "Bearer",
        "",
    ]:
        response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=wrong)
        assert response.status_code == 404, wrong
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 200
    assert b"dropline_http_request_duration_seconds" in response.content


def test_a_short_token_stops_start_up(monkeypatch):
    import subprocess
    import sys

    env = {
        "DJANGO_SETTINGS_MODULE": "dropline.settings",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "localhost",
        "DROPLINE_METRICS_TOKEN": "short",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import dropline.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DROPLINE_METRICS_TOKEN must be at least 32 characters" in result.stderr
    assert "short" not in result.stderr.replace("DROPLINE_METRICS_TOKEN", "")


def _user() -> User:
    return User.objects.create(username="metrics-person", email="m@example.com", password="!")


def _message(user: User, *, key: str, channel: str, status: str, not_before: dt.datetime) -> None:
    Message.objects.create(
        idempotency_key=key,
        user=user,
        event="test.event",
        category="account",
        channel=channel,
        to_address="m@example.com",
        language="en",
        subject="s",
        body_text="b",
        status=status,
        not_before=not_before,
        created_at=not_before,
    )


def test_outbox_backlog_by_channel_with_the_oldest_due_message_age(db):
    now = clock.now()
    user = _user()
    _message(
        user, key="a", channel="email", status="pending", not_before=now - dt.timedelta(minutes=10)
    )
    _message(
        user, key="b", channel="email", status="pending", not_before=now - dt.timedelta(minutes=2)
    )
    _message(user, key="c", channel="sms", status="pending", not_before=now + dt.timedelta(hours=8))
    _message(
        user, key="d", channel="sms", status="sending", not_before=now - dt.timedelta(minutes=1)
    )
    # Delivered and failed messages are not a backlog.
    _message(user, key="e", channel="email", status="sent", not_before=now - dt.timedelta(days=3))
    _message(user, key="f", channel="push", status="failed", not_before=now - dt.timedelta(days=3))

    samples = scrape()
    assert value(samples, "dropline_outbox_messages", channel="email", state="due") == 2
    assert value(samples, "dropline_outbox_messages", channel="email", state="scheduled") == 0
    assert value(samples, "dropline_outbox_messages", channel="sms", state="scheduled") == 1
    assert value(samples, "dropline_outbox_messages", channel="sms", state="sending") == 1
    assert value(samples, "dropline_outbox_messages", channel="sms", state="due") == 0
    assert value(samples, "dropline_outbox_messages", channel="push", state="due") == 0
    age = value(samples, "dropline_outbox_oldest_due_age_seconds", channel="email")
    assert age is not None
    assert 600 <= age < 700
    assert value(samples, "dropline_outbox_oldest_due_age_seconds", channel="sms") == 0

    Message.objects.filter(status=MessageStatus.PENDING, channel="email").update(
        status=MessageStatus.SENT
    )
    samples = scrape()
    assert value(samples, "dropline_outbox_messages", channel="email", state="due") == 0
    assert value(samples, "dropline_outbox_oldest_due_age_seconds", channel="email") == 0


def test_a_running_bill_run_shows_its_progress_and_a_finished_one_does_not(db):
    now = clock.now()
    running = BillRun.objects.create(
        run_on=dt.date(2026, 3, 5),
        started_at=now - dt.timedelta(minutes=5),
        accounts_total=2500,
        chunks_total=3,
        chunks_done=1,
        billed=990,
        skipped=7,
        failed=3,
    )
    for index, status in enumerate([ChunkStatus.DONE, ChunkStatus.PENDING, ChunkStatus.PENDING]):
        BillRunChunk.objects.create(
            run=running,
            index=index,
            first_account_id=index * 1000 + 1,
            last_account_id=(index + 1) * 1000,
            status=status,
        )
    BillRun.objects.create(
        run_on=dt.date(2026, 2, 5),
        status=BillRunStatus.COMPLETED,
        started_at=now - dt.timedelta(days=28),
        finished_at=now - dt.timedelta(days=28),
        accounts_total=10,
        chunks_total=1,
        chunks_done=1,
        billed=10,
    )
    samples = scrape()
    assert value(samples, "dropline_bill_runs_running") == 1
    assert value(samples, "dropline_bill_run_chunks", run_on="2026-03-05", state="done") == 1
    assert value(samples, "dropline_bill_run_chunks", run_on="2026-03-05", state="all") == 3
    assert (
        value(samples, "dropline_bill_run_accounts", run_on="2026-03-05", outcome="billed") == 990
    )
    assert value(samples, "dropline_bill_run_accounts", run_on="2026-03-05", outcome="failed") == 3
    assert value(samples, "dropline_bill_run_accounts", run_on="2026-03-05", outcome="all") == 2500
    running_for = value(samples, "dropline_bill_run_running_seconds", run_on="2026-03-05")
    assert running_for is not None
    assert 300 <= running_for < 400
    assert value(samples, "dropline_bill_run_chunks", run_on="2026-02-05", state="all") is None

    BillRun.objects.filter(pk=running.pk).update(
        status=BillRunStatus.COMPLETED, finished_at=now, chunks_done=3
    )
    samples = scrape()
    assert value(samples, "dropline_bill_runs_running") == 0
    assert value(samples, "dropline_bill_run_chunks", run_on="2026-03-05", state="all") is None


def test_ingest_lag_per_collector_reader_and_newest_record(db):
    now = clock.now()
    Collector.objects.create(
        name="radius-east",
        password_digest="0" * 64,
        created_at=now - dt.timedelta(days=9),
        last_record_at=now - dt.timedelta(minutes=30),
    )
    Collector.objects.create(
        name="radius-new", password_digest="1" * 64, created_at=now - dt.timedelta(minutes=3)
    )
    Collector.objects.create(
        name="radius-gone",
        password_digest="2" * 64,
        created_at=now - dt.timedelta(days=90),
        revoked_at=now - dt.timedelta(days=30),
    )
    ReaderCheckpoint.objects.create(
        name="radacct", updated_through=now - dt.timedelta(hours=2), last_run_at=now
    )
    samples = scrape()
    assert value(samples, "dropline_usage_last_received_age_seconds") is None
    east = value(samples, "dropline_usage_collector_silence_seconds", collector="radius-east")
    assert east is not None
    assert 1800 <= east < 1900
    new = value(samples, "dropline_usage_collector_silence_seconds", collector="radius-new")
    assert new is not None
    assert 180 <= new < 280
    assert (
        value(samples, "dropline_usage_collector_silence_seconds", collector="radius-gone") is None
    )
    behind = value(samples, "dropline_usage_reader_behind_seconds", reader="radacct")
    assert behind is not None
    assert 7200 <= behind < 7300

    partitions.ensure_for([now - dt.timedelta(minutes=50)])
    UsageRecord.objects.create(
        occurred_at=now - dt.timedelta(minutes=50),
        received_at=now - dt.timedelta(minutes=45),
        source="rlm_rest",
        session_key="s1",
        username="someone",
        status="interim",
        input_octets=1,
        output_octets=1,
        input_delta=1,
        output_delta=1,
    )
    newest = value(scrape(), "dropline_usage_last_received_age_seconds")
    assert newest is not None
    assert 2700 <= newest < 2800


def test_the_state_gauges_cost_a_fixed_number_of_statements(db):
    user = _user()
    now = clock.now()
    for n in range(5):
        _message(user, key=f"m{n}", channel="email", status="pending", not_before=now)
    scrape()
    with CaptureQueriesContext(connection) as queries:
        scrape()
    statements = [q["sql"] for q in queries.captured_queries]
    # outbox, bill runs, newest record, collectors, readers, last import.
    assert len(statements) == 6, statements
    assert not any("usage_usagerecord" in sql and "LIMIT" not in sql for sql in statements)


def test_without_a_broker_the_queue_is_reported_as_not_configured(db, settings):
    settings.CELERY_BROKER_URL = ""
    samples = scrape()
    assert value(samples, "dropline_broker_up", configured="no") == 0
    assert not [key for key in samples if key[0] == "dropline_queue_messages"]


@pytest.mark.redis
def test_queue_depth_counts_the_tasks_waiting_in_redis(db, settings):
    import os

    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    settings.CELERY_BROKER_URL = url
    server = redis.Redis.from_url(url)
    server.delete("celery")
    server.rpush("celery", "task-1", "task-2", "task-3")
    try:
        samples = scrape()
    finally:
        server.delete("celery")
    assert value(samples, "dropline_broker_up", configured="yes") == 1
    assert value(samples, "dropline_queue_messages", queue="celery") == 3


@pytest.mark.parametrize("scheme", ["amqp", "redis"])
def test_a_broker_that_does_not_answer_is_down_without_hanging(db, settings, scheme):
    # A port that takes the connection and never says a word, and one that refuses it.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))
    try:
        for port in (silent.getsockname()[1], refused.getsockname()[1]):
            settings.CELERY_BROKER_URL = f"{scheme}://guest:guest@127.0.0.1:{port}/0"
            started = time.monotonic()
            samples = scrape()
            # Two one-second timeouts; without them a silent broker holds the scrape for
            # good. The bound is wide, for a busy machine: this checks a hang, not speed.
            assert time.monotonic() - started < 20
            assert value(samples, "dropline_broker_up", configured="yes") == 0
            assert not [key for key in samples if key[0] == "dropline_queue_messages"]
    finally:
        silent.close()
        refused.close()
