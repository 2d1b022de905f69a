"""The equipment pages: each device with its status, a device's details, restarting it
(what will happen, progress, result), its Wi-Fi behind a fresh sign-in confirmation; in
both languages, and never another account's device."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from dropline.network import equipment_status
from dropline.network.devices import simulator
from dropline.network.devices.base import DeviceManagerUnavailableError
from dropline.network.models import DeviceAction, DeviceActionStatus
from tests.support.equipment import NOON, at, equipped_customer, later, words
from tests.support.payportal import reauthenticate

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(client: Client):
    with at(NOON):
        equipped = equipped_customer()
    client.force_login(equipped.customer.user)
    return equipped


def test_the_list_shows_each_device_with_its_status(client, household):
    simulator.set_connected(device_id=household.receiver.device_id, connected=False)
    with at(NOON):
        response = client.get("/equipment/")
    assert response.status_code == 200
    text = words(response)
    assert "Acme G8" in text
    assert "Acme TV4" in text
    assert "Online" in text
    assert "Offline" in text
    assert f'href="/equipment/{household.gateway.pk}/"' in response.content.decode()


def test_the_navigation_and_the_overview_lead_here(client, household):
    with at(NOON):
        html = client.get("/").content.decode()
    assert 'href="/equipment/"' in html
    assert f'href="/equipment/{household.gateway.pk}/"' in html


def test_the_device_page_shows_details_signal_wifi_and_connected_devices(client, household):
    with at(NOON):
        response = client.get(f"/equipment/{household.gateway.pk}/")
    text = words(response)
    assert "Online" in text
    assert "Last contact" in text
    assert "On without a restart for 2 days, 3 hours" in text
    assert "Downstream power" in text
    assert "-15 to 15 dBmV" in text
    assert "Connected devices" in text
    assert "2.4 GHz" in text
    assert "Your internet will be off for about 2 minutes." in text
    # The Wi-Fi passwords are not on this page.
    view = equipment_status.equipment_view(
        account=household.customer.account, equipment_id=household.gateway.pk
    )
    assert view.state is not None
    for network in view.state.wifi:
        assert network.passphrase not in response.content.decode()


def test_a_receiver_says_what_a_restart_does_to_tv(client, household):
    with at(NOON):
        text = words(client.get(f"/equipment/{household.receiver.pk}/restart/"))
    assert "TV on this receiver will be off for about 2 minutes." in text


def test_restart_confirm_then_progress_then_back(client, household):
    with at(NOON):
        confirm = client.get(f"/equipment/{household.gateway.pk}/restart/")
        assert "Restart your Acme G8?" in words(confirm)
        assert DeviceAction.objects.count() == 0
        response = client.post(f"/equipment/{household.gateway.pk}/restart/")
    action = DeviceAction.objects.get()
    progress_url = f"/equipment/{household.gateway.pk}/restart/{action.pk}/"
    assert response.status_code == 302
    assert response["Location"] == progress_url
    with at(later(20)):
        page = client.get(progress_url)
        html = page.content.decode()
        assert "Restarting" in words(page)
        assert "Check again" in words(page)
        assert "restart_progress.js" in html
        assert f'data-status-url="{progress_url}status/"' in html
        status = json.loads(client.get(progress_url + "status/").content)
        assert status == {
            "status": "running",
            "finished": False,
            "message": "Restarting. It should be back in about 2 minutes.",
        }
        assert "Restarting" in words(client.get("/equipment/"))
    with at(later(65)):
        status = json.loads(client.get(progress_url + "status/").content)
        assert status["finished"] is True
        assert status["status"] == "done"
        page = client.get(progress_url)
        assert "Back online" in words(page)
        assert "The device restarted and is back online." in words(page)
        assert "restart_progress.js" not in page.content.decode()


@override_settings(DROPLINE_RESTARTS_PER_HOUR=1)
def test_over_the_limit_the_page_says_when_and_restarts_nothing(client, household):
    with at(NOON):
        client.post(f"/equipment/{household.gateway.pk}/restart/")
    with at(later(600)):
        response = client.post(f"/equipment/{household.gateway.pk}/restart/")
    assert response.status_code == 429
    assert "You can restart it again in 50 minutes." in words(response)
    assert DeviceAction.objects.count() == 1


def test_an_offline_device_restart_is_queued_and_says_so(client, household):
    simulator.set_connected(device_id=household.gateway.device_id, connected=False)
    with at(NOON):
        assert "offline right now" in words(
            client.get(f"/equipment/{household.gateway.pk}/restart/")
        )
        client.post(f"/equipment/{household.gateway.pk}/restart/", follow=True)
        action = DeviceAction.objects.get()
        assert action.status == DeviceActionStatus.QUEUED
        text = words(client.get(f"/equipment/{household.gateway.pk}/restart/{action.pk}/"))
    assert "It will restart as soon as it connects to our network again." in text


def test_wifi_needs_a_fresh_confirmation_to_see_or_change(client, household):
    url = f"/equipment/{household.gateway.pk}/wifi/"
    with at(NOON):
        for response in (client.get(url), client.post(url, {"network": "1"})):
            assert response.status_code == 302
            assert "/accounts/reauthenticate/" in response["Location"]


def test_wifi_shows_the_passwords_and_changes_a_network(client, household):
    reauthenticate(client)
    url = f"/equipment/{household.gateway.pk}/wifi/"
    with at(NOON):
        view = equipment_status.equipment_view(
            account=household.customer.account, equipment_id=household.gateway.pk
        )
        assert view.state is not None
        network = view.state.wifi[0]
        page = client.get(url)
        assert network.passphrase in page.content.decode()
        response = client.post(
            url,
            {
                "network": network.key,
                f"wifi-{network.key}-ssid": "Garcia Home",
                f"wifi-{network.key}-passphrase": "new password 42",
            },
            follow=True,
        )
    assert "Your Wi-Fi settings are changed." in words(response)
    with at(NOON):
        view = equipment_status.equipment_view(
            account=household.customer.account, equipment_id=household.gateway.pk
        )
    assert view.state is not None
    changed = next(n for n in view.state.wifi if n.key == network.key)
    assert (changed.ssid, changed.passphrase) == ("Garcia Home", "new password 42")


def test_a_wifi_password_against_the_rules_is_refused_on_its_field(client, household):
    reauthenticate(client)
    url = f"/equipment/{household.gateway.pk}/wifi/"
    with at(NOON):
        view = equipment_status.equipment_view(
            account=household.customer.account, equipment_id=household.gateway.pk
        )
        assert view.state is not None
        key = view.state.wifi[0].key
        response = client.post(
            url,
            {"network": key, f"wifi-{key}-ssid": "Garcia", f"wifi-{key}-passphrase": "short"},
        )
    assert response.status_code == 400
    assert "A Wi-Fi password must be 8 to 63 characters long" in words(response)
    assert DeviceAction.objects.count() == 0


def test_another_accounts_device_answers_not_found(client, household):
    with at(NOON):
        other = equipped_customer("other")
        for url in (
            f"/equipment/{other.gateway.pk}/",
            f"/equipment/{other.gateway.pk}/restart/",
        ):
            assert client.get(url).status_code == 404
        assert client.post(f"/equipment/{other.gateway.pk}/restart/").status_code == 404
    assert DeviceAction.objects.count() == 0


def test_device_management_down_shows_unknown_not_an_error(client, household, monkeypatch):
    class Down:
        def devices(self, ids):
            raise DeviceManagerUnavailableError("down")

    monkeypatch.setattr(equipment_status, "get_device_manager", lambda: Down())
    with at(NOON):
        response = client.get("/equipment/")
        device = client.get(f"/equipment/{household.gateway.pk}/")
    assert response.status_code == 200
    assert "Status unknown" in words(response)
    assert "We cannot check this device right now." in words(device)


def test_spanish(client, household):
    with at(NOON):
        response = client.get("/equipment/", headers={"Accept-Language": "es"})
        device = client.get(
            f"/equipment/{household.gateway.pk}/", headers={"Accept-Language": "es"}
        )
    assert "Equipo" in words(response)
    assert "En línea" in words(response)
    assert "Su internet se apagará durante unos 2 minutos." in words(device)
