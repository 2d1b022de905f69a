"""Schemas shared by several API features. Money is integer minor units plus a currency
code; errors name the field and the reason."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from dropline.core.money import Money


class MoneyOut(Schema):
    amount_minor: int
    currency: str
    formatted: str

    @staticmethod
    def of(money: Money) -> MoneyOut:
        return MoneyOut(
            amount_minor=money.amount_minor, currency=money.currency, formatted=money.format()
        )


class AccountQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )


class AccountRefOut(Schema):
    number: str
    name: str
    role: str


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    reason: str


class InvalidInputOut(Schema):
    """Bad input: ``errors`` names each field that was wrong and why."""

    detail: str
    errors: list[FieldErrorOut]


class AllauthMetaOut(Schema):
    is_authenticated: bool | None
    session_token: str | None = Field(
        None, description="Present when the app must use a new token from now on."
    )


class AllauthAuthenticationOut(Schema):
    """allauth headless's authentication answer: ``data.flows`` while a step is pending,
    ``data.user`` and ``data.methods`` once signed in."""

    status: int
    data: dict[str, Any]
    meta: AllauthMetaOut
