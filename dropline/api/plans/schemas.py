"""Output of the plans on sale and their broadband facts labels
(``dropline.api.plans.routes``). Amounts are integer cents in ``currency``."""

from __future__ import annotations

from ninja import Field, Schema

from dropline.api.schemas import AccountRefOut


class PlansQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )


class PlanOut(Schema):
    code: str
    kind: str
    name: str
    currency: str
    monthly_price_cents: int = Field(description="The regular monthly price.")
    promotional_price_cents: int | None = Field(
        description="The introductory monthly price, when the plan has a promotion."
    )
    promotional_months: int | None
    price_after_promotion_cents: int | None
    download_mbps: int | None
    upload_mbps: int | None
    data_allowance_gb: int | None = Field(description="Empty means unlimited.")
    channel_count: int
    label_url: str | None = Field(description="The plan's broadband facts label, if any.")


class PlansOut(Schema):
    account: AccountRefOut
    plans: list[PlanOut]
    bundles: list[BundleOut] = Field(
        description="Bundles on offer whose services can all be ordered at the address: "
        "an account with a service of each gets the monthly discount."
    )


class FeeOut(Schema):
    name: str
    amount_cents: int


class BundleOut(Schema):
    code: str
    name: str
    monthly_discount_cents: int = Field(description="What the bundle saves each month.")


class LabelOut(Schema):
    identifier: str = Field(description='"F", the FCC Registration Number, 15 letters or digits.')
    provider_name: str
    plan_code: str
    plan_name: str
    currency: str
    monthly_price_cents: int
    introductory: bool
    introductory_months: int | None
    price_after_cents: int | None
    contract_months: int | None = Field(description="Empty means no contract.")
    contract_terms_url: str
    monthly_fees: list[FeeOut]
    one_time_fees: list[FeeOut]
    early_termination_fee_cents: int
    taxes_included: bool
    discounts_text: str
    discounts_url: str
    bundles: list[BundleOut] = Field(description="Bundles with internet on offer today.")
    typical_download_mbps: int
    typical_upload_mbps: int
    typical_latency_ms: int
    data_included_gb: int | None = Field(description="Empty means unlimited.")
    additional_data_cents: int
    additional_data_block_gb: int | None
    network_management_url: str
    privacy_policy_url: str
    support_phone: str
    support_url: str
    glossary_url: str
