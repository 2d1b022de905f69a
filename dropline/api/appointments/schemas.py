"""Input and output of technician visits (``dropline.api.appointments.routes``). Times
are ISO 8601 in UTC; labels are in the caller's language and the provider's time zone."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from dropline.api.schemas import MAX_ID, AccountQuery, AccountRefOut, Id
from dropline.field.models import VisitReason

REASONS = "`repair`, `installation` or `equipment_swap`"
# The visit's reasons, published; the booking's own check refuses any other (400).
REASON_CHOICES: JsonDict = {"enum": list(VisitReason.values)}


class AppointmentsQuery(AccountQuery):
    pass


class WindowsQuery(AccountQuery):
    reason: str = Field(
        "",
        max_length=20,
        json_schema_extra=REASON_CHOICES,
        description=f"What the visit is for: {REASONS} (400 without one).",
    )


class WindowOut(Schema):
    id: int = Field(description="Book it with `POST /appointments` `window_id`.")
    starts_at: dt.datetime = Field(description="The technician arrives from...")
    ends_at: dt.datetime = Field(description="...until.")
    open_places: int
    label: str = Field(description="The window in words.")


class WindowsOut(Schema):
    account: AccountRefOut
    reason: str
    windows: list[WindowOut]


class BookIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"window_id": 42, "reason": "repair", "details": "No signal since Monday"}]
        }
    )

    window_id: Id = Field(description="An open window, from `GET /appointments/windows`.")
    reason: str = Field(max_length=20, json_schema_extra=REASON_CHOICES, description=f"{REASONS}.")
    details: str = Field("", max_length=2000, description="What is wrong, in a few words.")
    run_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Booked from a troubleshooting run's last step (its `booking`): the run "
        "then ends with this visit. Another account's run, or one already ended with a "
        "visit, is left as it is.",
    )


class RescheduleIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"window_id": 43}]})

    window_id: Id = Field(description="The new window, from `GET /appointments/windows`.")


class StepOut(Schema):
    status: str
    label: str
    done: bool


class TrackingOut(Schema):
    status: str = Field(
        description="`scheduled`, `on_the_way`, `arrived`, `completed`, `missed` or `canceled`."
    )
    status_label: str
    eta: str | None = Field(description="Expected arrival (ISO 8601) while on the way.")
    eta_label: str
    technician: str = Field(description="The technician's first name, once assigned.")
    window_label: str
    updated_at: str
    steps: list[StepOut]


class AppointmentOut(Schema):
    id: int
    number: str
    reason: str
    reason_label: str
    details: str
    status: str
    window: WindowOut
    address: str
    can_change: bool = Field(description="Whether it may still be rescheduled or canceled.")
    ics_sequence: int
    created_at: dt.datetime
    canceled_at: dt.datetime | None
    completed_at: dt.datetime | None
    tracking: TrackingOut


class AppointmentsOut(Schema):
    account: AccountRefOut
    appointments: list[AppointmentOut]


class VisitRefusedOut(Schema):
    detail: str
    code: str = Field(description="`full`, `closed`, `past_cutoff`, `already_booked` or `invalid`.")
    field: str = Field(description="The input at fault, when there is one.")
    alternatives: list[WindowOut] = Field(
        description="The nearest open windows to book instead (when full, closed or too soon)."
    )
