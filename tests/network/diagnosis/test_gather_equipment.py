"""The connection check against the device simulator, as the product runs it: devices
online and offline, a weak signal, a restart running and restarts that did not help,
and device management out of reach; each through the real writes and the real clock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dropline.network import restarting
from dropline.network.devices import simulator
from dropline.network.diagnosis.checking import check_connection
from dropline.network.diagnosis.diagnose import NextStep, Verdict, VisitReason
from dropline.network.diagnosis.facts import DeviceStatus
from dropline.network.diagnosis.gather import gather
from tests.support.equipment import NOON, at, equipped_customer, later
from tests.support.outages import declare_outage

pytestmark = pytest.mark.django_db


def answer_for(household):
    return check_connection(account=household.customer.account, language="en")


def test_everything_online_is_fine():
    with at(NOON):
        household = equipped_customer(kinds=("gateway", "receiver"))
        facts = gather(account=household.customer.account)
        result = answer_for(household)
    assert facts.device_management_available
    assert {(d.kind, d.status) for d in facts.devices} == {
        ("gateway", DeviceStatus.ONLINE),
        ("receiver", DeviceStatus.ONLINE),
    }
    assert result.answer.verdict == Verdict.ALL_FINE


def test_an_unplugged_gateway_says_check_its_power_and_cable():
    with at(NOON):
        household = equipped_customer(kinds=("gateway", "receiver"))
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        result = answer_for(household)
    assert (result.answer.verdict, result.answer.next_step) == (
        Verdict.MODEM_OFFLINE,
        NextStep.CHECK_CABLES,
    )
    assert result.answer.equipment_id == household.gateway.pk
    assert result.words.headline == "Your gateway is offline"


def test_a_router_unplugged_behind_an_online_modem_is_the_cable_between_them():
    with at(NOON):
        household = equipped_customer(kinds=("modem", "router"))
        simulator.set_connected(device_id=household.devices["router"].device_id, connected=False)
        result = answer_for(household)
    assert result.answer.verdict == Verdict.ROUTER_OFFLINE
    assert "cable between the modem and the router" in result.words.detail


def test_a_weak_signal_says_check_the_cable_from_the_wall():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        simulator.set_signal(
            device_id=household.gateway.device_id,
            downstream_power_dbmv=Decimal("-18.5"),
            downstream_snr_db=Decimal("38"),
            upstream_power_dbmv=Decimal("44"),
        )
        facts = gather(account=household.customer.account)
        result = answer_for(household)
    (gateway,) = facts.devices
    assert gateway.signal_problems == ("downstream_power_low",)
    assert (result.answer.verdict, result.answer.next_step) == (
        Verdict.SIGNAL_OUT_OF_RANGE,
        NextStep.CHECK_CABLES,
    )
    assert "the signal coming in is too weak" in result.words.detail


def test_a_restart_running_says_wait_then_restarts_that_did_not_help_book_a_visit():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        user = household.customer.user
        action = restarting.restart(equipment=household.gateway, user=user)
    with at(later(10)):
        result = answer_for(household)
    assert (result.answer.verdict, result.answer.next_step) == (Verdict.RESTARTING, NextStep.WAIT)
    assert result.answer.eta == action.expected_at
    assert result.answer.next_step != NextStep.RESTART
    with at(later(600)):
        assert answer_for(household).answer.verdict == Verdict.ALL_FINE
        restarting.restart(equipment=household.gateway, user=user)
    with at(later(1200)):
        result = answer_for(household)
    assert (result.answer.verdict, result.answer.reason) == (
        Verdict.RESTARTS_NOT_HELPING,
        VisitReason.RESTARTS_NOT_HELPING,
    )
    assert result.words.reason == "Trouble continues after several restarts in a day"


def test_restarted_and_still_offline_books_a_visit():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        restarting.restart(equipment=household.gateway, user=household.customer.user)
    with at(later(300)):
        answer_for(household)  # back online: the restart is done
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        result = answer_for(household)
    assert (result.answer.next_step, result.answer.reason) == (
        NextStep.BOOK_VISIT,
        VisitReason.OFFLINE_AFTER_RESTART,
    )


def test_an_outage_outranks_an_offline_gateway():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        declare_outage(areas=[household.customer.account.service_address.service_area])
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        result = answer_for(household)
    assert (result.answer.verdict, result.answer.next_step) == (Verdict.OUTAGE, NextStep.WAIT)


def test_device_management_out_of_reach_says_so_and_never_fails(settings):
    # The real GenieACS client, pointed at a server that is not there.
    pytest.importorskip("dropline.network.devices.genieacs")
    settings.DROPLINE_DEVICE_MANAGER = "genieacs"
    settings.GENIEACS_NBI_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.GENIEACS_TIMEOUT_SECONDS = 1
    with at(NOON):
        household = equipped_customer(kinds=("gateway", "receiver"))
        facts = gather(account=household.customer.account)
        result = answer_for(household)
    assert not facts.device_management_available
    assert {d.status for d in facts.devices} == {DeviceStatus.UNKNOWN}
    assert (result.answer.verdict, result.answer.next_step) == (
        Verdict.EQUIPMENT_UNREACHABLE,
        NextStep.CHECK_CABLES,
    )
    assert result.words.headline == "We can't see your equipment right now"


def test_a_slow_speed_test_offers_to_restart_the_gateway():
    from tests.support.speed_tests import a_test

    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
    with at(later(-3600)):
        a_test(household.customer, download_kbps=20_000)
    with at(NOON):
        result = answer_for(household)
    assert (result.answer.verdict, result.answer.next_step) == (
        Verdict.SLOW_SPEED,
        NextStep.RESTART,
    )
    assert result.answer.equipment_id == household.gateway.pk
