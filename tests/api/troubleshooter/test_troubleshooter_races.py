"""Two presses of "Restart it now" from the app at the same moment (a double tap, the app
and the web at once): the run's row is locked while the step is answered, so one answer
restarts the gateway and the other is told the step moved on (409), writing nothing. On
PostgreSQL, with real threads through the API."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from dropline.helpdesk.models import TroubleshootingRun
from dropline.helpdesk.troubleshooting import running
from dropline.network.models import DeviceAction
from tests.support.equipment import NOON, at, equipped_customer
from tests.support.services import need


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_restart_once_and_the_other_is_409():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with at(NOON):
        household = equipped_customer("racer", kinds=("gateway",))
        customer = household.customer
        run = running.start(account=customer.account, person=customer.user, problem="internet_down")
    presses = 4
    barrier = threading.Barrier(presses)
    statuses: list[int] = []
    errors: list[BaseException] = []
    apps = []
    for _ in range(presses):
        app = Client()
        app.force_login(customer.user)
        apps.append(app)

    def press(app: Client) -> None:
        try:
            barrier.wait()
            answer = app.post(
                f"/api/v1/troubleshooter/runs/{run.pk}/answers",
                {"step": "restart", "answer": "restart"},
                content_type="application/json",
            )
            statuses.append(answer.status_code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with at(NOON):
        threads = [threading.Thread(target=press, args=(app,)) for app in apps]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sorted(statuses) == [200] + [409] * (presses - 1)
    steps = TroubleshootingRun.objects.get(pk=run.pk).steps
    assert [(s["step"], s["answer"]) for s in steps] == [("restart", "restart")]
    assert DeviceAction.objects.filter(equipment=household.gateway).count() == 1
