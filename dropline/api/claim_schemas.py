"""Input and output of getting a login (``claiming.py``) and of the people on an account
(``people.py``). Lengths match the web forms; what is wrong beyond that, the domain says."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountRefOut

MAX_PASSWORD = 1024  # far above the 64 a password manager may use


class NewLoginIn(Schema):
    """The login the person is creating."""

    username: str = Field(
        max_length=150, description="Letters, digits and @ . + - _ only. E-mail works too."
    )
    email: str = Field(
        max_length=254, description="A code to confirm it is e-mailed before the account opens."
    )
    password: str = Field(max_length=MAX_PASSWORD, description="At least 12 characters.")


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


class PersonOut(Schema):
    id: int = Field(description="The membership's id, for removing the person.")
    name: str
    username: str
    role: str = Field(description="`holder` or `authorized`.")
    added_at: dt.datetime
    is_you: bool


class InvitationOut(Schema):
    id: int
    email: str
    created_at: dt.datetime
    expires_at: dt.datetime


class PeopleOut(Schema):
    account: AccountRefOut
    can_manage: bool = Field(description="Whether the caller may invite and remove people.")
    people: list[PersonOut]
    pending_invitations: list[InvitationOut] = Field(
        description="Invitations not used yet; empty unless the caller can manage people."
    )


class InviteIn(Schema):
    email: str = Field(max_length=254, description="Where the one-time code is e-mailed.")
