"""Plan and add-on changes: the preview, the order, the history."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from dropline.api.schemas import AccountQuery, AccountRefOut, FieldErrorOut, Id, MoneyOut

ChangeAction = Literal["change_plan", "add_add_on", "remove_add_on"]
CHANGE_EXAMPLE: JsonDict = {"service": 1, "action": "change_plan", "plan": "internet-1000"}


class ChangeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [CHANGE_EXAMPLE]})

    account: str | None = Field(
        None, max_length=40, description="The account number; the first one if left out."
    )
    service: Id = Field(description="The service's id, from `/services`.")
    action: ChangeAction = Field(description="`change_plan`, `add_add_on` or `remove_add_on`.")
    plan: str = Field("", max_length=40, description="For `change_plan`: the plan's code.")
    add_on: str = Field("", max_length=40, description="For the add-on actions: its code.")


class OrderIn(ChangeIn):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{**CHANGE_EXAMPLE, "fingerprint": "5f1c0a9e2b7d4c36"}]}
    )

    fingerprint: str | None = Field(
        None,
        max_length=64,
        description=(
            "The preview's `fingerprint`: the order is refused (`preview_stale`) when the "
            "money or the dates differ from what the preview showed."
        ),
    )


class OrdersQuery(AccountQuery):
    pass


class PreviewLineOut(Schema):
    kind: str = Field(description="`recurring`, `discount`, `proration`, `tax`...")
    category: str
    description: str = Field(description="The line in words, with its dates.")
    period_start: dt.date | None
    period_end: dt.date | None
    quantity: int
    amount: MoneyOut


class EquipmentChangeOut(Schema):
    model_code: str
    model_name: str
    delivery: str = Field(description="`ship` or `install` (by appointment).")
    monthly_rental: MoneyOut
    replaces: str
    replaces_monthly_rental: MoneyOut
    sentence: str


class PreviewOut(Schema):
    account: AccountRefOut
    service: int
    service_label: str
    action: str
    plan: str
    add_on: str
    from_name: str
    to_name: str
    effective_on: dt.date
    timing: str = Field(description="`now` or `cycle_end`.")
    is_upgrade: bool
    monthly_before: MoneyOut = Field(description="The service's regular monthly price now.")
    monthly_after: MoneyOut
    promotion_note: str
    proration_lines: list[PreviewLineOut]
    next_invoice_date: dt.date
    next_invoice_before: MoneyOut
    next_invoice_after: MoneyOut
    next_invoice_lines: list[PreviewLineOut]
    first_full_bill_date: dt.date
    first_full_bill: MoneyOut
    equipment: EquipmentChangeOut | None
    fingerprint: str


class OrderOut(Schema):
    id: int
    kind: str = Field(description="`plan_change`, `add_on_add` or `add_on_remove`.")
    status: str = Field(description="`pending`, `completed` or `cancelled`.")
    service: int
    new_service: int | None = Field(description="The service a plan change created.")
    from_plan: str | None
    to_plan: str | None
    add_on: str | None
    description: str
    effective_on: dt.date
    monthly_before: MoneyOut
    monthly_after: MoneyOut
    equipment_note: str
    placed_at: dt.datetime
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    can_cancel: bool


class OrdersOut(Schema):
    account: AccountRefOut
    orders: list[OrderOut]


class RefusedOut(Schema):
    """A change that cannot be made: ``code`` says which rule, ``errors`` the field."""

    detail: str
    code: str
    errors: list[FieldErrorOut]


class OrderDetailOut(OrderOut):
    """One order as its web page shows it."""

    may_cancel: bool = Field(
        description="Whether the caller may cancel it now: it is still waiting for its "
        "day, and the caller is the holder or an authorized user the holder allowed to "
        "change services."
    )
