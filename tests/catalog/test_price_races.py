"""Two staff members scheduling the same plan's price for the same day at once, and two
processes applying one price change at once: one price, each service changed once,
each person told once."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.catalog.errors import PriceScheduleError
from dropline.catalog.models import ApplyStatus, ScheduledPrice
from dropline.core import clock
from dropline.notifications.models import Message
from dropline.subscriptions.models import SubscriptionPrice
from dropline.subscriptions.repricing import EVENT, run_apply, schedule
from tests.support.prices import NEW_CENTS, NOW, RISE_ON, catalog_with_subscribers
from tests.support.services import need


def _at_once(work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(2)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    with clock.frozen(NOW):  # one clock for both threads
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    # Celery's eager mode keeps a process-wide flag that two threads can leave set.
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_prices_for_the_same_day_at_once_make_one():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    catalog, _ = catalog_with_subscribers(1)

    def schedule_it() -> ScheduledPrice:
        return schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Rise",
        )

    results, errors = _at_once(schedule_it)
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], PriceScheduleError)
    assert errors[0].field == "effective_on"
    assert ScheduledPrice.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_applying_at_once_change_each_service_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    catalog, subscribers = catalog_with_subscribers(9)
    with clock.frozen(NOW):
        scheduled = schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Rise",
            applies_to_subscribers=True,
            chunk_size=2,
            queue=False,
        )

    results, errors = _at_once(lambda: run_apply(schedule=ScheduledPrice.objects.get()))
    assert errors == []
    assert len(results) == 2
    scheduled.refresh_from_db()
    assert scheduled.apply_status == ApplyStatus.DONE
    assert scheduled.chunks_done == scheduled.chunks_total == 5
    assert scheduled.services_changed == 9
    on_the_day = SubscriptionPrice.objects.filter(effective_on=RISE_ON)
    assert sorted(on_the_day.values_list("subscription_id", flat=True)) == sorted(
        s.internet.pk for s in subscribers
    )
    in_app = Message.objects.filter(event=EVENT, channel="in_app")
    assert in_app.count() == 9
    assert sorted(in_app.values_list("user_id", flat=True)) == sorted(
        s.holder.pk for s in subscribers
    )
