"""Administrators edit labels in the records admin; every save is audited, the
identifier never changes and a label cannot be deleted. Other roles cannot edit them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dropline.accounts.roles import ADMINISTRATOR, BILLING
from dropline.catalog.models import BroadbandLabel
from dropline.core.models import AuditEvent
from tests.support.catalog import make_catalog
from tests.support.labels import label_form, make_label, staff_signed_in
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def label() -> BroadbandLabel:
    return make_label(make_catalog().internet)


def test_an_administrator_edits_a_label_and_it_is_audited(label):
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    url = reverse("admin:catalog_broadbandlabel_change", args=[label.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, label_form(label, typical_latency_ms=15))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = BroadbandLabel.objects.get(pk=label.pk)
    assert saved.typical_latency_ms == 15
    assert saved.identifier == label.identifier
    event = AuditEvent.objects.get(action="catalog.label_changed")
    assert event.actor is not None
    assert event.actor.username == "ada"
    assert event.data["fields"] == ["typical_latency_ms"]


def test_a_label_cannot_be_deleted_even_by_an_administrator(label):
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    url = reverse("admin:catalog_broadbandlabel_delete", args=[label.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert BroadbandLabel.objects.filter(pk=label.pk).exists()


def test_billing_staff_cannot_change_labels(label):
    make_staff(username="bill", role=BILLING)
    client = staff_signed_in("bill")
    url = reverse("admin:catalog_broadbandlabel_change", args=[label.pk])
    response = client.post(url, label_form(label, typical_latency_ms=1))
    assert response.status_code == 403
    assert BroadbandLabel.objects.get(pk=label.pk).typical_latency_ms == 18
