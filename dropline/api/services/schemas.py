"""Output of ``GET /services`` and the compare, add-ons, extras and mobile lines reads
(``dropline.api.services.routes``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

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


MAY_CHANGE = (
    "Whether the caller may change the account's plans and add-ons (the holder, or an "
    "authorized user the holder allowed): anyone on the account may read this."
)


class ExtraOut(Schema):
    kind: Literal["add_on", "equipment"] = Field(
        description="`add_on` on a service, or rented `equipment`."
    )
    name: str
    service_name: str = Field(description="The plan it belongs to; empty for equipment of none.")
    service: int | None = Field(description="The service's id, from `/services`.")
    add_on: str = Field(
        description="For an add-on, its code: `remove_add_on` in `/orders/preview` takes it."
    )
    equipment_id: int | None = Field(description="For equipment, its id in `/equipment`.")
    monthly_price: MoneyOut
    ends_on: dt.date | None = Field(description="An add-on already ending: its last day.")
    pending_order: int | None = Field(
        description="A change waiting on the service (`/orders/{order_id}`): none can be "
        "placed until it takes effect or is canceled."
    )
    removable: bool = Field(
        description="An add-on that can be removed now; equipment is returned by calling us."
    )


class ExtrasOut(Schema):
    """What the "Remove what you don't use" page shows: every add-on and rented device
    the account pays for by the month, the most expensive first, and their total."""

    account: AccountRefOut
    extras: list[ExtraOut]
    monthly_total: MoneyOut = Field(description="What the extras cost a month in all.")
    may_change: bool = Field(description=MAY_CHANGE)


class LinesOut(Schema):
    """The account's mobile lines, each with its plan and price, as the mobile lines page
    shows them; each line's plan is switched through `/services/{id}/plans`."""

    account: AccountRefOut
    lines: list[ServiceDetailOut]
    may_change: bool = Field(description=MAY_CHANGE)


class PlanRefusalOut(Schema):
    code: str = Field(
        description="Which rule: `pending_change`, `service_ending`, `account_suspended`, "
        "`not_available`, `not_on_sale`, `no_equipment`, `too_soon`..."
    )
    reason: str = Field(description="The reason in words, as the page says it.")


class PlanChoiceOut(Schema):
    code: str = Field(description="The plan's code: `change_plan` in `/orders/preview` takes it.")
    kind: str
    name: str
    is_current: bool = Field(description="The service's own plan, listed first.")
    is_upgrade: bool
    price_now: MoneyOut = Field(
        description="The first month's price: the promotional one while it lasts."
    )
    promotion_price: MoneyOut | None
    promotion_months: int | None = Field(
        description="Months at the promotional price (for the current plan: months left)."
    )
    regular_price: MoneyOut = Field(description="The monthly price after any promotion.")
    regular_from: dt.date | None = Field(
        description="With a promotion: the day the regular price starts."
    )
    price_per_gb: MoneyOut | None = Field(
        description="A plan charged by the gigabyte: the price of each GB used, on top."
    )
    equipment_rental: MoneyOut = Field(description="The service's device rentals a month.")
    equipment_name: str = Field(description="A new device the plan needs; empty when none.")
    twelve_months: MoneyOut = Field(
        description="12 months of plan and rentals, the promotion's months first (before "
        "taxes and fees; plus data used on a plan charged by the gigabyte)."
    )
    download_mbps: int | None
    upload_mbps: int | None
    data_allowance_gb: int | None = Field(description="Empty means unlimited.")
    channel_count: int
    effective_on: dt.date | None = Field(
        description="The day a change to this plan would take effect."
    )
    can_order: bool = Field(
        description="A change to this plan may be previewed and placed now (whoever may "
        "change services)."
    )
    refusal: PlanRefusalOut | None = Field(description="Why this plan cannot be ordered.")


class PlanChoicesOut(Schema):
    """The compare page: the service's plan beside every plan of its kind on sale at
    the address, with the price now, after the promotion and over 12 months."""

    account: AccountRefOut
    service: int
    service_label: str
    currency: str
    refusal: PlanRefusalOut | None = Field(
        description="Why the service cannot change plan now (a change already waiting, "
        "the account suspended): then no plan can be ordered."
    )
    plans: list[PlanChoiceOut]
    may_change: bool = Field(description=MAY_CHANGE)


class AddOnChoiceOut(Schema):
    code: str = Field(
        description="The add-on's code: `add_add_on` and `remove_add_on` in "
        "`/orders/preview` take it."
    )
    name: str
    monthly_price: MoneyOut = Field(
        description="On the service: the price it was contracted at; on sale: the catalogue's."
    )
    starts_on: dt.date | None = Field(description="On the service from a later day.")
    ends_on: dt.date | None = Field(description="Its removal is booked: its last day.")


class AddOnChoicesOut(Schema):
    """The add-ons page of a service: the add-ons it has, and those on sale for it."""

    account: AccountRefOut
    service: int
    service_name: str
    service_label: str
    on_service: list[AddOnChoiceOut]
    on_sale: list[AddOnChoiceOut]
    may_change: bool = Field(description=MAY_CHANGE)
