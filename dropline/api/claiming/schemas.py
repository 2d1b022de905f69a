"""Input and output of getting a login (``dropline.api.claiming.routes``). Lengths match
the web forms; what is wrong beyond that, the domain says."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from dropline.api.schemas import CHECKED_NOT_BLANK, AccountRefOut
from dropline.core.limits import MAX_PASSWORD_LENGTH


class NewLoginIn(Schema):
    """The login the person is creating."""

    username: str = Field(
        max_length=150,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="Letters, digits and @ . + - _ only. Email works too.",
    )
    email: str = Field(
        max_length=254,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="A code to confirm it is emailed before the account opens.",
    )
    password: str = Field(
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra={"minLength": 1},
        description="At least 12 characters.",
    )


class AccountDetailsIn(Schema):
    """What is printed on the bill."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"account_number": "8260-0000-0016", "postal_code": "52240", "last_name": "Rivera"}
            ]
        }
    )

    account_number: str = Field(
        max_length=40,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="12 digits, at the top of the bill. Spaces and dashes are fine.",
    )
    postal_code: str = Field(
        max_length=10,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="The service address's ZIP code.",
    )
    last_name: str = Field(
        max_length=100,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="The account holder's last name, as on the bill.",
    )


NEW_LOGIN_EXAMPLE: JsonDict = {
    "username": "maria.rivera",
    "email": "maria.rivera@example.com",
    "password": "correct horse battery staple",
}
INVITATION_EXAMPLE: JsonDict = {"code": "DRPL-7KQ4-MZ2X-H9TB"}


class ClaimIn(AccountDetailsIn, NewLoginIn):
    """Claiming an account and creating the login in one step."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **NEW_LOGIN_EXAMPLE,
                    "account_number": "826000000016",
                    "postal_code": "52240",
                    "last_name": "Rivera",
                }
            ]
        }
    )


class InvitationCodeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [INVITATION_EXAMPLE]})

    code: str = Field(
        max_length=40,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="Like DRPL-7KQ4-MZ2X-H9TB. Upper or lower case, with or without dashes.",
    )


class RedeemIn(InvitationCodeIn, NewLoginIn):
    """Redeeming an invitation code and creating the login in one step."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**NEW_LOGIN_EXAMPLE, **INVITATION_EXAMPLE}]}
    )


class TooManyAttemptsOut(Schema):
    detail: str
    retry_after: int = Field(description="Seconds to wait before trying again.")


class JoinedOut(Schema):
    """The account just added to the signed-in person's login."""

    account: AccountRefOut
