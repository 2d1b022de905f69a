from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dropline.api.schemas import AccountQuery, AccountRefOut


class ConnectionCheckQuery(AccountQuery):
    pass


class FindingOut(Schema):
    code: str = Field(
        description="What was noticed: `account_suspended`, `outage`, `maintenance`, "
        "`maintenance_upcoming`, `restarting`, `equipment_unreachable`, `device_offline`, "
        "`signal_out_of_range`, `recent_restarts`, `slow_speed_test`, ..."
    )
    text: str
    equipment_id: int | None = None
    outage_id: int | None = None
    at: dt.datetime | None = None


class BookingHintOut(Schema):
    reason: str = Field(
        description="The visit's reason as `GET /appointments/windows?reason=` and "
        "`POST /appointments` take it: `repair`."
    )
    details: str = Field(description="What the check found, in words, for the visit's details.")


class ConnectionCheckOut(Schema):
    account: AccountRefOut
    verdict: str = Field(
        description="`all_fine`, `account_suspended`, `account_closed`, `not_installed`, "
        "`outage`, `maintenance`, `restarting`, `equipment_unreachable`, `modem_offline`, "
        "`router_offline`, `signal_out_of_range`, `receiver_offline`, "
        "`restarts_not_helping` or `slow_speed`."
    )
    headline: str
    detail: str
    next_step: str = Field(
        description="`wait` (with `eta` and `outage_id`, or `equipment_id` for a restart "
        "still running), `restart` (`equipment_id`), `check_cables` (`equipment_id`), "
        "`pay_bill`, `book_visit` (with `reason`) or `none`."
    )
    equipment_id: int | None = None
    outage_id: int | None = None
    eta: dt.datetime | None = None
    reason: str | None = Field(
        None,
        description="For `book_visit`: `offline_after_restart`, `signal_out_of_range` or "
        "`restarts_not_helping`.",
    )
    reason_text: str = ""
    visit_reason: str | None = Field(
        None, description="For `book_visit`: the visit reason to book with, `repair`."
    )
    booking: BookingHintOut | None = Field(
        None, description="For `book_visit`: what to book the visit with."
    )
    findings: list[FindingOut]


class TooManyChecksOut(Schema):
    detail: str
    retry_after: int = Field(description="Seconds to wait before checking again.")
