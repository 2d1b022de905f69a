"""Schemas shared by several API features. Money is integer minor units plus a currency
code; errors name the field and the reason."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from dropline.core.money import Money
from dropline.core.uploads import EXTENSIONS as UPLOAD_TYPES

# The field an error names when the body as a whole is wrong (not JSON, not an object).
BODY_FIELD = "body"

# Text that must say something: at least one character that is not a space. The
# pattern is JSON Schema's (a search, not a full match), so any text with a visible
# character passes it, as the views' own ``strip()`` checks do.
NOT_BLANK = r"\S"
NonBlank = Annotated[str, StringConstraints(min_length=1, pattern=NOT_BLANK)]
# The same bound on a text the view checks itself, refusing a blank one with 400 naming
# the field in the caller's language: published (``json_schema_extra``) so that a client
# knows, left to the view rather than pydantic's 422.
CHECKED_NOT_BLANK: dict[str, Any] = {"minLength": 1, "pattern": NOT_BLANK}

# Bounds that keep every number a request carries inside the database's integers.
MAX_ID = 2**63 - 1  # the largest key a row can have
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_CENTS = 1_000_000_000  # $10 million: more than any bill or payment
Cents = Annotated[int, Field(ge=1, le=MAX_CENTS)]


def file_download(description: str) -> dict[str, Any]:
    """``openapi_extra`` of an operation answering an uploaded file (PDF, PNG or JPEG, the
    type found in its content) rather than JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {"description": description, "content": dict.fromkeys(UPLOAD_TYPES, binary)}
        }
    }


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
    """A refusal with nothing to name but the reason: not found, not allowed, too many."""

    detail: str


class UnauthorizedOut(Schema):
    """No one is signed in: no session token or browser session, or one that has ended."""

    detail: str = Field(examples=["Unauthorized"])


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
