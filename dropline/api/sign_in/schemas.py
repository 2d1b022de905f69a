"""Input and output schemas of the text-message sign-in step
(``dropline.api.sign_in.routes``)."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import NOT_BLANK
from dropline.identity import stages


class SecondFactorStepOut(Schema):
    route: stages.Route = Field(
        description="The step the sign-in waits at: `mfa` is allauth's "
        "(authenticator app, passkey or recovery code), `sms` a code by text message."
    )
    routes: list[stages.Route] = Field(description="The steps this person can take.")
    number: str | None = Field(
        description="The mobile number the codes go to, masked; null without one."
    )


class RouteIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"route": "sms"}]})

    route: stages.Route


class SignInCodeSentOut(Schema):
    number: str = Field(description="The mobile number the code went to, masked.")
    expires_in: int = Field(description="Seconds the code works for.")
    resend_after: int = Field(description="Seconds before another code can be asked for.")


class SignInCodeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "428913"}]})

    code: str = Field(
        min_length=1, max_length=16, pattern=NOT_BLANK, description="The 6-digit code."
    )
