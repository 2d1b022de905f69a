"""A customer may restart a device a few times in any rolling hour (three by default),
counted from the restarts on record; staff are not held to it. On PostgreSQL, two
requests at the same moment cannot both take the last restart of the hour."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dropline.network import restarting
from dropline.network.errors import RestartLimitError
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus
from tests.support.equipment import NOON, at, equipped_customer, later
from tests.support.examples import examples
from tests.support.factories import make_user
from tests.support.services import need


def _restart_and_wait(household, moment: dt.datetime) -> DeviceAction:
    with at(moment):
        action = restarting.restart(equipment=household.gateway, user=household.customer.user)
    with at(moment + dt.timedelta(seconds=61)):
        restarting.restart_progress(action=action)
    return action


@pytest.mark.django_db
def test_the_fourth_restart_in_an_hour_is_refused_with_when_it_can_be_done():
    household = equipped_customer()
    for minutes in (0, 10, 20):
        _restart_and_wait(household, later(minutes * 60))
    with at(later(30 * 60)), pytest.raises(RestartLimitError) as refused:
        restarting.restart(equipment=household.gateway, user=household.customer.user)
    assert refused.value.retry_after == 30 * 60
    assert refused.value.message == (
        "This device can be restarted 3 times an hour. You can restart it again in 30 minutes."
    )
    assert DeviceAction.objects.filter(kind=DeviceActionKind.RESTART).count() == 3
    # An hour after the first, one is free again; the other device was never limited.
    _restart_and_wait(household, later(3600))
    with at(later(3600)):
        restarting.restart(equipment=household.receiver, user=household.customer.user)


@pytest.mark.django_db
@override_settings(DROPLINE_RESTARTS_PER_HOUR=1)
def test_staff_are_not_held_to_the_limit_and_their_restarts_count_for_the_customer():
    household = equipped_customer()
    agent = make_user(username="agent", is_staff=True)
    with at(NOON):
        first = restarting.restart(equipment=household.gateway, user=agent, by_staff=True)
    with at(later(61)):
        restarting.restart_progress(action=first)
    with at(later(120)):
        second = restarting.restart(equipment=household.gateway, user=agent, by_staff=True)
    assert second.pk != first.pk
    with at(later(300)), pytest.raises(RestartLimitError):
        restarting.restart(equipment=household.gateway, user=household.customer.user)


class RollingHourTest(TestCase):
    """Whatever the times asked, no rolling hour holds more restarts than the limit, and
    a refusal comes only when the hour before already holds them all."""

    @settings(max_examples=examples(15))
    @given(st.lists(st.integers(min_value=0, max_value=3 * 3600), min_size=1, max_size=9))
    def test_never_more_than_the_limit_in_any_hour(self, offsets):
        household = equipped_customer(f"h{DeviceAction.objects.count()}x{len(offsets)}")
        accepted: list[dt.datetime] = []
        for offset in sorted(set(offsets)):
            moment = later(offset)
            # Each restart ends before the next request (the device is back).
            DeviceAction.objects.filter(
                status__in=[DeviceActionStatus.RUNNING, DeviceActionStatus.QUEUED]
            ).update(status=DeviceActionStatus.DONE, finished_at=moment)
            in_hour = [a for a in accepted if moment - a < dt.timedelta(hours=1)]
            if len(in_hour) == 3:
                wait = min(in_hour) + dt.timedelta(hours=1) - moment
                with at(moment), pytest.raises(RestartLimitError) as refused:
                    restarting.restart(equipment=household.gateway, user=household.customer.user)
                assert refused.value.retry_after == int(wait.total_seconds())
            else:
                with at(moment):
                    restarting.restart(equipment=household.gateway, user=household.customer.user)
                accepted.append(moment)
        assert DeviceAction.objects.filter(equipment=household.gateway).count() == len(accepted)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_cannot_both_take_the_last_restart_of_the_hour():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    household = equipped_customer()
    for minutes in (0, 10):
        _restart_and_wait(household, later(minutes * 60))
    threads_count = 4
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            try:
                action = restarting.restart(
                    equipment=household.gateway, user=household.customer.user
                )
                outcomes.append(f"restart {action.pk}")
            except RestartLimitError:
                outcomes.append("refused")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with at(later(20 * 60)):
        threads = [threading.Thread(target=run) for _ in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert DeviceAction.objects.filter(kind=DeviceActionKind.RESTART).count() == 3
    # One thread restarted; the others found it running (and were given it) or refused.
    restarts = {o for o in outcomes if o.startswith("restart")}
    assert len(restarts) == 1
