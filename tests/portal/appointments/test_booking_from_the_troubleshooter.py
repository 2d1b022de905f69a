"""A visit booked from the guided troubleshooter's last step is noted on its run; another
account's run is never touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from dropline.core import clock
from dropline.field.models import Appointment
from dropline.helpdesk.models import TroubleshootingRun
from tests.support.dispatch import weekly_windows, window_on
from tests.support.factories import Customer, make_customer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def _run(customer: Customer) -> TroubleshootingRun:
    return TroubleshootingRun.objects.create(
        account=customer.account, person=customer.user, problem="internet_down", started_at=NOW
    )


def test_the_run_links_the_visit_booked_from_it(client) -> None:
    ann = make_customer(username="ann")
    area = ann.account.service_address.service_area
    weekly_windows(area, today=clock.today())
    run = _run(ann)
    client.force_login(ann.user)
    response = client.post(
        "/appointments/book/",
        {
            "reason": "repair",
            "window_id": window_on(area, dt.date(2026, 3, 12), 8).pk,
            "run": run.pk,
        },
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.appointment == Appointment.objects.get(account=ann.account)
    assert run.outcome == "visit"


def test_another_accounts_run_is_left_alone(client) -> None:
    ann = make_customer(username="ann")
    ned = make_customer(username="ned")
    area = ann.account.service_address.service_area
    weekly_windows(area, today=clock.today())
    theirs = _run(ned)
    client.force_login(ann.user)
    response = client.post(
        "/appointments/book/",
        {
            "reason": "repair",
            "window_id": window_on(area, dt.date(2026, 3, 12), 8).pk,
            "run": theirs.pk,
        },
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.appointment, theirs.outcome) == (None, "")
