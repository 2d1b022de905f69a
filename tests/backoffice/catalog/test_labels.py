"""Broadband facts labels in the back-office: an administrator adds a plan's label (its
unique plan identifier is made then) and changes its fields and itemised fees; the
identifier never changes, every save is audited, the customer's label shows the change,
bad input names its field and changes nothing, and an internet plan goes on sale only
once it has its label."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.catalog.models import BroadbandLabel, Plan
from dropline.core.models import AuditEvent
from tests.support.catalog_admin import Shop, label_page_form, make_shop, plan_edit_form
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    return make_shop()


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_staff(username="ada", role=roles.ADMINISTRATOR))
    return client


def _fees(label: BroadbandLabel) -> list[tuple[str, str, int]]:
    return [(f.kind, f.name, f.amount_cents) for f in label.fees.all()]


def test_a_label_change_keeps_its_identifier_and_shows_to_customers(admin, shop):
    label = shop.label
    url = reverse("backoffice:catalog_label", args=[label.plan.code])
    assert label.identifier in admin.get(url).content.decode()
    form = label_page_form(
        label,
        typical_latency_ms=15,
        **{
            "fees-0-amount": "12.50",
            "fees-3-kind": "monthly",
            "fees-3-name": "Wi-Fi extender",
            "fees-3-amount": "5",
        },
    )
    response = admin.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = BroadbandLabel.objects.get(pk=label.pk)
    assert saved.identifier == label.identifier
    assert saved.typical_latency_ms == 15
    assert _fees(saved) == [
        ("monthly", "Modem rental", 1250),
        ("monthly", "Wi-Fi extender", 500),
        ("one_time", "Activation", 2500),
        ("one_time", "Installation", 9900),
    ]
    event = AuditEvent.objects.get(action="catalog.label_changed")
    assert event.actor_label == "ada"
    assert event.data["fields"] == ["fees", "typical_latency_ms"]
    assert event.data["changes"]["typical_latency_ms"] == {"before": 18, "after": 15}
    public = visible_text(Client().get(f"/plans/{label.plan.code}/label/").content.decode())
    assert "Wi-Fi extender" in public
    assert "$12.50" in public


def test_a_fee_is_taken_off_with_delete(admin, shop):
    label = shop.label
    url = reverse("backoffice:catalog_label", args=[label.plan.code])
    assert admin.post(url, label_page_form(label, **{"fees-2-DELETE": "on"})).status_code == 302
    assert _fees(label) == [("monthly", "Modem rental", 1000), ("one_time", "Activation", 2500)]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"privacy_policy_url": "not an address"}, "privacy_policy_url", "Enter a valid URL"),
        ({"typical_latency_ms": ""}, "typical_latency_ms", "This field is required"),
        ({"early_termination_fee": "-1"}, "early_termination_fee", "Enter an amount in dollars"),
        ({"additional_data": "10"}, "additional_data_block_gb", "how many GB"),
        ({"contract_months": "12", "contract_terms_url": ""}, "contract_terms_url", "terms"),
        ({"fees-3-name": "Mystery", "fees-3-amount": "5"}, "fees-3-kind", "monthly or one time"),
        ({"fees-3-kind": "monthly", "fees-3-amount": "5"}, "fees-3-name", "name of the fee"),
    ],
)
def test_bad_input_names_its_field_and_changes_nothing(admin, shop, changes, field, reason):
    label = shop.label
    before = (list(BroadbandLabel.objects.values()), _fees(label))
    url = reverse("backoffice:catalog_label", args=[label.plan.code])
    response = admin.post(url, label_page_form(label, **changes))
    assert response.status_code == 400
    assert reason in field_errors(response.content.decode(), field)
    assert (list(BroadbandLabel.objects.values()), _fees(label)) == before
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_a_new_label_gets_its_identifier_and_the_plan_may_then_go_on_sale(admin, shop):
    plan = shop.catalog.faster
    Plan.objects.filter(pk=plan.pk).update(is_active=False, download_mbps=1000, upload_mbps=100)
    plan.refresh_from_db()
    edit_url = reverse("backoffice:catalog_plan_edit", args=[plan.code])
    assert admin.post(edit_url, plan_edit_form(plan, is_active="on")).status_code == 400

    url = reverse("backoffice:catalog_label", args=[plan.code])
    page = visible_text(admin.get(url).content.decode())
    assert "The unique plan identifier is made when the label is first saved" in page
    form = label_page_form(shop.label, typical_download_mbps=950, typical_upload_mbps=95)
    assert admin.post(url, form).status_code == 302
    label = BroadbandLabel.objects.get(plan=plan)
    assert re.fullmatch(rf"F{settings.DROPLINE_FCC_FRN}[A-Z0-9]{{15}}", label.identifier)
    assert label.identifier != shop.label.identifier
    assert len(_fees(label)) == 3
    assert AuditEvent.objects.get(action="catalog.label_created").data["plan"] == plan.code

    assert admin.post(edit_url, plan_edit_form(plan, is_active="on")).status_code == 302
    plan.refresh_from_db()
    assert plan.is_active is True
    text = visible_text(admin.get(reverse("backoffice:catalog")).content.decode())
    assert "on sale without a broadband facts label" not in text
