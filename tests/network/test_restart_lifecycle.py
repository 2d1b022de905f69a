"""A restart through its life, across simulated time: asked, running while the device is
away, done once it is back with a new boot; queued for an offline device; failed when
the device refuses it. What the customer sees of the status along the way."""

from __future__ import annotations

import pytest

from dropline.core.models import AuditEvent
from dropline.network import equipment_status, restarting
from dropline.network.devices import simulator
from dropline.network.errors import DeviceActionError
from dropline.network.models import DeviceAction, DeviceActionStatus
from tests.support.equipment import NOON, at, equipped_customer, later, managed_device
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


def statuses(household) -> dict[str, str]:
    views = equipment_status.equipment_states(account=household.customer.account)
    return {view.kind: view.status for view in views}


def test_a_restart_runs_while_the_device_is_away_and_finishes_when_it_is_back():
    with at(NOON):
        household = equipped_customer()
        assert statuses(household) == {"gateway": "online", "receiver": "online"}
        action = restarting.restart(equipment=household.gateway, user=household.customer.user)
        assert action.status == DeviceActionStatus.RUNNING
        assert action.requested_at == NOON
        assert action.expected_at == later(120)
        assert statuses(household) == {"gateway": "restarting", "receiver": "online"}
    with at(later(30)):
        assert restarting.restart_progress(action=action).status == DeviceActionStatus.RUNNING
        [gateway] = [
            v
            for v in equipment_status.equipment_states(account=household.customer.account)
            if v.kind == "gateway"
        ]
        assert gateway.status == "restarting"
        assert gateway.restart is not None
        assert gateway.restart.pk == action.pk
    with at(later(61)):
        done = restarting.restart_progress(action=action)
        assert done.status == DeviceActionStatus.DONE
        assert done.finished_at == later(61)
        views = equipment_status.equipment_states(account=household.customer.account)
        gateway = next(v for v in views if v.kind == "gateway")
        assert gateway.status == "online"
        assert gateway.restart is None
        assert gateway.booted_at == later(60)
        assert gateway.last_restart_at == NOON
        assert gateway.state is not None
        assert gateway.state.uptime_seconds == 1


def test_the_status_page_finishes_a_restart_by_itself_once_the_device_is_back():
    with at(NOON):
        household = equipped_customer()
        action = restarting.restart(equipment=household.gateway, user=household.customer.user)
    with at(later(300)):
        assert statuses(household)["gateway"] == "online"
    action.refresh_from_db()
    assert action.status == DeviceActionStatus.DONE


def test_asking_again_while_it_restarts_asks_nothing_more():
    with at(NOON):
        household = equipped_customer()
        first = restarting.restart(equipment=household.gateway, user=household.customer.user)
    with at(later(20)):
        again = restarting.restart(equipment=household.gateway, user=household.customer.user)
    assert again.pk == first.pk
    assert DeviceAction.objects.count() == 1
    device = simulator.look_up([household.gateway.device_id])[0]
    assert device.pending_tasks == []


def test_an_offline_device_gets_its_restart_when_it_is_back():
    with at(NOON):
        household = equipped_customer()
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        assert statuses(household)["gateway"] == "offline"
        action = restarting.restart(equipment=household.gateway, user=household.customer.user)
        assert action.status == DeviceActionStatus.QUEUED
        assert action.expected_at is None
        assert "offline" in restarting.describe(action)
        assert "as soon as it connects" in restarting.describe(action)
    with at(later(600)):
        assert restarting.restart_progress(action=action).status == DeviceActionStatus.QUEUED
        # Plugged back in: it boots, contacts the server, takes the restart and goes away.
        simulator.set_connected(device_id=household.gateway.device_id, connected=True)
        assert restarting.restart_progress(action=action).status == DeviceActionStatus.QUEUED
    with at(later(661)):
        assert restarting.restart_progress(action=action).status == DeviceActionStatus.DONE


def test_a_device_that_refuses_the_restart_fails_it_with_the_fault():
    with at(NOON):
        household = equipped_customer()
        simulator.set_fault(device_id=household.gateway.device_id, fault="9002 Internal error")
        action = restarting.restart(equipment=household.gateway, user=household.customer.user)
    assert action.status == DeviceActionStatus.FAILED
    assert action.fault == "9002 Internal error"
    assert "did not accept" in restarting.describe(action)
    # A failed restart does not count towards the hour, nor show as restarting.
    with at(later(5)):
        assert statuses(household)["gateway"] == "online"


def test_a_device_that_stays_up_long_after_the_restart_failed_it():
    with at(NOON):
        household = equipped_customer()
        action = restarting.restart(equipment=household.gateway, user=household.customer.user)
    # As if the reboot never happened: the row says running (asked after the device's
    # boot at NOON + 60 s), and the device stays up.
    DeviceAction.objects.filter(pk=action.pk).update(
        requested_at=later(100), expected_at=later(220)
    )
    action.refresh_from_db()
    with at(later(220 + 15 * 60 + 1)):
        assert restarting.restart_progress(action=action).status == DeviceActionStatus.FAILED
    assert "did not restart" in restarting.describe(action)


def test_what_a_restart_does_is_said_by_kind():
    assert restarting.restart_effect("gateway") == (
        "Your internet will be off for about 2 minutes."
    )
    assert restarting.restart_effect("modem") == "Your internet will be off for about 2 minutes."
    assert restarting.restart_effect("receiver") == (
        "TV on this receiver will be off for about 2 minutes."
    )
    assert "Wi-Fi" in restarting.restart_effect("router")


def test_a_phone_or_a_device_without_a_device_id_cannot_be_restarted():
    with at(NOON):
        household = equipped_customer(kinds=("gateway", "phone"))
        unmanaged = managed_device(household.customer, "modem", managed=False)
        for device in (household.devices["phone"], unmanaged):
            with pytest.raises(DeviceActionError) as refused:
                restarting.restart(equipment=device, user=household.customer.user)
            assert refused.value.code == "not_restartable"
    assert DeviceAction.objects.count() == 0


def test_a_staff_restart_is_audited_with_who_and_the_account():
    with at(NOON):
        household = equipped_customer()
        agent = make_user(username="agent", is_staff=True)
        action = restarting.restart(equipment=household.gateway, user=agent, by_staff=True)
    assert action.by_staff
    event = AuditEvent.objects.get(action="equipment.restarted")
    assert event.actor == agent
    assert event.account_number == household.customer.account.number
    assert event.target_id == str(household.gateway.pk)
    assert event.data["device_action"] == action.pk
    # A customer's own restart is not a staff action: nothing audited.
    with at(later(3600)):
        restarting.restart(equipment=household.receiver, user=household.customer.user)
    assert AuditEvent.objects.filter(action="equipment.restarted").count() == 1
