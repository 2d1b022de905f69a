"""The FCC broadband facts label of an internet plan, as plain values any edge (portal
page, API, print) renders the same way."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from dropline.catalog.models import BroadbandLabel, LabelFee, Plan, ServiceKind
from dropline.catalog.queries import bundles_on_offer, introductory_offer, plan_with_label
from dropline.core import clock
from dropline.core.support import support_contact

FCC_GLOSSARY_URL = "https://www.fcc.gov/consumers/broadband-labels-glossary"


@dataclass(frozen=True)
class Fee:
    name: str
    amount_cents: int


@dataclass(frozen=True)
class BundleOffer:
    """A bundle with internet the provider offers: its name and monthly saving."""

    code: str
    name: str
    monthly_discount_cents: int


@dataclass(frozen=True)
class BroadbandFacts:
    provider_name: str
    plan_code: str
    plan_name: str
    identifier: str
    currency: str
    # What is paid each month now (the introductory price when there is one), before
    # bundle discounts, and the plan's regular price.
    monthly_price_cents: int
    introductory: bool
    introductory_months: int | None
    price_after_cents: int | None
    contract_months: int | None
    contract_terms_url: str
    monthly_fees: tuple[Fee, ...]
    one_time_fees: tuple[Fee, ...]
    early_termination_fee_cents: int
    taxes_included: bool
    discounts_text: str
    discounts_url: str
    # The catalogue's bundles with internet on offer today, largest saving first.
    bundles: tuple[BundleOffer, ...]
    typical_download_mbps: int
    typical_upload_mbps: int
    typical_latency_ms: int
    data_included_gb: int | None  # None: unlimited
    additional_data_cents: int
    additional_data_block_gb: int | None
    network_management_url: str
    privacy_policy_url: str
    support_phone: str
    support_phone_display: str
    support_url: str
    glossary_url: str


def _fees(label: BroadbandLabel, kind: str, language: str) -> tuple[Fee, ...]:
    fees: list[LabelFee] = [fee for fee in label.fees.all() if fee.kind == kind]
    return tuple(Fee(fee.localized_name(language), fee.amount_cents) for fee in fees)


def facts_for(plan: Plan, *, language: str) -> BroadbandFacts:
    """The label of ``plan`` (loaded by ``plan_with_label``) in ``language``."""
    label: BroadbandLabel = plan.broadband_label
    offer = introductory_offer(plan)
    support = support_contact(language)
    discounts = label.discounts_text
    if language == "es" and label.discounts_text_es:
        discounts = label.discounts_text_es
    return BroadbandFacts(
        provider_name=settings.DROPLINE_PROVIDER_NAME,
        plan_code=plan.code,
        plan_name=plan.localized_name(language),
        identifier=label.identifier,
        currency=plan.currency,
        monthly_price_cents=offer.monthly_price_cents if offer else plan.monthly_price_cents,
        introductory=offer is not None,
        introductory_months=offer.duration_months if offer else None,
        price_after_cents=plan.monthly_price_cents if offer else None,
        contract_months=label.contract_months,
        contract_terms_url=label.contract_terms_url,
        monthly_fees=_fees(label, LabelFee.Kind.MONTHLY, language),
        one_time_fees=_fees(label, LabelFee.Kind.ONE_TIME, language),
        early_termination_fee_cents=label.early_termination_fee_cents,
        taxes_included=label.taxes_included,
        discounts_text=discounts,
        discounts_url=label.discounts_url,
        bundles=tuple(
            BundleOffer(bundle.code, bundle.localized_name(language), bundle.monthly_discount_cents)
            for bundle in bundles_on_offer(on=clock.today())
            if ServiceKind.INTERNET in bundle.kinds
        ),
        typical_download_mbps=label.typical_download_mbps,
        typical_upload_mbps=label.typical_upload_mbps,
        typical_latency_ms=label.typical_latency_ms,
        data_included_gb=plan.data_allowance_gb,
        additional_data_cents=label.additional_data_cents,
        additional_data_block_gb=label.additional_data_block_gb,
        network_management_url=label.network_management_url,
        privacy_policy_url=label.privacy_policy_url,
        support_phone=support.phone,
        support_phone_display=support.phone_display,
        support_url=support.help_url,
        glossary_url=FCC_GLOSSARY_URL,
    )


def broadband_facts(code: str, *, language: str) -> BroadbandFacts | None:
    """The label of the internet plan ``code``, or ``None`` when it has none."""
    plan = plan_with_label(code)
    return facts_for(plan, language=language) if plan is not None else None
