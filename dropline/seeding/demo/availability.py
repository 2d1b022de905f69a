"""Where Riverbend Broadband sells each plan, and the broadband facts label of each
internet plan (typical speeds a little under the advertised ones, as measured)."""

from __future__ import annotations

from dropline.catalog.models import BroadbandLabel, EquipmentModel, LabelFee, Plan
from dropline.customers.models import ServiceArea
from dropline.seeding.demo.household import SERVICE_AREAS

SITE = "https://www.riverbendbroadband.example"

# The gig tier needs the fiber built in Riverbend; Lake County has the basics only.
NOT_SOLD_IN = {
    "cedar-falls": {"internet-gig"},
    "lake-county": {"internet-gig", "internet-500", "tv-gold", "tv-silver"},
}

# plan code: typical download, typical upload (Mbps), latency (ms), charge for 50 GB more
LABELS = {
    "internet-300": (287, 19, 22, 1000),
    "internet-500": (474, 47, 18, 0),
    "internet-gig": (938, 94, 12, 0),
}


def _label(plan: Plan, gateway: EquipmentModel) -> int:
    if BroadbandLabel.objects.filter(plan=plan).exists():
        return 0
    download, upload, latency, more_data = LABELS[plan.code]
    label = BroadbandLabel.objects.create(
        plan=plan,
        contract_months=None,
        contract_terms_url=f"{SITE}/legal/residential-terms",
        early_termination_fee_cents=0,
        taxes_included=False,
        discounts_text="Bundle discounts when you combine internet with TV, home phone or mobile.",
        discounts_text_es=(
            "Descuentos por paquete al combinar internet con TV, teléfono residencial o móvil."
        ),
        discounts_url=f"{SITE}/bundles",
        typical_download_mbps=download,
        typical_upload_mbps=upload,
        typical_latency_ms=latency,
        additional_data_cents=more_data,
        additional_data_block_gb=50 if more_data else None,
        network_management_url=f"{SITE}/legal/network-management",
        privacy_policy_url=f"{SITE}/legal/privacy",
    )
    LabelFee.objects.bulk_create(
        [
            LabelFee(
                label=label,
                kind=LabelFee.Kind.MONTHLY,
                name=f"Gateway rental ({gateway})",
                name_es=f"Alquiler de la puerta de enlace ({gateway})",
                amount_cents=gateway.monthly_rental_cents,
            ),
            LabelFee(
                label=label,
                kind=LabelFee.Kind.ONE_TIME,
                name="Activation",
                name_es="Activación",
                amount_cents=2500,
                position=1,
            ),
            LabelFee(
                label=label,
                kind=LabelFee.Kind.ONE_TIME,
                name="Professional installation (optional)",
                name_es="Instalación profesional (opcional)",
                amount_cents=9900,
                position=2,
            ),
        ]
    )
    return 1 + 3


def load() -> int:
    created = 0
    plans = list(Plan.objects.all())
    for code, name in SERVICE_AREAS:
        area, was_created = ServiceArea.objects.get_or_create(code=code, defaults={"name": name})
        created += int(was_created)
        if was_created or not area.plans.exists():
            skip = NOT_SOLD_IN.get(code, set())
            area.plans.add(*[plan for plan in plans if plan.code not in skip])
    gateway = EquipmentModel.objects.get(code="gw-xb8")
    for plan in Plan.objects.filter(code__in=LABELS):
        created += _label(plan, gateway)
    return created
