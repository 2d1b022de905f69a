"""Running the troubleshooter: starting a run, answering its steps (restarting a device
for real through ``network.restarting``), ending it, and linking the visit booked at its
end. Each write is one transaction with the run's row locked.

What the run knows is read fresh each time (``network.diagnosis.gather``: the account,
the outages in its area, the equipment's live status, the latest speed test) and the
next step is ``flows.next_step``'s. A step that ends the run is recorded the moment it is
reached, with its outcome; the visit's outcome waits for the booking (``record_visit``).
A run not ended a day after it started is left unfinished (``abandoned``) the next time
anyone looks at it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import clock, ratelimit
from dropline.customers.models import CustomerAccount
from dropline.field.models import Appointment
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import TroubleshootingOutcome, TroubleshootingRun
from dropline.helpdesk.troubleshooting import checklists
from dropline.helpdesk.troubleshooting.flows import next_step
from dropline.helpdesk.troubleshooting.queries import history, run_for
from dropline.helpdesk.troubleshooting.steps import (
    ENDS,
    PROBLEMS,
    Phase,
    Reply,
    Situation,
    Step,
    StepKind,
    Taken,
)
from dropline.network import restarting
from dropline.network.diagnosis.facts import Facts
from dropline.network.diagnosis.gather import gather
from dropline.network.errors import DeviceActionError, RestartLimitError
from dropline.network.models import DeviceAction, DeviceActionKind, Equipment, Outage
from dropline.network.queries import equipment_for

# Each start asks device management about every device on the account, as the
# connection check does: a few an hour is plenty for a person.
STARTS_PER_ACCOUNT = ratelimit.Limit.per("troubleshooter:account", 10, dt.timedelta(hours=1))
# A run not ended this long after it started is left unfinished when looked at.
ABANDON_AFTER = dt.timedelta(days=1)
# A run is a few steps; one answered this many times ("I ran the test", again and again)
# is stopped rather than grown without end.
MAX_STEPS = 40
TV = "tv"

OUTCOMES = {
    StepKind.FIXED: TroubleshootingOutcome.FIXED,
    StepKind.OUTAGE: TroubleshootingOutcome.OUTAGE,
    StepKind.PAY_BILL: TroubleshootingOutcome.PAY_BILL,
    StepKind.ARTICLE: TroubleshootingOutcome.ARTICLE,
}


class TooManyStartsError(SupportError):
    """The account's starts ran out for now; ``retry_after`` says for how long."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = retry_after
        super().__init__(
            _("You have started several times in the last hour. Try again in a few minutes."),
            code="limit",
        )

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds()))


@dataclass(frozen=True)
class Current:
    """Where a run stands: its step (None once left unfinished), the steps taken, what
    was found now (None for a run that has ended) and the restart the step is about."""

    run: TroubleshootingRun
    step: Step | None
    taken: list[Taken]
    facts: Facts | None
    restart: DeviceAction | None


# --- reading what is known --------------------------------------------------------------


def _tv_outage_ids(facts: Facts) -> frozenset[int]:
    """The outages on now in the area that touch TV (no services named: all of them)."""
    ids = [outage.outage_id for outage in facts.outages]
    if not ids:
        return frozenset()
    kinds = Outage.objects.filter(pk__in=ids).values_list("pk", "service_kinds")
    return frozenset(pk for pk, services in kinds if not services or TV in services)


def _situation(run: TroubleshootingRun, language: str = "en") -> Situation:
    facts = gather(account=run.account, language=language)
    return Situation(facts=facts, started_at=run.started_at, tv_outage_ids=_tv_outage_ids(facts))


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _result(step: Step) -> dict[str, Any]:
    """What the step found, as plain JSON values (read back by ``flows`` and ``words``)."""
    result: dict[str, Any] = {}
    if step.equipment_id is not None:
        result |= {
            "equipment_id": step.equipment_id,
            "device_kind": step.device_kind,
            "device_status": step.device_status,
        }
    if step.outage_id is not None:
        result |= {"outage_id": step.outage_id, "maintenance": step.maintenance}
    if step.eta is not None:
        result["eta"] = _iso(step.eta)
    if step.article:
        result["article"] = step.article
    if step.visit is not None:
        result["visit"] = step.visit.value
    if step.note:
        result["note"] = step.note.value
    test = step.speed_test
    if test is not None:
        result |= {
            "speed_test_at": _iso(test.ran_at),
            "download_kbps": test.download_kbps,
            "upload_kbps": test.upload_kbps,
            "plan_download_mbps": test.plan_download_mbps,
            "on_wifi": test.on_wifi,
        }
    return result


def _entry(step: Step, *, at: dt.datetime, answer: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "step": step.kind.value,
        "phase": step.phase.value,
        "answer": answer,
        "at": at.isoformat(),
        "result": _result(step) | extra,
    }


def _has_ended(run: TroubleshootingRun) -> bool:
    if run.outcome:
        return True
    taken = history(run)
    return bool(taken) and taken[-1].step == StepKind.BOOK_VISIT


# --- writes -----------------------------------------------------------------------------


def _locked(account: CustomerAccount, run_id: int) -> TroubleshootingRun | None:
    return (
        TroubleshootingRun.objects.select_for_update()
        .select_related("account")
        .filter(account=account, pk=run_id)
        .first()
    )


def _close(run: TroubleshootingRun, outcome: str, *, now: dt.datetime) -> None:
    run.outcome = outcome
    run.ended_at = now
    run.save(update_fields=["outcome", "ended_at", "steps"])


def _stale(run: TroubleshootingRun, now: dt.datetime) -> bool:
    return not run.outcome and now - run.started_at >= ABANDON_AFTER


def _advance(run: TroubleshootingRun, situation: Situation, *, now: dt.datetime) -> Step:
    """The next step; one that ends the run is recorded now (once), with its outcome."""
    taken = history(run)
    step = next_step(run.problem, situation, taken)
    if not step.ends or (taken and taken[-1].step == step.kind):
        return step
    run.steps = [*run.steps, _entry(step, at=now)]
    outcome = OUTCOMES.get(step.kind)
    if outcome is not None:
        _close(run, outcome, now=now)
    else:
        run.save(update_fields=["steps"])
    return step


def start(*, account: CustomerAccount, person: User | None, problem: str) -> TroubleshootingRun:
    """Start a run for ``problem`` on ``account`` (already scoped to ``person``) and take
    it to its first step. Raises ``SupportError`` for an unknown problem and
    ``TooManyStartsError`` past ``STARTS_PER_ACCOUNT``."""
    if problem not in PROBLEMS:
        raise SupportError(_("Choose what is wrong."), code="invalid", field="problem")
    try:
        ratelimit.enforce(STARTS_PER_ACCOUNT, f"account:{account.pk}")
    except ratelimit.ThrottledError as exc:
        raise TooManyStartsError(exc.retry_after) from exc
    now = clock.now()
    with transaction.atomic():
        run = TroubleshootingRun.objects.create(
            account=account, person=person, problem=problem, steps=[], started_at=now
        )
        _advance(run, _situation(run), now=now)
    return run


def _restart(account: CustomerAccount, person: User | None, equipment_id: int) -> DeviceAction:
    device: Equipment | None = equipment_for(account=account).filter(pk=equipment_id).first()
    if device is None:
        raise SupportError(_("That device is no longer on your account."), code="not_found")
    try:
        return restarting.restart(equipment=device, user=person)
    except RestartLimitError as exc:
        raise SupportError(exc.message, code="limit") from exc
    except DeviceActionError as exc:
        raise SupportError(exc.message, code="unavailable") from exc


def _ticked(step: Step, ticked: Sequence[str]) -> list[str]:
    known = checklists.items_for(step)
    unknown = [item for item in ticked if item not in known]
    if unknown:
        raise SupportError(_("Tick only the checks shown."), code="invalid", field="ticked")
    return [item for item in known if item in ticked]


def answer(
    *,
    account: CustomerAccount,
    person: User | None,
    run_id: int,
    step: str,
    answer: str,
    ticked: Sequence[str] = (),
) -> TroubleshootingRun:
    """Answer the run's current step ``step`` with ``answer`` (and the checklist items
    ``ticked``), do what it asks (a restart), record it and move on. Refused with a
    ``SupportError`` when the run is not the account's (``not_found``), has ended
    (``closed``), has moved on to another step or does not take that answer
    (``moved_on``), or the restart cannot be done (``limit``, ``unavailable``); then
    nothing is written."""
    now = clock.now()
    with transaction.atomic():
        run = _locked(account, run_id)
        if run is None:
            raise SupportError(_("There is no such troubleshooting."), code="not_found")
        if _stale(run, now):
            _close(run, TroubleshootingOutcome.ABANDONED, now=now)
        if _has_ended(run):
            raise SupportError(
                _("This troubleshooting has ended. Start again if you still need help."),
                code="closed",
            )
        if len(run.steps) >= MAX_STEPS:
            raise SupportError(
                _("This troubleshooting has gone on for many steps. Start again."), code="limit"
            )
        situation = _situation(run)
        current = next_step(run.problem, situation, history(run))
        if step != current.kind.value or answer not in {reply.value for reply in current.answers}:
            raise SupportError(
                _("That step has moved on. Here is where things stand now."),
                code="moved_on",
                field="answer",
            )
        extra: dict[str, Any] = {}
        if current.phase == Phase.CHECKLIST:
            extra["ticked"] = _ticked(current, ticked)
        if current.kind == StepKind.RESTART and answer == Reply.RESTART:
            assert current.equipment_id is not None
            action = _restart(account, person, current.equipment_id)
            extra |= {"action_id": action.pk, "action_status": action.status}
            situation = _situation(run)
        run.steps = [*run.steps, _entry(current, at=now, answer=answer, **extra)]
        run.save(update_fields=["steps"])
        _advance(run, situation, now=now)
    return run


def finish(
    *, account: CustomerAccount, run_id: int, outcome: str = TroubleshootingOutcome.ABANDONED
) -> TroubleshootingRun | None:
    """End the account's run ``run_id`` with ``outcome`` (by default: left unfinished) if
    it is still open; another account's run is None."""
    if outcome not in TroubleshootingOutcome.values:
        raise SupportError(_("Choose how it ended."), code="invalid", field="outcome")
    with transaction.atomic():
        run = _locked(account, run_id)
        if run is not None and not run.outcome:
            _close(run, outcome, now=clock.now())
    return run


def record_visit(*, account: CustomerAccount, run_id: int, appointment: Appointment) -> None:
    """The visit booked from the run's end: the run ends with the outcome ``visit`` and
    links the appointment. Another account's run (or appointment) is ignored."""
    if appointment.account_id != account.pk:
        return
    with transaction.atomic():
        run = _locked(account, run_id)
        if run is None or run.appointment_id is not None:
            return
        run.appointment = appointment
        run.outcome = TroubleshootingOutcome.VISIT
        run.ended_at = clock.now()
        run.save(update_fields=["appointment", "outcome", "ended_at"])


def _restart_action(step: Step | None) -> DeviceAction | None:
    """The restart a restart step is about: the one running, or the last one."""
    if step is None or step.kind != StepKind.RESTART or step.equipment_id is None:
        return None
    if step.phase not in (Phase.WAITING, Phase.ASK):
        return None
    return (
        DeviceAction.objects.filter(equipment_id=step.equipment_id, kind=DeviceActionKind.RESTART)
        .order_by("-requested_at", "-id")
        .first()
    )


def look(*, account: CustomerAccount, run_id: int, language: str = "en") -> Current | None:
    """Where the account's run ``run_id`` stands now, for its page; None when it is not
    the account's. Reads what is known afresh; a step reached that ends the run is
    recorded, and a run a day old is left unfinished."""
    found = run_for(account, run_id)
    if found is None:
        return None
    now = clock.now()
    if not _has_ended(found):
        with transaction.atomic():
            run = _locked(account, run_id)
            assert run is not None
            if _stale(run, now):
                _close(run, TroubleshootingOutcome.ABANDONED, now=now)
            if not _has_ended(run):
                situation = _situation(run, language)
                step = _advance(run, situation, now=now)
                return Current(
                    run=run,
                    step=step,
                    taken=history(run),
                    facts=situation.facts,
                    restart=_restart_action(step),
                )
        found = run
    taken = history(found)
    last: Step | None = None
    if taken and taken[-1].step in ENDS:
        last = next_step(found.problem, _no_situation(found), taken)
    return Current(run=found, step=last, taken=taken, facts=None, restart=None)


def _no_situation(run: TroubleshootingRun) -> Situation:
    """An ended run's step comes from its own record; nothing is read for it."""
    return Situation(facts=Facts(now=run.started_at, account_status=""), started_at=run.started_at)
