"""Whatever households do in any order (book, move, cancel; refused or not), every
window's ``booked`` equals its open visits and never passes its capacity."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dropline.core import clock
from dropline.field import booking, queries
from dropline.field.errors import AppointmentError
from dropline.field.models import OPEN_APPOINTMENT_STATUSES, VisitWindow
from tests.support.examples import examples
from tests.support.notifications import Person, make_person
from tests.support.visits import household, local, window_at

pytestmark = pytest.mark.django_db

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["book", "reschedule", "cancel"]),
        st.integers(min_value=0, max_value=2),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=15,
)


@pytest.fixture
def town() -> Iterator[tuple[list[Person], list[int]]]:
    with override_settings(TIME_ZONE="America/Chicago"), clock.frozen(local(2026, 3, 2, 9)):
        people = [household("one", capacity=1)] + [
            make_person(username=name, area_code="north") for name in ("two", "three")
        ]
        windows = [window_at(people[0], local(2026, 3, 3, hour)).pk for hour in (8, 10, 12, 14)]
        VisitWindow.objects.filter(pk=windows[3]).update(capacity=2)
        yield people, windows


def _apply(people: list[Person], windows: list[int], op: str, who: int, which: int) -> None:
    person = people[who]
    visit = queries.upcoming_appointment(account=person.account)
    if op == "book":
        booking.book(
            account=person.account, person=person.user, window_id=windows[which], reason="repair"
        )
    elif visit is not None and op == "reschedule":
        booking.reschedule(
            account=person.account,
            person=person.user,
            appointment_id=visit.pk,
            window_id=windows[which],
        )
    elif visit is not None:
        booking.cancel(account=person.account, person=person.user, appointment_id=visit.pk)


@settings(max_examples=examples(30), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_booked_always_counts_the_open_visits(
    town: tuple[list[Person], list[int]], operations: list[tuple[str, int, int]]
) -> None:
    people, windows = town
    with transaction.atomic():
        refusals = []
        for op, who, which in operations:
            try:
                _apply(people, windows, op, who, which)
            except AppointmentError as refused:
                refusals.append(refused.code)
        assert set(refusals) <= {"full", "already_booked", "invalid"}
        counted = VisitWindow.objects.filter(pk__in=windows).annotate(
            open_visits=Count(
                "appointments", filter=Q(appointments__status__in=OPEN_APPOINTMENT_STATUSES)
            )
        )
        for window in counted:
            assert window.booked == window.open_visits
            assert window.booked <= window.capacity
        transaction.set_rollback(True)
