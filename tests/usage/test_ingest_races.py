"""Batches carrying packets of the same sessions at the same moment, on PostgreSQL with
real threads: every byte counted once, whatever the interleaving."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import threading

import pytest
from django.db import connection, connections

from dropline.subscriptions.models import Subscription
from dropline.usage.ingest import ingest
from dropline.usage.models import Source, UsageCycle, UsageDay, UsageHour, UsageSession
from tests.support.catalog import account_with_internet, make_catalog
from tests.support.services import need
from tests.support.usage_ingest import interim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE = dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)


def test_threads_ingesting_the_same_sessions_at_once_count_every_byte_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    catalog = make_catalog()
    _account, service = account_with_internet(catalog, opened_on=dt.date(2026, 1, 5))
    Subscription.objects.filter(pk=service.pk).update(radius_username="gina")
    sessions, steps, threads_count = 60, 8, 6
    packets = [
        interim(
            f"s{s:03d}",
            "gina",
            1_000 * n + s,
            10_000 * n + s,
            BASE + dt.timedelta(minutes=5 * n),
            300 * n,
        )
        for s in range(sessions)
        for n in range(1, steps + 1)
    ]
    shuffler = random.Random(13)
    batches = []
    for _ in range(threads_count):  # every thread carries every packet, shuffled
        batch = list(packets)
        shuffler.shuffle(batch)
        batches.append(batch)
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def run(batch: list) -> None:
        try:
            barrier.wait()
            for start in range(0, len(batch), 97):
                ingest(batch[start : start + 97], source=Source.RLM_REST)
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
    assert sum(h.input_bytes + h.output_bytes for h in UsageHour.objects.all()) == (
        truth_in + truth_out
    )
    assert sum(d.output_bytes for d in UsageDay.objects.all()) == truth_out
    assert UsageSession.objects.count() == sessions
    assert not UsageSession.objects.filter(session_time__lt=0).exists()
