"""One packet a call (the rlm_rest endpoint's way), from several threads at once on
PostgreSQL: the lean path (a lock, one write) counts every byte once, whatever the
interleaving, new sessions included."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import threading

import pytest
from django.db import connection, connections

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
from tests.support.services import need
from tests.support.usage_ingest import interim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE = dt.datetime(2026, 3, 3, 10, 50, tzinfo=dt.UTC)


def test_threads_posting_one_packet_at_a_time_count_every_byte_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    catalog = make_catalog()
    _account, service = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5))
    Subscription.objects.filter(pk=service.pk).update(radius_username="gina")
    sessions, steps, threads_count = 12, 5, 4
    packets = [
        interim(
            f"p{s:02d}",
            "gina",
            1_000 * n + s,
            10_000 * n + s,
            BASE + dt.timedelta(minutes=5 * n),  # across an hour's end
            300 * n,
        )
        for s in range(sessions)
        for n in range(1, steps + 1)
    ]
    shuffler = random.Random(7)
    batches = []
    for _ in range(threads_count):  # every thread posts every packet (retransmits), shuffled
        batch = list(packets)
        shuffler.shuffle(batch)
        batches.append(batch)
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def run(batch: list) -> None:
        try:
            barrier.wait()
            for packet in batch:
                ingest([packet], source=Source.RLM_REST)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    assert errors == []
    truth_in = sum(1_000 * steps + s for s in range(sessions))
    truth_out = sum(10_000 * steps + s for s in range(sessions))
    cycle = UsageCycle.objects.get(subscription=service)
    assert (cycle.input_bytes, cycle.output_bytes) == (truth_in, truth_out)
    hours = UsageHour.objects.filter(subscription=service)
    assert hours.count() == 2
    assert sum(h.input_bytes + h.output_bytes for h in hours) == truth_in + truth_out
    assert sum(d.output_bytes for d in UsageDay.objects.all()) == truth_out
    assert UsageSession.objects.count() == sessions
    assert not UsageSession.objects.filter(session_time__lt=0).exists()
    assert UsageRecord.objects.count() == len(packets) * threads_count  # every packet kept
    counted = UsageRecord.objects.exclude(input_delta=0, output_delta=0)
    assert sum(r.input_delta for r in counted) == truth_in
