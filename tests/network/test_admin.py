"""The network records in the admin: equipment is edited there; device actions, simulated
devices, outages and speed tests are only looked at."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dropline.network.devices import simulator
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_user
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

READ_ONLY = ("deviceaction", "simulateddevice", "outage", "outagewatch", "speedtest")


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    user = make_user(username="recordsadmin", is_staff=True, is_superuser=True)
    client.post(reverse("backoffice:login"), {"login": user.username, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)})
    client.post(reverse("mfa_trust"), {"action": "skip"})
    return client


@pytest.mark.parametrize("model", READ_ONLY)
def test_each_record_list_opens_and_nothing_can_be_added(admin_client, model):
    assert admin_client.get(reverse(f"admin:network_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:network_{model}_add")).status_code == 403


def test_a_simulated_device_is_shown_but_not_changed(admin_client):
    device = simulator.register_device(
        device_id="00A0BC-HomeHub-HH1",
        oui="00A0BC",
        product_class="HomeHub",
        serial_number="HH1",
        kind="gateway",
    )
    url = reverse("admin:network_simulateddevice_change", args=[device.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "00A0BC-HomeHub-HH1" in response.content.decode()
    assert admin_client.post(url, {"device_id": "changed"}).status_code == 403
    device.refresh_from_db()
    assert (device.device_id, device.connected) == ("00A0BC-HomeHub-HH1", True)
