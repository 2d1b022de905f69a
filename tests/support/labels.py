"""A broadband facts label on the test catalogue's internet plan, and plans sold in
two service areas."""

from __future__ import annotations

from dataclasses import dataclass

from dropline.catalog.models import BroadbandLabel, LabelFee, Plan
from dropline.customers.models import ServiceArea
from tests.support.catalog import Catalog


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
