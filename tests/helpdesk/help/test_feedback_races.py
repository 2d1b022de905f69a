"""Answers to "Was this helpful?" arriving at the same moment, on PostgreSQL with real
threads: every voter counted once, the same voter's two clicks counted once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.helpdesk.help.feedback import person_voter, vote
from dropline.helpdesk.models import ArticleFeedback
from tests.support.help import article, import_fixture_articles
from tests.support.services import need

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(works: list[Callable[[], Any]]) -> list[BaseException]:
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_voters_at_the_same_moment_are_each_counted_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    import_fixture_articles()
    slow = article("slow-internet").pk

    def voter(number: int, helpful: bool) -> Callable[[], Any]:
        return lambda: vote(article_id=slow, voter=person_voter(number), helpful=helpful)

    errors = _at_once([voter(n, n % 3 != 0) for n in range(6)] + [voter(1, True)] * 2)
    assert not errors, errors
    counted = article("slow-internet")
    assert (counted.helpful_count, counted.not_helpful_count) == (4, 2)
    assert ArticleFeedback.objects.filter(article_id=slow).count() == 6
