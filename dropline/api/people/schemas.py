"""Input and output of the people on an account (``dropline.api.people.routes``).
Lengths match the web forms; what is wrong beyond that, the domain says."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountRefOut


class AccountQuery(Schema):
    account: str | None = Field(
        None,
        max_length=40,
        description="The account number, from `/me`'s `accounts`; the first one if left out.",
    )


class PersonOut(Schema):
    id: int = Field(description="The membership's id, for removing the person.")
    name: str
    username: str
    role: str = Field(description="`holder` or `authorized`.")
    may_change_services: bool = Field(
        description="Whether the person may change plans and add-ons: always for the holder, "
        "for an authorized user when the holder allowed it."
    )
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
    email: str = Field(max_length=254, description="Where the one-time code is emailed.")


class MemberChangeIn(Schema):
    may_change_services: bool = Field(
        description="Let this authorized user change plans and add-ons (true) or not (false)."
    )
