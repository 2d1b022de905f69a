"""Racing requests on PostgreSQL (and the shared cache the settings name): a chunk number
is served to one request only, and many requests at once never take more chunks than
the budget holds; the result of a test is recorded once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from dropline.accounts.models import User
from dropline.network.speed_tests import budget as budgets
from dropline.network.speed_tests.recording import plan_speeds
from tests.support.services import need
from tests.support.speed_tests import household

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(works: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(works))
    results: list[object] = []

    def run(work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _budget() -> budgets.Budget:
    customer = household("racer")
    return budgets.grant(
        user=customer.user,
        account=customer.account,
        address="192.0.2.1",
        plan=plan_speeds(account=customer.account),
    )


def test_one_chunk_number_is_served_once_however_many_ask_at_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    budget = _budget()
    results = _at_once([lambda: budgets.take(budget, kind=budgets.DOWNLOAD, number=7, size=1)] * 8)
    assert results.count(None) == 1
    assert results.count(budgets.Refusal.TAKEN) == 7


def test_racing_requests_never_take_more_than_the_budget():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    budget = _budget()
    chunks = budget.pings
    works: list[Callable[[], object]] = [
        (lambda n=n: budgets.take(budget, kind=budgets.PING, number=n % (chunks + 4)))
        for n in range(3 * chunks)
    ]
    results = _at_once(works)
    assert results.count(None) == chunks


def test_a_result_is_settled_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    budget = _budget()
    user = User.objects.get(pk=budget.user_id)
    results = _at_once([lambda: budgets.settle(budget.token, user=user)] * 6)
    assert len([r for r in results if r is not None]) == 1
