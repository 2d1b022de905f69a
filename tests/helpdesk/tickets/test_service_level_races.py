"""Two administrators set the same category's first service level at once, on
PostgreSQL: one row, both changes audited one after the other, the second's "before"
being what the first set."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from dropline.accounts import roles
from dropline.core.models import AuditEvent
from dropline.helpdesk.models import ServiceLevel
from dropline.helpdesk.tickets import sla
from dropline.helpdesk.tickets.service_levels import set_response_hours
from tests.support.services import need
from tests.support.staff import make_staff

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


def test_two_first_settings_of_one_category_make_one_row():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    first = make_staff(username="first", role=roles.ADMINISTRATOR)
    second = make_staff(username="second", role=roles.ADMINISTRATOR)

    def setting(hours: int, by: object) -> Callable[[], object]:
        return lambda: set_response_hours(category="tv", hours=hours, by=by)  # type: ignore[arg-type]

    _results, errors = _at_once(setting(6, first), setting(30, second))
    assert errors == []
    level = ServiceLevel.objects.get(category="tv")
    assert level.response_hours in {6, 30}
    events = list(AuditEvent.objects.filter(action="service_level.changed").order_by("id"))
    assert len(events) == 2
    assert events[0].data["before"] == sla.DEFAULT_RESPONSE_HOURS["tv"]
    assert events[1].data["before"] == events[0].data["after"]
    assert events[1].data["after"] == level.response_hours
