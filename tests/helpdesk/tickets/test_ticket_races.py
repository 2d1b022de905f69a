"""Two staff at once on PostgreSQL: merging two tickets into each other merges one (never
both, which would leave neither readable as the target), and two replies with files
taking a ticket's last places keep one reply and its files, no more."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketAttachment, TicketStatus
from dropline.helpdesk.tickets.desk import merge
from dropline.helpdesk.tickets.files import MAX_FILES_PER_MESSAGE, MAX_FILES_PER_TICKET
from dropline.helpdesk.tickets.replying import staff_reply
from tests.support.disputes import a_pdf, files_under
from tests.support.factories import make_user
from tests.support.services import need
from tests.support.tickets import a_ticket, customer


def _at_once(works: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(works))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_merging_two_tickets_into_each_other_at_once_merges_one():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    who = customer()
    # Roles are rows a transactional test flushes: the writes need only a staff member.
    staff = make_user(username="agent", is_staff=True)
    first = a_ticket(who, subject="First")
    second = a_ticket(who, subject="Second")
    results, errors = _at_once(
        [
            lambda: merge(ticket_id=first.pk, into_ticket_id=second.pk, by=staff),
            lambda: merge(ticket_id=second.pk, into_ticket_id=first.pk, by=staff),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], SupportError)
    statuses = sorted(Ticket.objects.values_list("status", flat=True))
    assert statuses == sorted([TicketStatus.MERGED, TicketStatus.OPEN])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_replies_taking_the_last_file_places_keep_one(settings, tmp_path):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    root = tmp_path / "uploads"
    settings.DROPLINE_UPLOAD_ROOT = str(root)
    who = customer()
    # Roles are rows a transactional test flushes: the writes need only a staff member.
    staff = make_user(username="agent", is_staff=True)
    ticket = a_ticket(who, files=[a_pdf(f"{n}.pdf") for n in range(MAX_FILES_PER_MESSAGE)])
    last = MAX_FILES_PER_TICKET - MAX_FILES_PER_MESSAGE

    def reply() -> Any:
        return staff_reply(
            ticket_id=ticket.pk,
            by=staff,
            body="Photos",
            files=[a_pdf(f"s{n}.pdf") for n in range(last)],
        )

    results, errors = _at_once([reply, reply])
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], SupportError)
    assert errors[0].code == "too_many_files"
    assert TicketAttachment.objects.count() == MAX_FILES_PER_TICKET
    assert len(files_under(root)) == MAX_FILES_PER_TICKET
