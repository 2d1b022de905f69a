"""The gauges ``/metrics`` computes when scraped, from the database and the broker.

Each read is bounded whatever the number of accounts: the outbox is read through its
``message_due`` index (status, not_before) and costs what the backlog holds, not the
outbox's history; bill runs, collectors and readers are small tables; the newest usage
record is one step down the ``usage_record_received`` index. ``tests/operations``
asserts the statement count, and docs/OPERATIONS.md ("Metrics") the plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Min, Q
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from dropline.billing.models import BillRun
from dropline.core import clock
from dropline.notifications.categories import Channel
from dropline.notifications.models import Message, MessageStatus
from dropline.operations.broker import broker_state
from dropline.usage.models import Collector as UsageCollector
from dropline.usage.models import ReaderCheckpoint, UsageImport, UsageRecord

OUTBOX_STATES = ("due", "scheduled", "sending")


def _seconds(delta: dt.timedelta) -> float:
    return max(0.0, delta.total_seconds())


def outbox_metrics(now: dt.datetime) -> Iterator[Metric]:
    messages = GaugeMetricFamily(
        "dropline_outbox_messages",
        "Notification messages not yet delivered, by channel and state: due (to send "
        "now), scheduled (a retry's backoff or quiet hours), sending (leased by a worker).",
        labels=["channel", "state"],
    )
    oldest = GaugeMetricFamily(
        "dropline_outbox_oldest_due_age_seconds",
        "How long the oldest message due on a channel has waited since it fell due "
        "(0 when none is waiting).",
        labels=["channel"],
    )
    counts = {(channel, state): 0 for channel in Channel.values for state in OUTBOX_STATES}
    due_since: dict[str, dt.datetime] = {}
    rows = (
        Message.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])
        .values("channel", "status")
        .annotate(
            due=Count("id", filter=Q(not_before__lte=now)),
            total=Count("id"),
            first_due=Min("not_before", filter=Q(not_before__lte=now)),
        )
        .order_by()
    )
    for row in rows:
        channel = row["channel"]
        if row["status"] == MessageStatus.SENDING:
            counts[(channel, "sending")] = counts.get((channel, "sending"), 0) + row["total"]
            continue
        counts[(channel, "due")] = counts.get((channel, "due"), 0) + row["due"]
        counts[(channel, "scheduled")] = (
            counts.get((channel, "scheduled"), 0) + row["total"] - row["due"]
        )
        if row["first_due"] is not None:
            due_since[channel] = row["first_due"]
    for (channel, state), value in sorted(counts.items()):
        messages.add_metric([channel, state], value)
    for channel in sorted({channel for channel, _ in counts}):
        since = due_since.get(channel)
        oldest.add_metric([channel], _seconds(now - since) if since else 0.0)
    yield messages
    yield oldest


def bill_run_metrics(now: dt.datetime) -> Iterator[Metric]:
    running = GaugeMetricFamily("dropline_bill_runs_running", "Bill runs started and not finished.")
    chunks = GaugeMetricFamily(
        "dropline_bill_run_chunks",
        "Chunks of an unfinished bill run, by state: done or all.",
        labels=["run_on", "state"],
    )
    accounts = GaugeMetricFamily(
        "dropline_bill_run_accounts",
        "Accounts of an unfinished bill run, by outcome: billed, skipped, failed, or "
        "all (to bill).",
        labels=["run_on", "outcome"],
    )
    started = GaugeMetricFamily(
        "dropline_bill_run_running_seconds",
        "How long an unfinished bill run has been running.",
        labels=["run_on"],
    )
    runs = list(
        BillRun.objects.filter(finished_at__isnull=True)
        .order_by("run_on")
        .values(
            "run_on",
            "started_at",
            "accounts_total",
            "chunks_total",
            "chunks_done",
            "billed",
            "skipped",
            "failed",
        )
    )
    running.add_metric([], len(runs))
    for run in runs:
        day = run["run_on"].isoformat()
        chunks.add_metric([day, "done"], run["chunks_done"])
        chunks.add_metric([day, "all"], run["chunks_total"])
        for outcome in ("billed", "skipped", "failed"):
            accounts.add_metric([day, outcome], run[outcome])
        accounts.add_metric([day, "all"], run["accounts_total"])
        started.add_metric([day], _seconds(now - run["started_at"]))
    yield running
    yield chunks
    yield accounts
    yield started


def ingest_metrics(now: dt.datetime) -> Iterator[Metric]:
    newest = GaugeMetricFamily(
        "dropline_usage_last_received_age_seconds",
        "Seconds since the newest usage record was received, from any source (absent "
        "before the first).",
    )
    latest = UsageRecord.objects.order_by("-received_at").values_list("received_at", flat=True)[:1]
    for received_at in latest:
        newest.add_metric([], _seconds(now - received_at))
    yield newest

    collectors = GaugeMetricFamily(
        "dropline_usage_collector_silence_seconds",
        "Seconds since an active collector (a FreeRADIUS server posting accounting) sent "
        "its last record, or since it was added if it never did.",
        labels=["collector"],
    )
    for name, last, created in UsageCollector.objects.filter(revoked_at__isnull=True).values_list(
        "name", "last_record_at", "created_at"
    ):
        collectors.add_metric([name], _seconds(now - (last or created)))
    yield collectors

    readers = GaugeMetricFamily(
        "dropline_usage_reader_behind_seconds",
        "How far behind now a reader of an outside table (FreeRADIUS's radacct) has read.",
        labels=["reader"],
    )
    for name, through, last_run in ReaderCheckpoint.objects.values_list(
        "name", "updated_through", "last_run_at"
    ):
        readers.add_metric([name], _seconds(now - (through or last_run or now)))
    yield readers

    imports = GaugeMetricFamily(
        "dropline_usage_last_import_age_seconds",
        "Seconds since the last usage file was imported (absent before the first).",
    )
    last_import = (
        UsageImport.objects.filter(status="imported")
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:1]
    )
    for created_at in last_import:
        imports.add_metric([], _seconds(now - created_at))
    yield imports


def broker_metrics() -> Iterator[Metric]:
    state = broker_state()
    up = GaugeMetricFamily(
        "dropline_broker_up",
        "1 when the Celery broker answered this scrape, 0 when it did not in time; "
        'configured="no" without a broker (tasks run in the web process).',
        labels=["configured"],
    )
    up.add_metric(["yes" if state.configured else "no"], 1 if state.up else 0)
    yield up
    depth = GaugeMetricFamily(
        "dropline_queue_messages",
        "Task messages waiting in a broker queue (absent when the broker is not "
        "configured or did not answer).",
        labels=["queue"],
    )
    for queue, waiting in sorted(state.depths.items()):
        depth.add_metric([queue], waiting)
    yield depth


class StateCollector(Collector):
    """Every gauge of the system's state, computed when collected."""

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        yield from outbox_metrics(now)
        yield from bill_run_metrics(now)
        yield from ingest_metrics(now)
        yield from broker_metrics()
