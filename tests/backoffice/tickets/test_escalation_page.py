"""Escalating a ticket to a technician visit from its page: the open windows of the
account's area are offered, the visit is booked in the chosen one and linked, the customer
is told; a window that filled meanwhile is refused with the windows open now; who may."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.field.models import Appointment, VisitWindow
from dropline.helpdesk.models import Ticket, TicketStatus
from dropline.helpdesk.tickets.desk import escalate_to_visit
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.notifications.models import Message
from tests.support.notifications import Person
from tests.support.staff import make_staff
from tests.support.visits import household, local, window_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chicago")]


@pytest.fixture
def chicago():
    with override_settings(TIME_ZONE="America/Chicago"):
        yield


@pytest.fixture
def monday():
    with clock.frozen(local(2026, 3, 2, 9)):
        yield


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def ticket_of(person: Person) -> Ticket:
    return open_ticket(
        account=person.account,
        person=person.user,
        category="internet",
        subject="Internet keeps dropping",
        description="Every evening since last week.",
    )


def _escalate(client, ticket: Ticket, window: VisitWindow, reason: str = "repair"):
    return client.post(
        reverse("backoffice:ticket_escalate", args=[ticket.pk]),
        {"reason": reason, "window": window.pk},
        follow=True,
    )


def test_the_visit_is_booked_in_the_chosen_window_and_linked(client, monday):
    person = household()
    ticket = ticket_of(person)
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    page = words(client.get(reverse("backoffice:ticket", args=[ticket.pk])))
    assert "Escalate to a technician visit" in page
    assert "Tuesday, March 3, between 10 a.m. and noon (2 places left)" in page
    window = window_at(person, local(2026, 3, 3, 10))
    response = _escalate(client, ticket, window, reason="equipment_swap")
    assert "A technician visit is booked for this ticket; the customer is told." in words(response)
    ticket.refresh_from_db()
    visit = Appointment.objects.get(account=person.account)
    assert ticket.appointment == visit
    assert visit.window == window
    assert visit.reason == "equipment_swap"
    assert ticket.status == TicketStatus.ANSWERED
    assert Message.objects.filter(account=person.account, event="ticket_visit").exists()
    after = words(response)
    assert visit.number in after
    assert "Book the visit" not in after  # one visit per ticket


def test_a_window_that_filled_meanwhile_is_refused_with_the_windows_open_now(client, monday):
    person = household(capacity=1)
    neighbor = household("neighbor")
    staff = make_staff(username="agent", role=roles.CUSTOMER_CARE)
    client.force_login(staff)
    ticket = ticket_of(person)
    window = window_at(person, local(2026, 3, 3, 10))
    escalate_to_visit(
        ticket_id=ticket_of(neighbor).pk, window_id=window.pk, reason="repair", by=staff
    )
    response = _escalate(client, ticket, window)
    assert response.status_code == 400
    text = words(response)
    assert "No visit was booked." in text
    assert "Tuesday, March 3, between 10 a.m. and noon" not in text  # no longer offered
    assert "Tuesday, March 3, between noon and 2 p.m." in text
    ticket.refresh_from_db()
    assert ticket.appointment is None
    assert ticket.status == TicketStatus.OPEN
    assert not Appointment.objects.filter(account=person.account).exists()


def test_who_may_escalate(client, monday):
    person = household()
    ticket = ticket_of(person)
    window = window_at(person, local(2026, 3, 3, 10))
    # Billing answers tickets but does not book visits; Field dispatch books visits but
    # does not change tickets.
    for username, role in (("billy", roles.BILLING), ("dispatch", roles.FIELD_DISPATCH)):
        client.force_login(make_staff(username=username, role=role))
        page = words(client.get(reverse("backoffice:ticket", args=[ticket.pk])))
        assert "Escalate to a technician visit" not in page
        assert _escalate(client, ticket, window).status_code == 403
    assert not Appointment.objects.exists()


def test_an_account_with_a_visit_is_not_offered_another(client, monday):
    person = household()
    staff = make_staff(username="agent", role=roles.CUSTOMER_CARE)
    client.force_login(staff)
    first = ticket_of(person)
    visit = escalate_to_visit(
        ticket_id=first.pk,
        window_id=window_at(person, local(2026, 3, 3, 10)).pk,
        reason="repair",
        by=staff,
    )
    second = ticket_of(person)
    page = words(client.get(reverse("backoffice:ticket", args=[second.pk])))
    assert f"This account already has visit {visit.number} booked" in page
    assert "Book the visit" not in page
    assert dt.timedelta(0) <= visit.window.starts_at - clock.now()
