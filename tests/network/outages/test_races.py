"""Two staff members resolving the same outage at once, and one person pressing "tell me
when it's fixed" twice at once: resolved once, everyone told once, one watch."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.core import clock
from dropline.network.models import Outage, OutageUpdate, OutageWatch
from dropline.network.outages import declaring, watching
from dropline.network.outages.errors import OutageError
from dropline.notifications.models import Message
from tests.support.notifications import area, make_person
from tests.support.outages import declare_outage
from tests.support.services import need

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


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

    with clock.frozen(NOW):
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
def test_two_staff_resolving_at_once_resolve_once_and_tell_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    ana = make_person(username="ana", area_code="north")
    with clock.frozen(NOW - dt.timedelta(hours=1)):
        outage = declare_outage(areas=[area("north")])
        watching.watch(account=ana.account, user=ana.user, outage_id=outage.pk)

    results, errors = _at_once(lambda: declaring.resolve(outage=outage, resolved_by=None))
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], OutageError)
    assert OutageUpdate.objects.filter(outage=outage, status="resolved").count() == 1
    assert Outage.objects.get(pk=outage.pk).resolved_at == NOW
    assert Message.objects.filter(event="outage.resolved", channel="email").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_watching_twice_at_once_is_one_watch():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    ana = make_person(username="ana", area_code="north")
    with clock.frozen(NOW - dt.timedelta(hours=1)):
        outage = declare_outage(areas=[area("north")])

    results, errors = _at_once(
        lambda: watching.watch(account=ana.account, user=ana.user, outage_id=outage.pk).pk
    )
    assert not errors
    assert len(set(results)) == 1
    assert OutageWatch.objects.count() == 1
