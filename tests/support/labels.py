"""A broadband facts label on the test catalogue's internet plan, and plans sold in
two service areas."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from dropline.catalog.models import BroadbandLabel, LabelFee, Plan
from dropline.customers.models import ServiceArea
from tests.support.catalog import Catalog
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET


@dataclass
class Areas:
    riverbend: ServiceArea
    hills: ServiceArea


def make_label(plan: Plan) -> BroadbandLabel:
    label = BroadbandLabel.objects.create(
        plan=plan,
        contract_months=None,
        contract_terms_url="https://isp.example/terms",
        early_termination_fee_cents=0,
        discounts_text="Save $10 a month with TV",
        discounts_text_es="Ahorre $10 al mes con TV",
        discounts_url="https://isp.example/bundles",
        typical_download_mbps=512,
        typical_upload_mbps=21,
        typical_latency_ms=18,
        network_management_url="https://isp.example/network",
        privacy_policy_url="https://isp.example/privacy",
    )
    LabelFee.objects.create(
        label=label,
        kind="monthly",
        name="Modem rental",
        name_es="Alquiler del módem",
        amount_cents=1000,
    )
    LabelFee.objects.create(
        label=label,
        kind="one_time",
        name="Activation",
        name_es="Activación",
        amount_cents=2500,
        position=1,
    )
    LabelFee.objects.create(
        label=label,
        kind="one_time",
        name="Installation",
        name_es="Instalación",
        amount_cents=9900,
        position=2,
    )
    return label


def sell_in_areas(catalog: Catalog) -> Areas:
    """Internet 500 and TV everywhere; Internet 1000 only in Riverbend, the area of the
    customers ``make_customer`` makes."""
    areas = Areas(
        riverbend=ServiceArea.objects.get_or_create(
            code="test-area", defaults={"name": "Test Area"}
        )[0],
        hills=ServiceArea.objects.get_or_create(code="hills", name="Hills")[0],
    )
    for plan in (catalog.internet, catalog.tv):
        plan.service_areas.add(areas.riverbend, areas.hills)
    catalog.faster.service_areas.add(areas.riverbend)
    return areas


def staff_signed_in(username: str) -> Client:
    """A back-office client for the staff member ``username``, past the second factor."""
    from tests.support.totp import code_with_time_to_spare

    client = Client()
    response = client.post(reverse("backoffice:login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
    )
    assert response.status_code == 302
    client.post(reverse("mfa_trust"), {"action": "skip"})
    return client


def label_form(label: BroadbandLabel, **changes: object) -> dict[str, object]:
    """The admin change form of ``label`` as posted, with ``changes``, its fees untouched."""
    fees = list(label.fees.all())
    data: dict[str, object] = {
        "plan": label.plan_id,
        "contract_months": label.contract_months or "",
        "contract_terms_url": label.contract_terms_url,
        "early_termination_fee_cents": label.early_termination_fee_cents,
        "discounts_text": label.discounts_text,
        "discounts_text_es": label.discounts_text_es,
        "discounts_url": label.discounts_url,
        "typical_download_mbps": label.typical_download_mbps,
        "typical_upload_mbps": label.typical_upload_mbps,
        "typical_latency_ms": label.typical_latency_ms,
        "additional_data_cents": label.additional_data_cents,
        "additional_data_block_gb": label.additional_data_block_gb or "",
        "network_management_url": label.network_management_url,
        "privacy_policy_url": label.privacy_policy_url,
        "fees-TOTAL_FORMS": len(fees),
        "fees-INITIAL_FORMS": len(fees),
        "fees-MIN_NUM_FORMS": 0,
        "fees-MAX_NUM_FORMS": 1000,
    }
    if label.taxes_included:
        data["taxes_included"] = "on"
    for index, fee in enumerate(fees):
        data.update(
            {
                f"fees-{index}-id": fee.pk,
                f"fees-{index}-label": label.pk,
                f"fees-{index}-kind": fee.kind,
                f"fees-{index}-name": fee.name,
                f"fees-{index}-name_es": fee.name_es,
                f"fees-{index}-amount_cents": fee.amount_cents,
                f"fees-{index}-position": fee.position,
            }
        )
    data.update(changes)
    return data
