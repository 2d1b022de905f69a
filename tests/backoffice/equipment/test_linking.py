"""Field dispatch link a device to device management by the id the server knows it by,
or unlink it; an id the server does not know, one another device in service has, or one
with spaces is refused with the reason and changes nothing; customer care, who may only
look and act, see no form and cannot post."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dropline.accounts.roles import CUSTOMER_CARE, FIELD_DISPATCH
from dropline.core.models import AuditEvent
from dropline.network.devices import simulator
from dropline.network.models import Equipment
from tests.support.equipment import NOON, OUI, at, equipped_customer, managed_device, words
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    with at(NOON):
        return equipped_customer()


@pytest.fixture
def dispatcher(client):
    staff = make_staff(username="dispatcher", role=FIELD_DISPATCH)
    client.force_login(staff)
    return staff


def link_url(device: Equipment) -> str:
    return reverse("backoffice:equipment_link", args=[device.pk])


def unmanaged(household) -> Equipment:
    with at(NOON):
        return managed_device(household.customer, "modem", managed=False)


def test_linking_a_device_shows_its_live_status_and_is_audited(client, dispatcher, household):
    modem = unmanaged(household)
    device_id = simulator.device_id_for(
        oui=OUI, product_class="M3", serial_number=modem.serial_number
    )
    with at(NOON):
        simulator.register_device(
            device_id=device_id,
            oui=OUI,
            product_class="M3",
            serial_number=modem.serial_number,
            kind="modem",
        )
        response = client.post(link_url(modem), {"device_id": f"  {device_id} "})
        assert response.status_code == 302
        modem.refresh_from_db()
        assert modem.device_id == device_id
        page = client.get(reverse("backoffice:equipment_device", args=[modem.pk]))
    assert "The device is linked to device management." in words(page)
    assert "Online" in words(page)
    event = AuditEvent.objects.get(action="equipment.linked")
    assert event.actor == dispatcher
    assert event.data == {"device_id": device_id, "was": ""}


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0000CA-Nowhere-000", "Device management does not know a device with this id."),
        ("has space", "A device id has no spaces or control characters."),
        ("x" * 121, "at most 120 characters"),
    ],
)
def test_a_wrong_id_is_refused_with_the_reason_and_changes_nothing(
    client, dispatcher, household, typed, reason
):
    modem = unmanaged(household)
    with at(NOON):
        response = client.post(link_url(modem), {"device_id": typed})
    assert response.status_code == 400
    assert reason in words(response)
    modem.refresh_from_db()
    assert modem.device_id == ""
    assert not AuditEvent.objects.filter(action="equipment.linked").exists()


def test_an_id_another_device_in_service_has_is_refused(client, dispatcher, household):
    modem = unmanaged(household)
    with at(NOON):
        response = client.post(link_url(modem), {"device_id": household.gateway.device_id})
    assert response.status_code == 400
    assert "Another device in service already has this device id." in words(response)
    modem.refresh_from_db()
    assert modem.device_id == ""


def test_an_empty_id_unlinks_the_device(client, dispatcher, household):
    gateway = household.gateway
    with at(NOON):
        response = client.post(link_url(gateway), {"device_id": ""})
    assert response.status_code == 302
    gateway.refresh_from_db()
    assert gateway.device_id == ""
    assert AuditEvent.objects.get(action="equipment.linked").data["device_id"] == ""


def test_customer_care_sees_no_form_and_cannot_link(client, household):
    client.force_login(make_staff(username="agent", role=CUSTOMER_CARE))
    modem = unmanaged(household)
    with at(NOON):
        page = client.get(reverse("backoffice:equipment_device", args=[modem.pk]))
        refused = client.post(link_url(modem), {"device_id": household.gateway.device_id})
    assert "Save the device id" not in page.content.decode()
    assert refused.status_code == 403
    modem.refresh_from_db()
    assert modem.device_id == ""
