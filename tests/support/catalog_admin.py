"""The staff catalogue pages of a small catalogue: one URL per page, and the forms they
post, as a person fills them in (amounts in dollars)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from dropline.catalog.models import BroadbandLabel, Channel, Plan
from tests.support.catalog import Catalog, make_catalog
from tests.support.labels import Areas, make_label, sell_in_areas


@dataclass
class Shop:
    catalog: Catalog
    areas: Areas
    label: BroadbandLabel
    channel: Channel


def make_shop() -> Shop:
    """The test catalogue sold in two areas, Internet 500 with its label, TV Essentials
    carrying channel 4 (Valley 4)."""
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    label = make_label(catalog.internet)
    channel = Channel.objects.create(number=4, call_sign="KVLY", name="Valley 4", genre="local")
    catalog.tv.channels.set([channel])
    return Shop(catalog=catalog, areas=areas, label=label, channel=channel)


def page_urls(shop: Shop) -> dict[str, str]:
    """Every catalogue page, by URL name."""
    catalog = shop.catalog
    return {
        "catalog": reverse("backoffice:catalog"),
        "catalog_plan_new": reverse("backoffice:catalog_plan_new"),
        "catalog_plan": reverse("backoffice:catalog_plan", args=[catalog.internet.code]),
        "catalog_plan_edit": reverse("backoffice:catalog_plan_edit", args=[catalog.internet.code]),
        "catalog_plan_areas": reverse(
            "backoffice:catalog_plan_areas", args=[catalog.internet.code]
        ),
        "catalog_plan_line_up": reverse("backoffice:catalog_plan_line_up", args=[catalog.tv.code]),
        "catalog_label": reverse("backoffice:catalog_label", args=[catalog.internet.code]),
        "catalog_promotion_new": reverse(
            "backoffice:catalog_promotion_new", args=[catalog.internet.code]
        ),
        "catalog_promotion_edit": reverse(
            "backoffice:catalog_promotion_edit", args=[catalog.promotion.pk]
        ),
        "catalog_channels": reverse("backoffice:catalog_channels"),
        "catalog_channel_new": reverse("backoffice:catalog_channel_new"),
        "catalog_channel_edit": reverse("backoffice:catalog_channel_edit", args=[shop.channel.pk]),
        "catalog_add_ons": reverse("backoffice:catalog_add_ons"),
        "catalog_add_on_new": reverse("backoffice:catalog_add_on_new"),
        "catalog_add_on_edit": reverse("backoffice:catalog_add_on_edit", args=[catalog.boost.code]),
        "catalog_add_on_line_up": reverse(
            "backoffice:catalog_add_on_line_up", args=[catalog.sports.code]
        ),
        "catalog_equipment": reverse("backoffice:catalog_equipment"),
        "catalog_equipment_new": reverse("backoffice:catalog_equipment_new"),
        "catalog_equipment_edit": reverse(
            "backoffice:catalog_equipment_edit", args=[catalog.modem.code]
        ),
    }


def plan_edit_form(plan: Plan, **changes: object) -> dict[str, object]:
    """The plan's edit form as posted, with ``changes``."""
    data: dict[str, object] = {
        "name": plan.name,
        "name_es": plan.name_es,
        "description": plan.description,
        "download_mbps": plan.download_mbps or "",
        "upload_mbps": plan.upload_mbps or "",
        "data_allowance_gb": plan.data_allowance_gb or "",
        "price_per_gb": plan.price_per_gb or "",
        "sort_order": plan.sort_order,
    }
    if plan.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def new_plan_form(**changes: object) -> dict[str, object]:
    """A new internet plan, Internet 2000 at $110.00, off sale."""
    data: dict[str, object] = {
        "code": "internet-2000",
        "kind": "internet",
        "name": "Internet 2000",
        "name_es": "Internet 2000",
        "description": "Two gigabits for busy homes.",
        "monthly_price": "110.00",
        "download_mbps": "2000",
        "upload_mbps": "200",
        "data_allowance_gb": "",
        "price_per_gb": "",
        "sort_order": "9",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def label_page_form(label: BroadbandLabel, **changes: object) -> dict[str, object]:
    """The back-office label form of ``label`` as posted, its fees kept, with ``changes``
    (``fees-N-...`` keys change a fee row)."""
    fees = list(label.fees.order_by("position", "id"))
    data: dict[str, object] = {
        "typical_download_mbps": label.typical_download_mbps,
        "typical_upload_mbps": label.typical_upload_mbps,
        "typical_latency_ms": label.typical_latency_ms,
        "contract_months": label.contract_months or "",
        "contract_terms_url": label.contract_terms_url,
        "early_termination_fee": "",
        "discounts_text": label.discounts_text,
        "discounts_text_es": label.discounts_text_es,
        "discounts_url": label.discounts_url,
        "additional_data": "",
        "additional_data_block_gb": label.additional_data_block_gb or "",
        "network_management_url": label.network_management_url,
        "privacy_policy_url": label.privacy_policy_url,
        "fees-TOTAL_FORMS": len(fees) + 1,
        "fees-INITIAL_FORMS": len(fees),
        "fees-MIN_NUM_FORMS": 0,
        "fees-MAX_NUM_FORMS": 20,
    }
    if label.taxes_included:
        data["taxes_included"] = "on"
    for index, fee in enumerate(fees):
        data.update(
            {
                f"fees-{index}-kind": fee.kind,
                f"fees-{index}-name": fee.name,
                f"fees-{index}-name_es": fee.name_es,
                f"fees-{index}-amount": f"{fee.amount_cents // 100}.{fee.amount_cents % 100:02d}",
            }
        )
    data.update(changes)
    return data
