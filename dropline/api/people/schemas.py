"""Input and output of the people on an account (``dropline.api.people.routes``).
Lengths match the web forms; what is wrong beyond that, the domain says."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import CHECKED_NOT_BLANK, AccountQuery, AccountRefOut

__all__ = ["AccountQuery"]  # the account asked about, as every feature takes it


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
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "sam@example.com"}]})

    email: str = Field(
        max_length=254,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="Where the one-time code is emailed.",
    )


class MemberChangeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"may_change_services": True}]})

    may_change_services: bool = Field(
        description="Let this authorized user change plans and add-ons (true) or not (false)."
    )
