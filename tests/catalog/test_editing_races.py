"""Two administrators at once, on PostgreSQL: the same new code is taken once (the other
is told, naming the field), and two edits of one plan are audited one after the other,
each one's "before" being what the other left."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from dropline.catalog.editing.plans import change_plan, create_plan
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import Plan
from dropline.core.models import AuditEvent
from tests.support.catalog import make_catalog
from tests.support.services import need

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(*works: Callable[[], object]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(works))
    results: list[object] = []
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_one_new_code_two_administrators_one_plan():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")

    def create(name: str) -> Callable[[], object]:
        return lambda: create_plan(code="tv-max", kind="tv", name=name, monthly_price_cents=9900)

    results, errors = _at_once(create("TV Max"), create("TV Maximum"))
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], CatalogError)
    assert errors[0].field == "code"
    assert Plan.objects.filter(code="tv-max").count() == 1
    assert AuditEvent.objects.filter(action="catalog.plan_created").count() == 1


def test_two_edits_of_one_plan_are_audited_one_after_the_other():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    plan = make_catalog().tv

    def rename(name: str) -> Callable[[], object]:
        return lambda: change_plan(
            plan=plan,
            name=name,
            name_es="",
            description="",
            download_mbps=None,
            upload_mbps=None,
            data_allowance_gb=None,
            price_per_gb=None,
            is_active=True,
            sort_order=0,
        )

    _results, errors = _at_once(rename("TV One"), rename("TV Two"))
    assert errors == []
    first, second = AuditEvent.objects.filter(action="catalog.plan_changed").order_by("id")
    assert first.data["changes"]["name"]["before"] == "TV Essentials"
    assert second.data["changes"]["name"]["before"] == first.data["changes"]["name"]["after"]
    assert Plan.objects.get(pk=plan.pk).name == second.data["changes"]["name"]["after"]
