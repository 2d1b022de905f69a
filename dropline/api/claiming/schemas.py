"""Input and output of getting a login (``dropline.api.claiming.routes``). Lengths match
the web forms; what is wrong beyond that, the domain says."""

from __future__ import annotations

from ninja import Field, Schema

from dropline.api.schemas import AccountRefOut
from dropline.core.limits import MAX_PASSWORD_LENGTH


class NewLoginIn(Schema):
    """The login the person is creating."""

    username: str = Field(
        max_length=150, description="Letters, digits and @ . + - _ only. Email works too."
    )
    email: str = Field(
        max_length=254, description="A code to confirm it is emailed before the account opens."
    )
    password: str = Field(max_length=MAX_PASSWORD_LENGTH, description="At least 12 characters.")


class AccountDetailsIn(Schema):
    """What is printed on the bill."""

    account_number: str = Field(
        max_length=40, description="12 digits, at the top of the bill. Spaces and dashes are fine."
    )
    postal_code: str = Field(max_length=10, description="The service address's ZIP code.")
    last_name: str = Field(
        max_length=100, description="The account holder's last name, as on the bill."
    )


class ClaimIn(AccountDetailsIn, NewLoginIn):
    """Claiming an account and creating the login in one step."""


class CodeIn(Schema):
    code: str = Field(
        max_length=40,
        description="Like DRPL-7KQ4-MZ2X-H9TB. Upper or lower case, with or without dashes.",
    )


class RedeemIn(CodeIn, NewLoginIn):
    """Redeeming an invitation code and creating the login in one step."""


class TooManyAttemptsOut(Schema):
    detail: str
    retry_after: int = Field(description="Seconds to wait before trying again.")


class JoinedOut(Schema):
    """The account just added to the signed-in person's login."""

    account: AccountRefOut
