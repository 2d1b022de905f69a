"""Output of ``GET /services`` (``dropline.api.services.routes``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.overview.schemas import AddOnOut, EquipmentOut
from dropline.api.schemas import AccountRefOut, MoneyOut


class PriceChangeOut(Schema):
    effective_on: dt.date
    monthly_price: MoneyOut
    reason: str


class ServiceDetailOut(Schema):
    id: int
    kind: str
    plan_code: str
    plan_name: str
    label: str
    status: str
    download_mbps: int | None
    upload_mbps: int | None
    data_allowance_gb: int | None
    price_per_gb: str | None
    channel_count: int | None
    phone_number: str
    monthly_price: MoneyOut
    regular_monthly_price: MoneyOut
    promotion_name: str | None
    promotion_ends_on: dt.date | None
    price_after_promotion: MoneyOut | None
    price_after_promotion_from: dt.date | None
    pending_price_change: PriceChangeOut | None
    add_ons: list[AddOnOut]
    equipment: list[EquipmentOut]


class BundleSavingOut(Schema):
    code: str
    name: str
    monthly_discount: MoneyOut = Field(
        description="What the bundle takes off each month (never more than its services)."
    )


class ServicesOut(Schema):
    account: AccountRefOut
    as_of: dt.date
    services: list[ServiceDetailOut]
    other_equipment: list[EquipmentOut]
    bundle: BundleSavingOut | None = Field(
        description="The bundle the account's services qualify for today, if any."
    )
    monthly_total: MoneyOut = Field(description="Services and rentals less the bundle discount.")
