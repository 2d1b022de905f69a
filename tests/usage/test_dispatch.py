"""The alert check is queued once per transaction, for every service it touched, and
never for a transaction that rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction

from dropline.usage import dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    calls: list[list[int]] = []
    monkeypatch.setattr(dispatch, "check_alerts_later", lambda ids: calls.append(sorted(ids)))
    return calls


def test_one_check_for_every_service_a_transaction_touched(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dispatch.check_alerts_after_commit([3, 1])
        dispatch.check_alerts_after_commit([2, 3])
        assert queued == []
    assert len(callbacks) == 1
    assert queued == [[1, 2, 3]]


def test_a_rolled_back_transaction_queues_nothing_and_the_next_one_still_does(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                dispatch.check_alerts_after_commit([7])
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        dispatch.check_alerts_after_commit([8])
    assert queued == [[8]]
