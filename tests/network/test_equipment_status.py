"""Each device's status from what device management says: online, offline, restarting,
and unknown only for a device it does not manage or while it cannot be reached, never
an error. One call to device management for all the devices of an account."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dropline.network import equipment_status, restarting
from dropline.network.devices import simulator
from dropline.network.devices.base import DeviceManagerUnavailableError
from dropline.network.models import Equipment
from tests.support.equipment import NOON, at, equipped_customer, managed_device

pytestmark = pytest.mark.django_db


class Unreachable:
    def devices(self, device_ids):
        raise DeviceManagerUnavailableError("connection refused")

    def device(self, device_id):
        raise DeviceManagerUnavailableError("connection refused")


class Counting(simulator.SimulatorDeviceManager):
    calls: list[list[str]] = []

    def devices(self, device_ids):
        Counting.calls.append(list(device_ids))
        return super().devices(device_ids)


def test_online_and_offline_come_from_device_management():
    with at(NOON):
        household = equipped_customer(kinds=("gateway", "router", "receiver"))
        simulator.set_connected(device_id=household.devices["router"].device_id, connected=False)
        views = equipment_status.equipment_states(account=household.customer.account)
    assert {v.kind: v.status for v in views} == {
        "gateway": "online",
        "router": "offline",
        "receiver": "online",
    }
    assert [v.status_label for v in views if v.kind == "router"] == ["Offline"]


def test_the_details_a_gateway_reports():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        [view] = equipment_status.equipment_states(account=household.customer.account)
    assert view.state is not None
    assert view.state.firmware
    assert view.state.last_contact is not None
    assert view.state.uptime_seconds
    assert view.state.uptime_seconds > 86400
    assert [level.name for level in view.signal] == [
        "downstream_power_dbmv",
        "downstream_snr_db",
        "upstream_power_dbmv",
    ]
    assert all(level.in_range for level in view.signal)
    assert {n.band for n in view.state.wifi} == {"2.4 GHz", "5 GHz"}
    assert view.has_wifi
    assert view.restartable
    assert view.state.hosts


def test_a_level_out_of_range_is_flagged():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        simulator.set_signal(
            device_id=household.gateway.device_id,
            downstream_power_dbmv=Decimal("-17.5"),
            downstream_snr_db=Decimal("29.1"),
            upstream_power_dbmv=Decimal("53"),
        )
        [view] = equipment_status.equipment_states(account=household.customer.account)
    assert [level.problem for level in view.signal] == [
        "downstream_power_low",
        "snr_low",
        "upstream_power_high",
    ]


def test_a_device_without_a_device_id_or_unknown_to_device_management_is_unknown():
    with at(NOON):
        household = equipped_customer(kinds=("gateway",))
        managed_device(household.customer, "modem", managed=False)
        ghost = managed_device(household.customer, "receiver", managed=False)
        Equipment.objects.filter(pk=ghost.pk).update(device_id="00D09E-TV4-NOSUCH")
        views = equipment_status.equipment_states(account=household.customer.account)
    assert sorted((v.kind, v.status) for v in views) == [
        ("gateway", "online"),
        ("modem", "unknown"),
        ("receiver", "unknown"),
    ]
    assert all(v.state is None for v in views if v.status == "unknown")


def test_device_management_unreachable_makes_every_device_unknown_not_an_error(monkeypatch):
    monkeypatch.setattr(equipment_status, "get_device_manager", lambda: Unreachable())
    with at(NOON):
        household = equipped_customer()
        views = equipment_status.equipment_states(account=household.customer.account)
    assert [v.status for v in views] == ["unknown", "unknown"]


def test_one_call_to_device_management_for_all_the_devices(monkeypatch):
    Counting.calls = []
    monkeypatch.setattr(equipment_status, "get_device_manager", lambda: Counting())
    with at(NOON):
        household = equipped_customer(kinds=("gateway", "router", "receiver", "modem"))
        equipment_status.equipment_states(account=household.customer.account)
    assert len(Counting.calls) == 1
    assert len(Counting.calls[0]) == 4


def test_another_accounts_device_is_not_there():
    with at(NOON):
        maria = equipped_customer("maria")
        other = equipped_customer("other")
        with pytest.raises(Equipment.DoesNotExist):
            equipment_status.equipment_view(
                account=maria.customer.account, equipment_id=other.gateway.pk
            )
        view = equipment_status.equipment_view(
            account=maria.customer.account, equipment_id=maria.gateway.pk
        )
    assert view.status == "online"


def test_recent_restarts_count_those_asked_since_a_moment():
    with at(NOON):
        household = equipped_customer()
        restarting.restart(equipment=household.gateway, user=household.customer.user)
        restarting.restart(equipment=household.receiver, user=household.customer.user)
    ids = [household.gateway.pk, household.receiver.pk]
    assert equipment_status.recent_restarts(equipment_ids=ids, since=NOON) == 2
    assert equipment_status.recent_restarts(equipment_ids=[household.gateway.pk], since=NOON) == 1
