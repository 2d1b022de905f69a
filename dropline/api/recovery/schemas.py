"""Input and output schemas of getting back in without the password
(``dropline.api.recovery.routes``)."""

from __future__ import annotations

from ninja import Field, Schema

from dropline.core.limits import MAX_PASSWORD_LENGTH

# Bounds on what is read at all; the domain's own checks say what is wrong within them.
MAX_TEXT = 254


class ResetByEmailIn(Schema):
    email: str = Field(max_length=MAX_TEXT)


class ResetByTextIn(Schema):
    identifier: str = Field(max_length=MAX_TEXT, description="Username, email or mobile.")


class ResetWithCodeIn(Schema):
    identifier: str = Field(
        max_length=MAX_TEXT,
        description="What was typed when asking: for an emailed code, the email.",
    )
    code: str = Field(max_length=20)
    password: str = Field(max_length=MAX_PASSWORD_LENGTH, description="The new password.")


class ReminderIn(Schema):
    address: str = Field(max_length=MAX_TEXT, description="A verified email or mobile number.")


class AcceptedOut(Schema):
    detail: str


class ThrottledOut(Schema):
    detail: str
    retry_after: int
