"""Output schemas of ``/me`` (``dropline.api.overview.routes``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from dropline.api.schemas import AccountRefOut, MoneyOut


class AddressOut(Schema):
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    service_area: str


class AddOnOut(Schema):
    name: str
    monthly_price: MoneyOut


class ServiceOut(Schema):
    id: int
    kind: str
    plan_name: str
    status: str
    monthly_price: MoneyOut
    regular_monthly_price: MoneyOut
    promotion_name: str | None
    promotion_ends_on: dt.date | None
    download_mbps: int | None
    upload_mbps: int | None
    data_allowance_gb: int | None
    channel_count: int | None
    phone_number: str
    add_ons: list[AddOnOut]


class EquipmentOut(Schema):
    id: int
    kind: str
    name: str
    serial_number: str
    status: str
    is_rental: bool
    monthly_rental: MoneyOut


class AccountOut(Schema):
    number: str
    name: str
    status: str
    role: str
    service_address: AddressOut
    bill_cycle_day: int
    preferred_language: str
    services: list[ServiceOut]
    equipment: list[EquipmentOut]
    monthly_total: MoneyOut
    balance_cents: int
    amount_due_cents: int
    due_on: dt.date | None


class MeOut(Schema):
    username: str
    email: str
    first_name: str
    last_name: str
    accounts: list[AccountRefOut]
    account: AccountOut | None
