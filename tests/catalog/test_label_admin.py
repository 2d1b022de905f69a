"""The records admin shows the catalogue read only: labels (and plans, promotions,
channels, add-ons, equipment models) are changed on the back-office's catalog pages,
where each change is checked and audited. Nobody changes or deletes them in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dropline.accounts.roles import ADMINISTRATOR, BILLING
from dropline.catalog.models import BroadbandLabel, Plan
from dropline.core.models import AuditEvent
from tests.support.catalog import make_catalog
from tests.support.labels import label_form, make_label, staff_signed_in
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def label() -> BroadbandLabel:
    return make_label(make_catalog().internet)


def test_an_administrator_reads_a_label_in_the_admin_but_cannot_change_it(label):
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    url = reverse("admin:catalog_broadbandlabel_change", args=[label.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert label.identifier in page.content.decode()
    assert client.post(url, label_form(label, typical_latency_ms=15)).status_code == 403
    assert BroadbandLabel.objects.get(pk=label.pk).typical_latency_ms == 18
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_a_label_cannot_be_deleted_even_by_an_administrator(label):
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    url = reverse("admin:catalog_broadbandlabel_delete", args=[label.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert BroadbandLabel.objects.filter(pk=label.pk).exists()


def test_plans_are_neither_added_nor_changed_nor_deleted_in_the_admin(label):
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    plan = label.plan
    assert client.get(reverse("admin:catalog_plan_add")).status_code == 403
    change = reverse("admin:catalog_plan_change", args=[plan.pk])
    assert client.post(change, {"name": "Renamed"}).status_code == 403
    delete = reverse("admin:catalog_plan_delete", args=[plan.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Plan.objects.get(pk=plan.pk).name == "Internet 500"


def test_billing_staff_cannot_change_labels(label):
    make_staff(username="bill", role=BILLING)
    client = staff_signed_in("bill")
    url = reverse("admin:catalog_broadbandlabel_change", args=[label.pk])
    response = client.post(url, label_form(label, typical_latency_ms=1))
    assert response.status_code == 403
    assert BroadbandLabel.objects.get(pk=label.pk).typical_latency_ms == 18
