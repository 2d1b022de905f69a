"""The guided troubleshooter's order: from the problem, what Dropline knows now (the
connection check's ``Facts``) and the answers so far, the one step to show next. Pure:
no database, no clock, no device; ``running`` reads and writes, ``words`` says it.

Rules, first match wins, whatever the problem:

1. A step that ends the run stays its end (``fixed``, ``outage``, ``pay_bill``,
   ``article``, ``book_visit``).
2. The account, as the connection check orders it: suspended or its services suspended
   (pay the bill); closed or not installed yet (an article, nothing on the network to try).
3. An outage or maintenance on now that touches the problem's service: wait, with its
   ETA. It outranks all equipment advice, even halfway through a run.
4. A restart running on any device: wait until it is back. Never offer a restart then.
5. Answers that settle things: "yes, it works" (fixed); a restart that was asked for or
   done by hand is followed by "Is it working now?", or by a visit when the device did
   not come back; a restart that did not help means a visit.
6. The problem's own flow:

   - **Internet down**: the connection check's visit (restarted and still offline,
     signal out of range after a restart, restarts not helping) is a visit; device
     trouble (offline, signal, the router, equipment out of sight) is the cable
     checklist first; then a restart of the online modem or gateway; then the cables;
     then a visit.
   - **Internet slow**: the connection check's visit and device trouble as above; then a
     speed test run after the troubleshooting started (or after "test again"): as fast
     as the plan (or no plan speeds), "is it fine?"; slow over Wi-Fi, test again with a
     cable or read the Wi-Fi tips; slow with a cable, restart the modem or gateway; no
     restart possible, the slow-internet article.
   - **TV without a picture**: the TV checklist (receiver status, the TV's input, power
     and cables), then a restart of an online receiver, then a visit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from dropline.helpdesk.troubleshooting.steps import (
    ENDS,
    INTERNET_DOWN,
    INTERNET_PROBLEMS,
    INTERNET_SLOW,
    RECEIVER,
    SLOW_INTERNET,
    SUPPORT_REQUESTS,
    TECHNICIAN_VISITS,
    TV_NO_PICTURE,
    WIFI_TIPS,
    Note,
    Phase,
    Reply,
    Situation,
    Step,
    StepKind,
    Taken,
    VisitCode,
)
from dropline.network.diagnosis.diagnose import NextStep, diagnose
from dropline.network.diagnosis.facts import (
    HOME_NETWORK_KINDS,
    INTERNET_KINDS,
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
    SpeedTestFacts,
)
from dropline.network.speed_tests.advice import FINE, UNKNOWN, compare

# --- what is there ----------------------------------------------------------------------


def _device(facts: Facts, equipment_id: int | None) -> DeviceFacts | None:
    return next((d for d in facts.devices if d.equipment_id == equipment_id), None)


def _internet_devices(facts: Facts) -> list[DeviceFacts]:
    return [d for d in facts.devices if d.brings_internet]


def _restart_target(facts: Facts, kinds: frozenset[str]) -> DeviceFacts | None:
    """The device of ``kinds`` a restart from here reaches: online (so managed)."""
    if not facts.device_management_available:
        return None
    online = [d for d in facts.devices if d.kind in kinds and d.status == DeviceStatus.ONLINE]
    online.sort(key=lambda d: (d.kind != "gateway", d.equipment_id))
    return online[0] if online else None


def _on(device: DeviceFacts | None, **values: Any) -> dict[str, Any]:
    if device is None:
        return values
    return {
        "equipment_id": device.equipment_id,
        "device_kind": device.kind,
        "device_status": str(device.status),
        **values,
    }


def _restart_offer(device: DeviceFacts, note: Note = Note.NONE, **values: Any) -> Step:
    return Step(
        kind=StepKind.RESTART,
        phase=Phase.OFFER,
        answers=(Reply.RESTART, Reply.SKIP),
        note=note,
        **_on(device, **values),
    )


def _check_cables(device: DeviceFacts | None) -> Step:
    return Step(
        kind=StepKind.CHECK_CABLES,
        phase=Phase.CHECKLIST,
        answers=(Reply.YES, Reply.NO),
        **_on(device),
    )


def _visit(code: VisitCode, device: DeviceFacts | None = None) -> Step:
    return Step(kind=StepKind.BOOK_VISIT, visit=code, **_on(device))


def _article(slug: str, note: Note = Note.NONE) -> Step:
    return Step(kind=StepKind.ARTICLE, article=slug, note=note)


def _answered(history: Sequence[Taken], step: StepKind) -> list[Taken]:
    return [t for t in history if t.step == step and t.answer]


def _restarted(history: Sequence[Taken]) -> bool:
    """A restart was offered and done (from here or by hand) in this run."""
    return any(t.is_(StepKind.RESTART, Phase.OFFER) for t in _answered(history, StepKind.RESTART))


# --- rules for every problem -------------------------------------------------------------


def _ended(history: Sequence[Taken]) -> Step | None:
    if not history or history[-1].step not in ENDS:
        return None
    last = history[-1].result
    eta = last.get("eta")
    visit = last.get("visit")
    return Step(
        kind=StepKind(history[-1].step),
        equipment_id=last.get("equipment_id"),
        device_kind=last.get("device_kind", ""),
        outage_id=last.get("outage_id"),
        maintenance=bool(last.get("maintenance", False)),
        eta=dt.datetime.fromisoformat(eta) if isinstance(eta, str) else None,
        article=last.get("article", ""),
        visit=VisitCode(visit) if visit else None,
        note=Note(last.get("note", "")),
    )


def _account(problem: str, situation: Situation, history: Sequence[Taken]) -> Step | None:
    facts = situation.facts
    if facts.account_status == "closed":
        return _article(SUPPORT_REQUESTS, Note.ACCOUNT_CLOSED)
    if facts.account_status == "suspended" or facts.services_suspended:
        return Step(kind=StepKind.PAY_BILL)
    if facts.account_status == "pending":
        return _article(TECHNICIAN_VISITS, Note.NOT_INSTALLED)
    return None


def _touches(problem: str, outage: OutageFacts, situation: Situation) -> bool:
    if problem in INTERNET_PROBLEMS:
        return outage.affects_internet
    return outage.outage_id in situation.tv_outage_ids


def _outage(problem: str, situation: Situation, history: Sequence[Taken]) -> Step | None:
    found = [o for o in situation.facts.outages if _touches(problem, o, situation)]
    if not found:
        return None
    outages = [o for o in found if not o.maintenance] or found
    unknown = [o for o in outages if o.eta is None]
    if unknown:
        chosen, eta = unknown[0], None
    else:
        chosen = max(outages, key=lambda o: (o.eta, -o.outage_id))
        eta = chosen.eta
    return Step(
        kind=StepKind.OUTAGE, outage_id=chosen.outage_id, maintenance=chosen.maintenance, eta=eta
    )


def _restart_running(problem: str, situation: Situation, history: Sequence[Taken]) -> Step | None:
    facts = situation.facts
    running = [d for d in facts.devices if d.status == DeviceStatus.RESTARTING]
    if not running:
        return None
    asked = [t.result.get("equipment_id") for t in _answered(history, StepKind.RESTART)]
    mine = [d for d in running if d.equipment_id in asked]
    device = (mine or running)[0]
    return Step(
        kind=StepKind.RESTART,
        phase=Phase.WAITING,
        eta=device.restart_expected_at,
        note=Note.NONE if mine else Note.RESTARTED_ALREADY,
        **_on(device),
    )


def _settled(problem: str, situation: Situation, history: Sequence[Taken]) -> Step | None:
    """What the last answer settles by itself."""
    if not history:
        return None
    last = history[-1]
    if last.answer == Reply.YES:
        return Step(kind=StepKind.FIXED)
    if last.is_(StepKind.RESTART, Phase.OFFER) and last.answer in (Reply.RESTART, Reply.SKIP):
        device = _device(situation.facts, last.result.get("equipment_id"))
        came_back = device is None or device.status != DeviceStatus.OFFLINE
        if last.answer == Reply.RESTART and not came_back:
            return _visit(VisitCode.OFFLINE_AFTER_RESTART, device)
        return Step(
            kind=StepKind.RESTART,
            phase=Phase.ASK,
            answers=(Reply.YES, Reply.NO),
            **_on(device, equipment_id=last.result.get("equipment_id")),
        )
    if last.is_(StepKind.RESTART, Phase.ASK) and last.answer == Reply.NO:
        device = _device(situation.facts, last.result.get("equipment_id"))
        if problem == INTERNET_SLOW:
            return _visit(VisitCode.STILL_SLOW, device)
        if problem == TV_NO_PICTURE:
            return _visit(VisitCode.TV_STILL_DOWN, device)
        return _visit(VisitCode.RESTART_DID_NOT_HELP, device)
    return None


# --- each problem's own flow ---------------------------------------------------------------


_VISITS = {
    "offline_after_restart": VisitCode.OFFLINE_AFTER_RESTART,
    "signal_out_of_range": VisitCode.SIGNAL_OUT_OF_RANGE,
    "restarts_not_helping": VisitCode.RESTARTS_NOT_HELPING,
}


def _connection_trouble(situation: Situation, history: Sequence[Taken]) -> Step | None:
    """The connection check's own verdict on the internet equipment: its visit, or the
    cables when something is off and they have not been checked in this run."""
    facts = situation.facts
    answer = diagnose(facts)
    device = _device(facts, answer.equipment_id)
    if answer.next_step == NextStep.BOOK_VISIT and answer.reason is not None:
        return _visit(_VISITS[answer.reason.value], device)
    internet = device is None or device.kind in INTERNET_KINDS | HOME_NETWORK_KINDS
    if (
        answer.next_step == NextStep.CHECK_CABLES
        and internet
        and not _answered(history, StepKind.CHECK_CABLES)
    ):
        return _check_cables(device)
    return None


def _internet_down(situation: Situation, history: Sequence[Taken]) -> Step:
    facts = situation.facts
    trouble = _connection_trouble(situation, history)
    if trouble is not None:
        return trouble
    if not _restarted(history):
        target = _restart_target(facts, INTERNET_KINDS)
        if target is not None:
            return _restart_offer(target)
    if not _answered(history, StepKind.CHECK_CABLES):
        internet = _internet_devices(facts)
        return _check_cables(internet[0] if internet else None)
    still_offline = [d for d in _internet_devices(facts) if d.status == DeviceStatus.OFFLINE]
    if still_offline and _restarted(history):
        return _visit(VisitCode.OFFLINE_AFTER_RESTART, still_offline[0])
    return _visit(VisitCode.CHECKS_DID_NOT_HELP, still_offline[0] if still_offline else None)


def _test_since(situation: Situation, history: Sequence[Taken]) -> dt.datetime:
    """Tests from this moment on count: the run's start, or the last "test again"."""
    retests = [
        t.at
        for t in _answered(history, StepKind.SPEED_TEST)
        if t.answer == Reply.RETEST and t.at is not None
    ]
    return max([situation.started_at, *retests])


def _slow_after_test(
    situation: Situation, history: Sequence[Taken], test: SpeedTestFacts | None
) -> Step:
    """A slow test with a cable, or none: restart the modem or gateway if that is still
    to try, else the slow-internet article (or a visit after a restart)."""
    target = _restart_target(situation.facts, INTERNET_KINDS)
    if not _restarted(history) and target is not None:
        return _restart_offer(target, Note.SLOW_TEST if test else Note.NONE, speed_test=test)
    if _restarted(history):
        return _visit(VisitCode.STILL_SLOW, target)
    return _article(SLOW_INTERNET)


def _internet_slow(situation: Situation, history: Sequence[Taken]) -> Step:
    facts = situation.facts
    trouble = _connection_trouble(situation, history)
    if trouble is not None:
        return trouble
    last = history[-1] if history else None
    if last is not None and last.is_(StepKind.SPEED_TEST, Phase.RESULT):
        if last.answer == Reply.ARTICLE:
            return _article(WIFI_TIPS)
        if last.answer == Reply.NO:
            return _article(WIFI_TIPS if last.result.get("on_wifi") else SLOW_INTERNET)
    skipped = last is not None and last.is_(StepKind.SPEED_TEST) and last.answer == Reply.SKIP
    if _restarted(history) or skipped:
        return _slow_after_test(situation, history, None)
    test = facts.speed_test
    if test is None or test.ran_at < _test_since(situation, history):
        waited = (
            last is not None
            and last.is_(StepKind.SPEED_TEST, Phase.RUN)
            and last.answer == Reply.DONE
        )
        note = Note.NO_NEW_TEST if waited else Note.NONE
        return Step(
            kind=StepKind.SPEED_TEST,
            phase=Phase.RUN,
            answers=(Reply.DONE, Reply.SKIP),
            note=note,
        )
    verdict = compare(test.download_kbps, test.plan_download_mbps)
    if verdict in (FINE, UNKNOWN):
        return Step(
            kind=StepKind.SPEED_TEST,
            phase=Phase.RESULT,
            answers=(Reply.YES, Reply.NO),
            speed_test=test,
        )
    if test.on_wifi:
        return Step(
            kind=StepKind.SPEED_TEST,
            phase=Phase.RESULT,
            answers=(Reply.RETEST, Reply.ARTICLE),
            speed_test=test,
        )
    return _slow_after_test(situation, history, test)


def _tv_no_picture(situation: Situation, history: Sequence[Taken]) -> Step:
    facts = situation.facts
    receivers = [d for d in facts.devices if d.kind == RECEIVER]
    receivers.sort(key=lambda d: (d.status != DeviceStatus.OFFLINE, d.equipment_id))
    receiver = receivers[0] if receivers else None
    if not _answered(history, StepKind.TV_CHECKS):
        return Step(
            kind=StepKind.TV_CHECKS,
            phase=Phase.CHECKLIST,
            answers=(Reply.YES, Reply.NO),
            **_on(receiver),
        )
    if not _restarted(history):
        target = _restart_target(facts, frozenset({RECEIVER}))
        if target is not None:
            return _restart_offer(target)
    return _visit(VisitCode.TV_STILL_DOWN, receiver)


Rule = Callable[[str, Situation, Sequence[Taken]], Step | None]
RULES: tuple[Rule, ...] = (_account, _outage, _restart_running, _settled)
FLOWS: dict[str, Callable[[Situation, Sequence[Taken]], Step]] = {
    INTERNET_DOWN: _internet_down,
    INTERNET_SLOW: _internet_slow,
    TV_NO_PICTURE: _tv_no_picture,
}


def next_step(problem: str, situation: Situation, history: Sequence[Taken]) -> Step:
    """The step to show now for ``problem``, given ``situation`` and the steps taken."""
    if problem not in FLOWS:
        raise ValueError(f"unknown problem {problem!r}")
    ended = _ended(history)
    if ended is not None:
        return ended
    for rule in RULES:
        step = rule(problem, situation, history)
        if step is not None:
            return step
    return FLOWS[problem](situation, history)
