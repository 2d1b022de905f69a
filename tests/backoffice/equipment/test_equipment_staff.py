"""Staff find a device by serial number, MAC address, device id or account number, see
its live status and action history, and restart it or change its Wi-Fi as the customer
can, each audited with who, when and from where; staff who may only look see no buttons
and cannot post."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dropline.accounts.roles import BILLING, CUSTOMER_CARE, FIELD_DISPATCH
from dropline.core.models import AuditEvent
from dropline.network.models import DeviceAction, DeviceActionKind, DeviceActionStatus
from tests.support.equipment import NOON, at, equipped_customer, later, words
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db

LOOKUP = "/backoffice/equipment/"


@pytest.fixture
def household():
    with at(NOON):
        return equipped_customer()


@pytest.fixture
def agent(client):
    staff = make_staff(username="agent", role=CUSTOMER_CARE)
    client.force_login(staff)
    return staff


def device_url(device) -> str:
    return reverse("backoffice:equipment_device", args=[device.pk])


@pytest.mark.parametrize(
    "query",
    ["serial", "serial-lower", "mac", "mac-dashes", "mac-bare", "device_id"],
)
def test_one_match_opens_the_device(client, agent, household, query):
    gateway = household.gateway
    typed = {
        "serial": gateway.serial_number,
        "serial-lower": gateway.serial_number.lower(),
        "mac": gateway.mac_address,
        "mac-dashes": gateway.mac_address.upper().replace(":", "-"),
        "mac-bare": gateway.mac_address.replace(":", ""),
        "device_id": gateway.device_id,
    }[query]
    with at(NOON):
        response = client.get(LOOKUP, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == device_url(gateway)


def test_an_account_number_lists_its_devices(client, agent, household):
    with at(NOON):
        response = client.get(LOOKUP, {"q": household.customer.account.number})
    text = words(response)
    assert household.gateway.serial_number in text
    assert household.receiver.serial_number in text


def test_no_match_says_so(client, agent, household):
    with at(NOON):
        response = client.get(LOOKUP, {"q": "NOPE-0000"})
    assert "No device matches." in words(response)


def test_the_device_page_shows_live_status_and_history_and_is_audited(client, agent, household):
    with at(NOON):
        response = client.get(device_url(household.gateway))
    text = words(response)
    assert "Online" in text
    assert "Downstream power" in text
    assert "Restart the device" in text
    assert "Nobody has restarted this device" in text
    assert AuditEvent.objects.filter(
        action="customer.viewed", account_number=household.customer.account.number
    ).exists()


def test_a_staff_restart_is_recorded_audited_and_shown(client, agent, household):
    with at(NOON):
        response = client.post(reverse("backoffice:equipment_restart", args=[household.gateway.pk]))
    assert response.status_code == 302
    action = DeviceAction.objects.get()
    assert action.by_staff
    assert action.requested_by == agent
    event = AuditEvent.objects.get(action="equipment.restarted")
    assert event.actor == agent
    assert event.ip_address == "127.0.0.1"
    assert event.account_number == household.customer.account.number
    with at(later(90)):
        text = words(client.get(device_url(household.gateway)))
    assert "Restart" in text
    assert "Staff · agent" in text
    assert "Done" in text


def test_a_staff_wifi_change_is_applied_and_audited(client, agent, household):
    url = reverse("backoffice:equipment_wifi", args=[household.gateway.pk])
    with at(NOON):
        response = client.post(
            url, {"network": "1", "ssid": "Garcia Home", "passphrase": "set by care 1"}
        )
    assert response.status_code == 302
    action = DeviceAction.objects.get()
    assert (action.kind, action.status) == (DeviceActionKind.WIFI_CHANGE, DeviceActionStatus.DONE)
    event = AuditEvent.objects.get(action="equipment.wifi_changed")
    assert event.actor == agent
    assert "set by care 1" not in str(event.data)


def test_a_staff_wifi_change_against_the_rules_is_refused_on_its_field(client, agent, household):
    url = reverse("backoffice:equipment_wifi", args=[household.gateway.pk])
    with at(NOON):
        response = client.post(url, {"network": "1", "ssid": "Garcia", "passphrase": "short"})
    assert response.status_code == 400
    assert "8 to 63 characters" in words(response)
    assert DeviceAction.objects.count() == 0
    assert not AuditEvent.objects.filter(action="equipment.wifi_changed").exists()


def test_field_dispatch_may_act_too(client, household):
    client.force_login(make_staff(username="tech", role=FIELD_DISPATCH))
    with at(NOON):
        assert client.get(device_url(household.gateway)).status_code == 200
        client.post(reverse("backoffice:equipment_restart", args=[household.gateway.pk]))
    assert DeviceAction.objects.count() == 1


def test_staff_without_the_equipment_permission_get_403(client, household):
    client.force_login(make_staff(username="nobody", role=None))
    with at(NOON):
        assert client.get(LOOKUP).status_code == 403
        assert client.get(device_url(household.gateway)).status_code == 403


def test_staff_who_may_only_look_see_no_buttons_and_cannot_post(client, household):
    client.force_login(make_staff(username="biller", role=BILLING))
    with at(NOON):
        page = client.get(device_url(household.gateway))
        assert page.status_code == 200
        assert "Online" in words(page)
        assert "Restart the device" not in words(page)
        assert "Change the Wi-Fi" not in words(page)
        restart = client.post(reverse("backoffice:equipment_restart", args=[household.gateway.pk]))
        wifi = client.post(
            reverse("backoffice:equipment_wifi", args=[household.gateway.pk]),
            {"network": "1", "ssid": "Nope"},
        )
    assert restart.status_code == 403
    assert wifi.status_code == 403
    assert DeviceAction.objects.count() == 0
