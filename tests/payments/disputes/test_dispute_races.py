"""Two requests at once on PostgreSQL: two disputes of one line make one (the other is
refused and leaves no file), and two staff crediting one dispute post one credit."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.core import clock
from dropline.ledger.checks import run_checks
from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.payments.disputes.models import Dispute, DisputeAttachment
from dropline.payments.disputes.resolving import resolve_with_credit
from dropline.payments.errors import PaymentError
from tests.support.billing import at
from tests.support.disputes import TODAY, a_pdf, dispute_of, files_under, household
from tests.support.services import need


def _at_once(work: Callable[[], Any], count: int = 2) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
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

    with clock.frozen(at(TODAY)):
        threads = [threading.Thread(target=run) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_disputes_of_one_line_at_once_make_one(uploads):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    found = household()
    results, errors = _at_once(lambda: dispute_of(found, files=[a_pdf()]), count=4)
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(e, PaymentError) and e.code == "not_disputable" for e in errors)
    assert Dispute.objects.count() == 1
    assert DisputeAttachment.objects.count() == 1
    assert len(files_under(uploads)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_credits_of_one_dispute_at_once_post_one(uploads):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    found = household()
    with clock.frozen(at(TODAY)):
        dispute = dispute_of(found, amount_cents=1500)

    def credit() -> Dispute:
        return resolve_with_credit(
            dispute=Dispute.objects.get(pk=dispute.pk), amount_cents=1500, note="ok", actor=None
        )

    results, errors = _at_once(credit)
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], PaymentError)
    assert errors[0].code == "closed"
    assert JournalTransaction.objects.filter(kind=TransactionKind.DISPUTE_CREDIT).count() == 1
    assert [found for _name, found in run_checks() if found] == []
