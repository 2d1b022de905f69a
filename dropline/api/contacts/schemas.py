"""Input and output schemas of the contact endpoints (``dropline.api.contacts.routes``)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from dropline.api.schemas import NOT_BLANK
from dropline.notifications.queries import ContactState

ContactKindName = Literal["email", "phone"]


class ContactOut(Schema):
    id: int
    kind: ContactKindName
    address: str = Field(
        description="As the web page shows it: a mobile number as people write it, "
        "`(319) 555-0142` at home and in international format abroad."
    )
    state: ContactState = Field(
        description="`verified`: in use. `pending`: waiting for the code sent to it. "
        "`undeliverable`: our last message did not arrive. A `pending` or "
        "`undeliverable` address takes a code (`verify`, `code`)."
    )
    primary: bool = Field(description="The address of its kind that is used first.")
    undeliverable_reason: str = Field(
        description="What the provider answered when a message did not arrive; empty "
        "unless `state` is `undeliverable`."
    )


class NewContactOut(ContactOut):
    code_expires_in: int = Field(description="Seconds the code sent to the address works for.")


class ContactCodeSentOut(Schema):
    address: str = Field(description="Where the code went, as `address` in the list.")
    code_expires_in: int = Field(description="Seconds the code works for.")


class AddContactIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "phone", "address": "(319) 555-0142"}]}
    )

    kind: ContactKindName
    address: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=254, pattern=NOT_BLANK),
    ] = Field(description="An email address, or a mobile number as people write it.")


class ContactCodeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "428913"}]})

    code: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=12, pattern=NOT_BLANK),
    ] = Field(description="The 6-digit code from the email or text message.")
