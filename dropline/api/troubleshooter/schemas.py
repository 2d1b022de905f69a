"""The guided troubleshooter's shapes for the app (``dropline.api.troubleshooter.routes``):
a run with the steps taken and its current step, in a form an app can draw as the web
page does: the headline and detail, what the checks found, the answers as buttons, a
checklist to tick, and what the step leads to (a speed test, an article, the pay page,
an outage, a technician visit, a restart's progress). Texts are in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from dropline.api.schemas import AccountRefOut
from dropline.helpdesk.troubleshooting import checklists

Problem = Literal["internet_down", "internet_slow", "tv_no_picture"]
Kind = Literal[
    "outage",
    "pay_bill",
    "restart",
    "check_cables",
    "speed_test",
    "tv_checks",
    "fixed",
    "article",
    "book_visit",
]
Answer = Literal["restart", "skip", "yes", "no", "done", "retest", "article"]
ChecklistItem = Literal[
    "power",
    "wall_cable",
    "splitter",
    "power_cycle",
    "router_cable",
    "tv_input",
    "receiver_power",
    "tv_cable",
    "wall_cable_tv",
    "power_cycle_tv",
]
# Every item some checklist has; ``tests/api/troubleshooter`` keeps the two lists equal.
CHECKLIST_ITEMS = frozenset(checklists.CABLES + checklists.ROUTER + checklists.TV)


class RunStartIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"problem": "internet_down"}]})

    problem: Problem = Field(description="What is wrong.", examples=["internet_down"])


class RunAnswerIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"step": "check_cables", "answer": "done", "ticked": ["power", "wall_cable"]}
            ]
        }
    )

    step: Kind = Field(
        description="The `kind` of the step answered: the current one, or 409.",
        examples=["restart"],
    )
    answer: Answer = Field(description="One of the step's `answers`, or 409.", examples=["restart"])
    ticked: list[ChecklistItem] = Field(
        default_factory=list,
        max_length=len(CHECKLIST_ITEMS),
        description="For a checklist step: the `checklist` items done (400 for any other).",
        examples=[["power", "wall_cable"]],
    )


class RunChoiceOut(Schema):
    answer: str = Field(description="Send it as `answer` with the step's `kind` as `step`.")
    label: str = Field(description="The button's words.")


class RunChecklistItemOut(Schema):
    code: str = Field(description="Send the ones done in `ticked`.")
    label: str


class RunDeviceOut(Schema):
    equipment_id: int = Field(description="As in `GET /equipment`.")
    kind: str = Field(description="`gateway`, `modem`, `router` or `receiver`.")
    status: str = Field(description="`online`, `offline`, `restarting` or `unknown`, or empty.")


class RunRestartOut(Schema):
    id: int
    equipment_id: int
    status: str = Field(description="`queued` or `running`.")
    follow: str = Field(
        description="Where to follow it: `GET /equipment/{equipment_id}/restarts/{id}`; "
        "or read the run again, which moves on once the device is back."
    )


class RunMeasuredOut(Schema):
    ran_at: dt.datetime
    download_kbps: int
    upload_kbps: int
    plan_download_mbps: int | None
    on_wifi: bool


class RunOutageOut(Schema):
    outage_id: int = Field(description="As in `GET /outages`.")
    maintenance: bool
    eta: dt.datetime | None = Field(description="The expected end; null while not known.")
    watching: bool = Field(description="The caller is told when it is fixed.")
    may_watch: bool = Field(
        description="It is on now: `POST /outages/{outage_id}/watch` tells the caller when "
        "it is fixed."
    )


class RunArticleOut(Schema):
    slug: str = Field(description="Read it with `GET /help/articles/{slug}`.")
    title: str


class RunBookingOut(Schema):
    reason: str = Field(
        description="The visit's reason as `GET /appointments/windows?reason=` and "
        "`POST /appointments` take it: `repair`."
    )
    details: str = Field(description="The problem, what was tried and why a visit, for `details`.")
    run_id: int = Field(
        description="Send it as `run_id` with `POST /appointments`: the run then ends with "
        "the visit booked."
    )


class RunStepOut(Schema):
    kind: Kind = Field(
        description="`outage`, `pay_bill`, `fixed`, `article` and `book_visit` end the run; "
        "`restart`, `check_cables`, `tv_checks` and `speed_test` take an answer."
    )
    phase: str = Field(
        description="`end`; for `restart`: `offer`, `waiting` (nothing to answer: read the "
        "run again until it moves on), `ask`; `checklist`; for `speed_test`: `run`, `result`."
    )
    ends: bool = Field(description="The run ends here: nothing to answer.")
    headline: str
    detail: str
    checks: list[str] = Field(description="What the checks found now, a sentence each.")
    answers: list[RunChoiceOut] = Field(description="The buttons, the main one first.")
    checklist: list[RunChecklistItemOut] = Field(description="Things to tick, for a checklist.")
    link_label: str = Field(
        description="The words of the step's link (the speed test, the article, paying, "
        "booking), when it has one."
    )
    note: str = Field(
        description="Why the step shows, when it says so: `slow_test`, `no_new_test`, "
        "`account_closed`, `not_installed` (say how to contact the provider), "
        "`restarted_already`; else empty."
    )
    device: RunDeviceOut | None = Field(description="The device the step is about.")
    restart: RunRestartOut | None = Field(description="The restart under way, while waiting.")
    speed_test: RunMeasuredOut | None = Field(
        description="A `speed_test` result, or the slow test a restart is offered for."
    )
    run_speed_test: bool = Field(
        description="Run a speed test and record it (`POST /speed-tests`), then read the run "
        "again: it moves on to the result. `done` says one was run elsewhere; `skip` goes on "
        "without."
    )
    outage: RunOutageOut | None = Field(description="For `outage`.")
    pay: bool = Field(
        description="For `pay_bill`: the services are suspended for an unpaid balance; "
        "`GET /payments/amounts`, then `POST /payments`."
    )
    article: RunArticleOut | None = Field(description="For `article`.")
    visit: str | None = Field(
        description="For `book_visit`: why a technician should come, e.g. "
        "`offline_after_restart`, `restart_did_not_help`, `still_slow`, `tv_still_down`."
    )
    booking: RunBookingOut | None = Field(description="For `book_visit`: what to book it with.")


class RunOut(Schema):
    id: int
    account: AccountRefOut
    problem: str = Field(description="`internet_down`, `internet_slow` or `tv_no_picture`.")
    problem_label: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str = Field(
        description="Empty while under way; `fixed`, `outage`, `pay_bill`, `article`, "
        "`visit` (booked) or `abandoned` (left unfinished a day after it started)."
    )
    taken: list[str] = Field(description="What was tried so far, a sentence each.")
    step: RunStepOut | None = Field(
        description="Where the run stands; null once left unfinished (start again)."
    )


class TooManyStartsOut(Schema):
    detail: str
    retry_after: int = Field(description="Seconds to wait before starting again.")
