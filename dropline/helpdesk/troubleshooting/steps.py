"""The troubleshooter's vocabulary, shared by the flow, the runs and the words: the
problems, the kinds of step and their phases, the answers, why a visit is booked, the
articles a run ends in, and the plain values a step is made of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dropline.network.diagnosis.facts import Facts, SpeedTestFacts

INTERNET_DOWN = "internet_down"
INTERNET_SLOW = "internet_slow"
TV_NO_PICTURE = "tv_no_picture"
PROBLEMS = (INTERNET_DOWN, INTERNET_SLOW, TV_NO_PICTURE)
INTERNET_PROBLEMS = frozenset({INTERNET_DOWN, INTERNET_SLOW})

RECEIVER = "receiver"


class StepKind(StrEnum):
    OUTAGE = "outage"
    PAY_BILL = "pay_bill"
    RESTART = "restart"
    CHECK_CABLES = "check_cables"
    SPEED_TEST = "speed_test"
    TV_CHECKS = "tv_checks"
    FIXED = "fixed"
    ARTICLE = "article"
    BOOK_VISIT = "book_visit"


ENDS = frozenset(
    {StepKind.OUTAGE, StepKind.PAY_BILL, StepKind.FIXED, StepKind.ARTICLE, StepKind.BOOK_VISIT}
)


class Phase(StrEnum):
    END = "end"  # a step that ends the run
    OFFER = "offer"  # restart: what it does, and the button
    WAITING = "waiting"  # restart: running, until the device is back
    ASK = "ask"  # restart: "Is it working now?"
    CHECKLIST = "checklist"  # cables, TV: things to tick, then "Is it working now?"
    RUN = "run"  # speed test: run one and come back
    RESULT = "result"  # speed test: what it measured


class Reply(StrEnum):
    RESTART = "restart"  # restart it now
    SKIP = "skip"  # restart: done by hand; speed test: no test
    YES = "yes"  # it works now
    NO = "no"  # it still does not
    DONE = "done"  # speed test: I ran it
    RETEST = "retest"  # speed test: again, with a cable
    ARTICLE = "article"  # read the article


class Note(StrEnum):
    """Why a step is shown, when the page says so."""

    NONE = ""
    SLOW_TEST = "slow_test"  # restart: a speed test was slow
    NO_NEW_TEST = "no_new_test"  # speed test: "I ran it" but none since
    ACCOUNT_CLOSED = "account_closed"
    NOT_INSTALLED = "not_installed"
    RESTARTED_ALREADY = "restarted_already"  # restart running, started elsewhere


class VisitCode(StrEnum):
    """Why the run ends in a technician visit (the connection check's reasons first)."""

    OFFLINE_AFTER_RESTART = "offline_after_restart"
    SIGNAL_OUT_OF_RANGE = "signal_out_of_range"
    RESTARTS_NOT_HELPING = "restarts_not_helping"
    RESTART_DID_NOT_HELP = "restart_did_not_help"
    CHECKS_DID_NOT_HELP = "checks_did_not_help"
    STILL_SLOW = "still_slow"
    TV_STILL_DOWN = "tv_still_down"


# Articles the flow ends in (slugs of the shipped help articles).
WIFI_TIPS = "wifi-tips"
SLOW_INTERNET = "slow-internet"
SUPPORT_REQUESTS = "support-requests"
TECHNICIAN_VISITS = "technician-visits"
ARTICLES = frozenset({WIFI_TIPS, SLOW_INTERNET, SUPPORT_REQUESTS, TECHNICIAN_VISITS})


@dataclass(frozen=True, slots=True)
class Taken:
    """A step already taken: what was shown, the answer given (none for an end) and
    what was found then (``result``, plain JSON values)."""

    step: str
    phase: str = ""
    answer: str = ""
    at: dt.datetime | None = None
    result: Mapping[str, Any] = field(default_factory=dict)

    def is_(self, step: StepKind, phase: Phase | None = None) -> bool:
        return self.step == step and (phase is None or self.phase == phase)


@dataclass(frozen=True, slots=True)
class Situation:
    """What the flow decides from: the connection check's facts, when the run started
    and the outages in the area that touch TV (the facts say only whether an outage
    touches internet)."""

    facts: Facts
    started_at: dt.datetime
    tv_outage_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Step:
    kind: StepKind
    phase: Phase = Phase.END
    answers: tuple[Reply, ...] = ()
    equipment_id: int | None = None  # restart, cables, TV checks: which device
    device_kind: str = ""  # its kind, for the words
    device_status: str = ""  # its status now (DeviceStatus value), for the words
    outage_id: int | None = None
    maintenance: bool = False
    eta: dt.datetime | None = None
    article: str = ""  # an article slug
    visit: VisitCode | None = None
    note: Note = Note.NONE
    speed_test: SpeedTestFacts | None = None  # speed test result, or slow test before a restart

    @property
    def ends(self) -> bool:
        return self.kind in ENDS
