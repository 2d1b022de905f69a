"""Changing a Wi-Fi network's name and password through device management: at once when
the device is online, on its next contact when it is not; refused with the field and the
reason when against the rules, with nothing sent or recorded."""

from __future__ import annotations

import pytest

from dropline.core.models import AuditEvent
from dropline.network import equipment_status, wifi
from dropline.network.devices import simulator
from dropline.network.errors import DeviceActionError
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus
from tests.support.equipment import NOON, at, equipped_customer, later
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


def networks(household) -> dict[str, tuple[str, str]]:
    view = equipment_status.equipment_view(
        account=household.customer.account, equipment_id=household.gateway.pk
    )
    assert view.state is not None
    return {n.key: (n.ssid, n.passphrase) for n in view.state.wifi}


def first_key(household) -> str:
    return sorted(networks(household))[0]


def test_an_online_gateway_takes_a_new_name_and_password_at_once():
    with at(NOON):
        household = equipped_customer()
        key = first_key(household)
        action = wifi.change_wifi(
            equipment=household.gateway,
            user=household.customer.user,
            key=key,
            ssid="Garcia Home",
            passphrase="correct horse battery",
        )
        assert action.kind == DeviceActionKind.WIFI_CHANGE
        assert action.status == DeviceActionStatus.DONE
        assert networks(household)[key] == ("Garcia Home", "correct horse battery")
    assert "Reconnect your devices" in wifi.describe(action)


def test_only_the_name_changes_when_no_password_is_given():
    with at(NOON):
        household = equipped_customer()
        key = first_key(household)
        _, before = networks(household)[key]
        wifi.change_wifi(
            equipment=household.gateway, user=household.customer.user, key=key, ssid="Casa"
        )
        assert networks(household)[key] == ("Casa", before)


def test_an_offline_gateway_gets_the_change_on_its_next_contact():
    with at(NOON):
        household = equipped_customer()
        key = first_key(household)
        before = networks(household)[key]
        simulator.set_connected(device_id=household.gateway.device_id, connected=False)
        action = wifi.change_wifi(
            equipment=household.gateway,
            user=household.customer.user,
            key=key,
            ssid="Later Net",
            passphrase="not-yet-applied",
        )
        assert action.status == DeviceActionStatus.QUEUED
        assert "as soon as it connects" in wifi.describe(action)
        assert networks(household)[key] == before
    with at(later(600)):
        simulator.set_connected(device_id=household.gateway.device_id, connected=True)
        assert networks(household)[key] == ("Later Net", "not-yet-applied")
        view = equipment_status.equipment_view(
            account=household.customer.account, equipment_id=household.gateway.pk
        )
        assert wifi.pending_changes(equipment=household.gateway, state=view.state) == []
    action.refresh_from_db()
    assert action.status == DeviceActionStatus.DONE


@pytest.mark.parametrize(
    ("ssid", "passphrase", "field", "reason"),
    [
        ("", "long enough 1", "ssid", "Enter a network name."),
        (" Home", "long enough 1", "ssid", "cannot start or end with a space"),
        ("x" * 33, "long enough 1", "ssid", "at most 32 bytes"),
        ("Home", "short", "passphrase", "8 to 63 characters"),
        ("Home", "contraseña-larga", "passphrase", "letters without accents"),
        ("SameName1", "SameName1", "passphrase", "cannot be the same as the network name"),
    ],
)
def test_against_the_rules_names_the_field_and_nothing_changes(ssid, passphrase, field, reason):
    with at(NOON):
        household = equipped_customer()
        key = first_key(household)
        before = networks(household)
        with pytest.raises(DeviceActionError) as refused:
            wifi.change_wifi(
                equipment=household.gateway,
                user=household.customer.user,
                key=key,
                ssid=ssid,
                passphrase=passphrase,
            )
        assert refused.value.field == field
        assert reason in refused.value.message
        assert networks(household) == before
    assert DeviceAction.objects.count() == 0


def test_a_network_the_device_does_not_have_is_refused():
    with at(NOON):
        household = equipped_customer()
        with pytest.raises(DeviceActionError) as refused:
            wifi.change_wifi(
                equipment=household.gateway, user=household.customer.user, key="99", ssid="X1"
            )
    assert refused.value.field == "key"


def test_a_staff_change_is_audited_without_the_password():
    with at(NOON):
        household = equipped_customer()
        agent = make_user(username="agent", is_staff=True)
        key = first_key(household)
        wifi.change_wifi(
            equipment=household.gateway,
            user=agent,
            key=key,
            ssid="Staff Set",
            passphrase="secret-pass-99",
            by_staff=True,
        )
    event = AuditEvent.objects.get(action="equipment.wifi_changed")
    assert event.actor == agent
    assert event.data["name_changed"] is True
    assert event.data["password_changed"] is True
    assert "secret-pass-99" not in str(event.data)
