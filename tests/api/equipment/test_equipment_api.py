"""The equipment API: each device with its status and details, a restart (202 while it
runs, 429 past the limit), and Wi-Fi (passwords and changes behind a fresh sign-in
confirmation, errors naming the field), only ever on the caller's account."""

from __future__ import annotations

import pytest
from django.test import override_settings

from dropline.network.devices import simulator
from dropline.network.models import DeviceAction
from tests.support.app_client import App, is_reauthentication_answer
from tests.support.equipment import NOON, at, equipped_customer, later

pytestmark = pytest.mark.django_db

URL = "/api/v1/equipment"


@pytest.fixture
def household():
    with at(NOON):
        return equipped_customer()


@pytest.fixture
def app(household) -> App:
    return App("maria")


def test_the_list_gives_each_device_with_id_kind_and_status(app, household):
    simulator.set_connected(device_id=household.receiver.device_id, connected=False)
    with at(NOON):
        body = app.get(URL).json()
    assert body["account"]["number"] == household.customer.account.number
    devices = {d["kind"]: d for d in body["equipment"]}
    assert devices["gateway"]["id"] == household.gateway.pk
    assert devices["gateway"]["status"] == "online"
    assert devices["receiver"]["status"] == "offline"
    gateway = devices["gateway"]
    assert gateway["uptime_seconds"] > 86400
    assert gateway["firmware"]
    assert [level["name"] for level in gateway["signal"]] == [
        "downstream_power_dbmv",
        "downstream_snr_db",
        "upstream_power_dbmv",
    ]
    assert all(level["in_range"] for level in gateway["signal"])
    assert gateway["connected_devices"]
    assert {n["band"] for n in gateway["wifi"]} == {"2.4 GHz", "5 GHz"}
    assert all(n["passphrase"] is None for n in gateway["wifi"])
    assert gateway["restart_effect"] == "Your internet will be off for about 2 minutes."


def test_a_restart_is_202_while_it_runs_then_done_when_the_device_is_back(app, household):
    with at(NOON):
        response = app.post(f"{URL}/{household.gateway.pk}/restart")
    assert response.status_code == 202
    restart = response.json()
    assert restart["status"] == "running"
    with at(later(30)):
        assert app.get(f"{URL}/{household.gateway.pk}").json()["status"] == "restarting"
        again = app.post(f"{URL}/{household.gateway.pk}/restart")
        assert again.status_code == 202
        assert again.json()["id"] == restart["id"]
    with at(later(62)):
        progress = app.get(f"{URL}/{household.gateway.pk}/restarts/{restart['id']}").json()
        assert progress["status"] == "done"
        assert app.get(f"{URL}/{household.gateway.pk}").json()["status"] == "online"


@override_settings(DROPLINE_RESTARTS_PER_HOUR=1)
def test_past_the_limit_it_is_429_with_a_clear_message(app, household):
    with at(NOON):
        app.post(f"{URL}/{household.gateway.pk}/restart")
    with at(later(15 * 60)):
        response = app.post(f"{URL}/{household.gateway.pk}/restart")
    assert response.status_code == 429
    assert response["Retry-After"] == str(45 * 60)
    assert response.json()["detail"] == (
        "This device can be restarted 1 time an hour. You can restart it again in 45 minutes."
    )
    assert DeviceAction.objects.count() == 1


def test_an_offline_device_restart_is_queued(app, household):
    simulator.set_connected(device_id=household.gateway.device_id, connected=False)
    with at(NOON):
        response = app.post(f"{URL}/{household.gateway.pk}/restart")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert "as soon as it connects" in response.json()["message"]


def test_wifi_without_passwords_needs_nothing_more_with_them_a_fresh_confirmation(household):
    stale = App("maria", reauthenticated=False)
    with at(NOON):
        plain = stale.get(f"{URL}/{household.gateway.pk}/wifi")
        assert plain.status_code == 200
        assert all(n["passphrase"] is None for n in plain.json()["networks"])
        asked = stale.get(f"{URL}/{household.gateway.pk}/wifi?include_passphrase=true")
        assert is_reauthentication_answer(asked)
        change = stale.put(f"{URL}/{household.gateway.pk}/wifi", {"network": "1", "ssid": "Sneaky"})
        assert is_reauthentication_answer(change)
    assert DeviceAction.objects.count() == 0


def test_wifi_change_applies_and_bad_input_names_the_field(app, household):
    url = f"{URL}/{household.gateway.pk}/wifi"
    with at(NOON):
        networks = app.get(url + "?include_passphrase=true").json()["networks"]
        assert all(n["passphrase"] for n in networks)
        key = networks[0]["network"]
        bad = app.put(url, {"network": key, "ssid": "Casa", "passphrase": "Casa"})
        assert bad.status_code == 400
        [error] = bad.json()["errors"]
        assert error["field"] == "passphrase"
        assert error["reason"].startswith("A Wi-Fi password must be 8 to 63 characters long")
        bad_name = app.put(url, {"network": key, "ssid": " Casa"})
        assert bad_name.json()["errors"] == [
            {"field": "ssid", "reason": "A network name cannot start or end with a space."}
        ]
        no_such = app.put(url, {"network": "77", "ssid": "Casa"})
        assert no_such.json()["errors"][0]["field"] == "network"
        ok = app.put(url, {"network": key, "ssid": "Casa Garcia", "passphrase": "brand new 123"})
        assert ok.status_code == 200
        assert ok.json()["status"] == "done"
        after = {
            n["network"]: n for n in app.get(url + "?include_passphrase=true").json()["networks"]
        }
    assert (after[key]["ssid"], after[key]["passphrase"]) == ("Casa Garcia", "brand new 123")


def test_wifi_change_for_an_offline_device_is_202_and_waits(app, household):
    simulator.set_connected(device_id=household.gateway.device_id, connected=False)
    url = f"{URL}/{household.gateway.pk}/wifi"
    with at(NOON):
        response = app.put(url, {"network": "1", "ssid": "Later"})
        assert response.status_code == 202
        assert response.json()["status"] == "queued"
        assert app.get(url).json()["pending"] is True


def test_a_device_without_wifi_has_no_wifi(app, household):
    with at(NOON):
        assert app.get(f"{URL}/{household.receiver.pk}/wifi").status_code == 404


def test_another_accounts_device_is_404(app, household):
    with at(NOON):
        other = equipped_customer("other")
        for response in (
            app.get(f"{URL}/{other.gateway.pk}"),
            app.post(f"{URL}/{other.gateway.pk}/restart"),
            app.get(f"{URL}/{other.gateway.pk}/wifi"),
            app.put(f"{URL}/{other.gateway.pk}/wifi", {"network": "1", "ssid": "Mine now"}),
        ):
            assert response.status_code == 404
    assert DeviceAction.objects.count() == 0
