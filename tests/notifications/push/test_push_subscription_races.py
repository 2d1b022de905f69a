"""Several browsers turned on at the same moment (two tabs, a double click, a client
posting in a loop): the person's row is locked while a device is added, so the limit
of devices holds and one browser is one row. On PostgreSQL, with real threads."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from dropline.notifications import push_subscriptions as push
from dropline.notifications.models import PushSubscription
from tests.support.notifications import make_person
from tests.support.push import SWEEP_KEYS
from tests.support.services import need

FCM = "https://fcm.googleapis.com/fcm/send/race"
THREADS = 4


def _at_once(calls: list[Callable[[], str]]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], str]) -> None:
        try:
            connections["default"].ensure_connection()  # connected before the start line
            barrier.wait()
            outcomes.append(call())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return sorted(outcomes)


def _subscriber(user, endpoint: str) -> Callable[[], str]:
    def call() -> str:
        try:
            _, created = push.subscribe(
                user=user,
                browser=push.BrowserSubscription(endpoint=endpoint, **SWEEP_KEYS),
                user_agent="",
            )
        except push.TooManyDevicesError:
            return "too many"
        return "created" if created else "again"

    return call


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_free_place_goes_to_one_browser():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    person = make_person(username="racer")
    for n in range(push.MAX_DEVICES - 1):
        push.subscribe(
            user=person.user,
            browser=push.BrowserSubscription(endpoint=f"{FCM}-{n}", **SWEEP_KEYS),
            user_agent="",
        )
    outcomes = _at_once([_subscriber(person.user, f"{FCM}-new-{n}") for n in range(THREADS)])
    assert outcomes == ["created"] + ["too many"] * (THREADS - 1)
    assert PushSubscription.objects.filter(user=person.user).count() == push.MAX_DEVICES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_browser_posting_at_once_is_one_device():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    person = make_person(username="twotabs")
    outcomes = _at_once([_subscriber(person.user, f"{FCM}-same") for _ in range(THREADS)])
    assert outcomes == ["again"] * (THREADS - 1) + ["created"]
    assert PushSubscription.objects.filter(user=person.user).count() == 1
