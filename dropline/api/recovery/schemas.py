"""Input and output schemas of getting back in without the password
(``dropline.api.recovery.routes``)."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import CHECKED_NOT_BLANK
from dropline.core.limits import MAX_PASSWORD_LENGTH

# Bounds on what is read at all; the domain's own checks say what is wrong within them
# (a blank one too: 400 naming the field, in the caller's language).
MAX_TEXT = 254


class ResetByEmailIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "maria.rivera@example.com"}]}
    )

    email: str = Field(max_length=MAX_TEXT, json_schema_extra=CHECKED_NOT_BLANK)


class ResetByTextIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"identifier": "maria.rivera"}]})

    identifier: str = Field(
        max_length=MAX_TEXT,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="Username, email or mobile.",
    )


class ResetWithCodeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "identifier": "maria.rivera",
                    "code": "428913",
                    "password": "correct horse battery staple",
                }
            ]
        }
    )

    identifier: str = Field(
        max_length=MAX_TEXT,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="What was typed when asking: for an emailed code, the email.",
    )
    code: str = Field(
        max_length=20, json_schema_extra=CHECKED_NOT_BLANK, description="The 6-digit code."
    )
    password: str = Field(
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra={"minLength": 1},
        description="The new password.",
    )


class ReminderIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"address": "maria.rivera@example.com"}]}
    )

    address: str = Field(
        max_length=MAX_TEXT,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="A verified email or mobile number.",
    )


class AcceptedOut(Schema):
    detail: str


class ThrottledOut(Schema):
    detail: str
    retry_after: int
