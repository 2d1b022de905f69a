"""Input and output schemas of the security settings API (``dropline.api.security.routes``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from dropline.api.schemas import CHECKED_NOT_BLANK, Id
from dropline.identity.security_events.activity import MAX_PAGES


class ActivityQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGES, description="1 is the newest page.")


class ActivityEventOut(Schema):
    id: int
    at: dt.datetime
    kind: str = Field(description="The event's kind, e.g. `sign_in`, `sign_in_failed`.")
    description: str = Field(description="What happened, in the person's language.")
    failed: bool = Field(description="A failed attempt, a lockout or a rate limit.")
    new_device: bool = Field(description="A sign-in from a device never seen before.")
    device: str = Field(description='Browser and system, e.g. "Chrome on Windows".')
    this_device: bool = Field(description="Done from the device that is asking.")
    ip: str | None


class ActivityPageOut(Schema):
    events: list[ActivityEventOut] = Field(description="Newest first.")
    page: int
    previous_page: int | None
    next_page: int | None
    older_not_listed: bool = Field(
        description=f"Older events exist beyond page {MAX_PAGES}, the last one listed."
    )
    this_device: str = Field(description="The asking device as named in `device`, if known.")
    time_zone: str = Field(description="The provider's time zone, in which the web shows times.")


class FactorOut(Schema):
    method: str = Field(
        description="`totp` (authenticator app), `webauthn` (passkey) or `sms` (text message)."
    )
    id: int = Field(description="allauth's authenticator id; for `sms`, Dropline's factor id.")
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    is_default: bool = Field(description="Asked for first at sign-in.")
    passwordless: bool | None = Field(
        None, description="Passkeys only: also signs in without a password."
    )


class RecoveryCodesOut(Schema):
    left: int = Field(description="Unused codes.")
    total: int = Field(description="How many a new set has.")
    viewable: bool = Field(
        description="allauth's `GET .../authenticators/recovery-codes` can still show them "
        "(they are shown once)."
    )


class NumberOut(Schema):
    contact_id: int
    number: str = Field(description="For display.")
    receives_codes: bool = Field(description="Sign-in codes go to this number now.")


class SecondFactorsOut(Schema):
    factors: list[FactorOut] = Field(description="Oldest first; none of the recovery codes.")
    default_method: str | None = Field(description="The method asked for first; null with none.")
    recovery_codes: RecoveryCodesOut | None = Field(description="Null when none are set up.")
    text_message_numbers: list[NumberOut] = Field(
        description="The person's confirmed mobile numbers that can receive sign-in codes."
    )


class DefaultMethodIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"method": "totp"}]})

    method: str = Field(
        max_length=16,
        json_schema_extra=CHECKED_NOT_BLANK,
        description="One of the person's methods: `totp`, `webauthn` or `sms`.",
    )


class TextMessageIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"contact_id": 12}]})

    contact_id: Id = Field(description="One of the person's confirmed mobile numbers.")


class WarningOut(Schema):
    title: str
    text: str


class TextMessageFactorOut(Schema):
    factor: FactorOut
    warning: WarningOut = Field(description="Shown with the choice, as on the web page.")


class RemoveIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"confirm_last": False}]})

    confirm_last: StrictBool = Field(
        False,
        description="`true` to remove the last second factor: the account is then "
        "protected by the password alone.",
    )


# Sessions and devices ------------------------------------------------------------------------


class SessionOut(Schema):
    id: int = Field(description="End it with `DELETE /security/sessions/{id}`.")
    device: str = Field(description='Browser and system in words, e.g. "Safari on iPhone".')
    browser: str = Field(description="The browser or app named by its User-Agent; empty if not.")
    os: str = Field(description="The system named by its User-Agent; empty if not known.")
    user_agent: str
    ip: str = Field(description="The address it signed in from.")
    first_seen: dt.datetime = Field(description="When it signed in.")
    last_seen: dt.datetime
    this_device: bool = Field(
        description="The session asking: the app's session token, or this browser's session."
    )


class TrustedBrowsersOut(Schema):
    this_browser_trusted_until: dt.datetime | None = Field(
        description="Until when the browser asking skips the second factor at sign-in; null "
        "when it is not trusted (always for the app, which has no trusted-browser cookie)."
    )


class SessionsOut(Schema):
    sessions: list[SessionOut] = Field(
        description="The session asking first, then the most recently seen."
    )
    others: int = Field(description="How many sessions `end-others` would end.")
    trusted_browsers: TrustedBrowsersOut | None = Field(
        description="Null when trusting a browser means nothing for the person (no second "
        "factor): the web page then leaves the section out."
    )


class EndedSessionsOut(Schema):
    ended: list[SessionOut] = Field(description="The sessions just ended; empty when none.")
