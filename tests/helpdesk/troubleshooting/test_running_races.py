"""Two presses of the same button at the same moment (a double click, two tabs): the run's
row is locked while a step is answered, so one answer is recorded and restarts the
gateway, and the other finds the step moved on and writes nothing. On PostgreSQL, with
real threads."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TroubleshootingRun
from dropline.helpdesk.troubleshooting import running
from dropline.network.models import DeviceAction
from tests.support.equipment import NOON, at, equipped_customer
from tests.support.services import need


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_restart_presses_at_once_record_one_answer_and_restart_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with at(NOON):
        household = equipped_customer("racer", kinds=("gateway",))
        customer = household.customer
        run = running.start(account=customer.account, person=customer.user, problem="internet_down")
    threads_count = 4
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def press() -> None:
        try:
            barrier.wait()
            try:
                running.answer(
                    account=customer.account,
                    person=customer.user,
                    run_id=run.pk,
                    step="restart",
                    answer="restart",
                )
                outcomes.append("answered")
            except SupportError as exc:
                outcomes.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with at(NOON):
        threads = [threading.Thread(target=press) for _ in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["answered"] + ["moved_on"] * (threads_count - 1)
    steps = TroubleshootingRun.objects.get(pk=run.pk).steps
    assert [(s["step"], s["answer"]) for s in steps] == [("restart", "restart")]
    assert DeviceAction.objects.filter(equipment=household.gateway).count() == 1
