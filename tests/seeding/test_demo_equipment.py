"""The demo's equipment is live: each device in service (phones aside) has a device id
and a simulated device, the gateway's restart last week is on record and finished, and
loading the demo again adds nothing."""

from __future__ import annotations

import pytest

from dropline.network import equipment_status
from dropline.network.models import (
    DeviceAction,
    DeviceActionKind,
    DeviceActionStatus,
    Equipment,
    SimulatedDevice,
)
from dropline.seeding.demo import equipment, household

pytestmark = pytest.mark.django_db


def test_every_device_in_service_is_live_and_the_gateway_restarted_last_week(demo):
    managed = Equipment.objects.filter(status="active").exclude(model__kind="phone")
    assert managed.exists()
    assert not managed.filter(device_id="").exists()
    assert SimulatedDevice.objects.count() == managed.count()
    account = household.loaded_account()
    assert account is not None
    views = equipment_status.equipment_states(account=account)
    assert {view.status for view in views} == {"online"}
    [restart] = DeviceAction.objects.filter(kind=DeviceActionKind.RESTART)
    assert restart.status == DeviceActionStatus.DONE
    assert restart.equipment.model.kind == "gateway"
    assert restart.finished_at is not None
    gateway = next(view for view in views if view.kind == "gateway")
    assert gateway.last_restart_at == restart.requested_at
    assert equipment.load() == 0
