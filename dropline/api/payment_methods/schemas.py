"""Saved payment methods for the app: listed, collected at the gateway, added by token,
removed, made the default."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import CHECKED_NOT_BLANK, AccountQuery, FieldErrorOut


class MethodsQuery(AccountQuery):
    pass


class MethodOut(Schema):
    id: int
    kind: str = Field(description="`card` or `bank_account`.")
    brand: str = Field(description="visa, mastercard, amex, discover; a bank account's bank.")
    last4: str
    exp_month: int | None
    exp_year: int | None
    holder_name: str
    is_default: bool
    gateway: str


class MethodsOut(Schema):
    items: list[MethodOut]


class MethodIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"token": "pm_card_visa", "make_default": True}]}
    )

    account: str | None = Field(None, max_length=40, description="The account number.")
    token: str = Field(
        max_length=128,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="The gateway's token for the method the app collected.",
    )
    make_default: bool = False


class SetupOut(Schema):
    gateway: str = Field(description="`simulator` or `stripe`: which collector to show.")
    client_secret: str = Field(description="Stripe's SetupIntent secret, or the simulator's key.")
    publishable_key: str


class MethodRefusedOut(Schema):
    """A change that cannot be made: ``code`` says which rule, ``errors`` the field."""

    detail: str
    code: str
    errors: list[FieldErrorOut]
