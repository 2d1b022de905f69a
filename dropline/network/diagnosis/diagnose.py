"""The connection check's decision: from what Dropline knows (``Facts``) to one answer
with one next step. Pure: no database, no clock, no device; the words are ``words.py``'s.

The order, first match wins (each rule is a function below, in ``RULES``):

1. The account: closed (nothing to check), suspended or its services suspended for an
   unpaid balance (pay the bill), not installed yet. Nothing on the network matters
   while the provider itself has the service off.
2. An outage in the area that affects internet: wait, with its ETA, and "tell me when
   it's fixed". It outranks every piece of equipment advice: restarting or re-plugging
   during an outage fixes nothing and costs the customer a restart.
3. Planned maintenance affecting internet going on now: wait for the end of its window.
4. A restart still running on any device: wait until it is back. Never "restart" then.
5. Device management cannot be asked: Dropline cannot see the equipment, so check that
   it has power and its cables are in (nothing remote would work either).
6. The modem or gateway offline: check its power and cable; already restarted in the
   last day and still offline: book a technician visit.
7. A router offline while the modem is online: the cable between them.
8. The modem or gateway online with its signal out of range: check the cable from the
   wall (splitters, loose connectors); already restarted in the last day and still out
   of range: book a visit.
9. An outage or maintenance now that affects other services only (TV, phone): wait.
10. A TV receiver offline: its power and cable.
11. Two or more restarts of the modem or gateway in the last day, though everything now
    looks right: restarts are not fixing it, book a visit.
12. A slow speed test in the last two days, not followed by a restart: restart the
    modem or gateway (when it can be restarted from here).
13. Everything looks fine: what to try (a speed test, Wi-Fi).

``findings`` lists everything noticed, whatever the verdict, so the page can say "we
also noticed" and a later booking page can carry it to the technician.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from dropline.network.diagnosis.facts import (
    HOME_NETWORK_KINDS,
    RESTARTS_BEFORE_VISIT,
    SPEED_TEST_RECENT,
    DeviceFacts,
    DeviceStatus,
    Facts,
    OutageFacts,
)

CLOSED = "closed"
SUSPENDED = "suspended"
PENDING = "pending"
RECEIVER = "receiver"
PHONE = "phone"


class Verdict(StrEnum):
    ACCOUNT_CLOSED = "account_closed"
    ACCOUNT_SUSPENDED = "account_suspended"
    NOT_INSTALLED = "not_installed"
    OUTAGE = "outage"
    MAINTENANCE = "maintenance"
    RESTARTING = "restarting"
    EQUIPMENT_UNREACHABLE = "equipment_unreachable"
    MODEM_OFFLINE = "modem_offline"
    ROUTER_OFFLINE = "router_offline"
    SIGNAL_OUT_OF_RANGE = "signal_out_of_range"
    RECEIVER_OFFLINE = "receiver_offline"
    RESTARTS_NOT_HELPING = "restarts_not_helping"
    SLOW_SPEED = "slow_speed"
    ALL_FINE = "all_fine"


class NextStep(StrEnum):
    WAIT = "wait"  # with an ETA when known, and the outage to watch
    RESTART = "restart"  # with the equipment to restart
    CHECK_CABLES = "check_cables"  # with the equipment to look at
    PAY_BILL = "pay_bill"
    BOOK_VISIT = "book_visit"  # with a reason
    NONE = "none"


class VisitReason(StrEnum):
    OFFLINE_AFTER_RESTART = "offline_after_restart"
    SIGNAL_OUT_OF_RANGE = "signal_out_of_range"
    RESTARTS_NOT_HELPING = "restarts_not_helping"


class FindingCode(StrEnum):
    ACCOUNT_CLOSED = "account_closed"
    ACCOUNT_SUSPENDED = "account_suspended"
    NOT_INSTALLED = "not_installed"
    OUTAGE = "outage"
    MAINTENANCE = "maintenance"
    MAINTENANCE_UPCOMING = "maintenance_upcoming"
    RESTARTING = "restarting"
    EQUIPMENT_UNREACHABLE = "equipment_unreachable"
    DEVICE_OFFLINE = "device_offline"
    SIGNAL_OUT_OF_RANGE = "signal_out_of_range"
    RECENT_RESTARTS = "recent_restarts"
    SLOW_SPEED_TEST = "slow_speed_test"


@dataclass(frozen=True, slots=True)
class Finding:
    code: FindingCode
    equipment_id: int | None = None
    outage_id: int | None = None
    at: dt.datetime | None = None  # an ETA, a start, when a test ran
    problems: tuple[str, ...] = ()  # signal problem codes
    count: int = 0  # restarts


@dataclass(frozen=True, slots=True)
class Answer:
    verdict: Verdict
    next_step: NextStep
    equipment_id: int | None = None  # restart / check cables: which device
    outage_id: int | None = None  # wait: the outage or maintenance to watch
    eta: dt.datetime | None = None  # wait: when it should be over, when known
    reason: VisitReason | None = None  # book a visit: why
    findings: tuple[Finding, ...] = ()


# --- what is there ---------------------------------------------------------------------


def _checked(facts: Facts) -> list[DeviceFacts]:
    """The devices at the premises (mobile phones are not on this connection)."""
    return [device for device in facts.devices if device.kind != PHONE]


def _internet_devices(facts: Facts) -> list[DeviceFacts]:
    return [device for device in _checked(facts) if device.brings_internet]


def _restart_target(facts: Facts) -> DeviceFacts | None:
    """The modem or gateway a restart from here would reach: online and managed."""
    if not facts.device_management_available:
        return None
    online = [d for d in _internet_devices(facts) if d.status == DeviceStatus.ONLINE]
    online.sort(key=lambda d: (d.kind != "gateway", d.equipment_id))
    return online[0] if online else None


def _wait_for(outages: list[OutageFacts]) -> tuple[OutageFacts, dt.datetime | None]:
    """The outage to watch and when it should all be over: none with an unknown ETA
    makes the whole ETA unknown; else the latest one."""
    unknown = [outage for outage in outages if outage.eta is None]
    if unknown:
        return unknown[0], None
    latest = max(outages, key=lambda outage: (outage.eta, -outage.outage_id))
    return latest, latest.eta


def _wait(verdict: Verdict, outages: list[OutageFacts]) -> Answer:
    outage, eta = _wait_for(outages)
    return Answer(verdict=verdict, next_step=NextStep.WAIT, outage_id=outage.outage_id, eta=eta)


# --- the rules, in order ---------------------------------------------------------------


def _account(facts: Facts) -> Answer | None:
    if facts.account_status == CLOSED:
        return Answer(verdict=Verdict.ACCOUNT_CLOSED, next_step=NextStep.NONE)
    if facts.account_status == SUSPENDED or facts.services_suspended:
        return Answer(verdict=Verdict.ACCOUNT_SUSPENDED, next_step=NextStep.PAY_BILL)
    if facts.account_status == PENDING:
        return Answer(verdict=Verdict.NOT_INSTALLED, next_step=NextStep.NONE)
    return None


def _internet_outage(facts: Facts) -> Answer | None:
    found = [o for o in facts.outages if o.affects_internet and not o.maintenance]
    return _wait(Verdict.OUTAGE, found) if found else None


def _internet_maintenance(facts: Facts) -> Answer | None:
    found = [o for o in facts.outages if o.affects_internet and o.maintenance]
    return _wait(Verdict.MAINTENANCE, found) if found else None


def _restarting(facts: Facts) -> Answer | None:
    running = [d for d in _checked(facts) if d.status == DeviceStatus.RESTARTING]
    if not running:
        return None
    device = max(running, key=lambda d: (d.restart_expected_at or facts.now, d.equipment_id))
    return Answer(
        verdict=Verdict.RESTARTING,
        next_step=NextStep.WAIT,
        equipment_id=device.equipment_id,
        eta=device.restart_expected_at,
    )


def _unreachable(facts: Facts) -> Answer | None:
    if facts.device_management_available or not _checked(facts):
        return None
    internet = _internet_devices(facts)
    return Answer(
        verdict=Verdict.EQUIPMENT_UNREACHABLE,
        next_step=NextStep.CHECK_CABLES,
        equipment_id=internet[0].equipment_id if internet else None,
    )


def _modem_offline(facts: Facts) -> Answer | None:
    offline = [d for d in _internet_devices(facts) if d.status == DeviceStatus.OFFLINE]
    if not offline:
        return None
    device = offline[0]
    if device.restarts_recently:
        return Answer(
            verdict=Verdict.MODEM_OFFLINE,
            next_step=NextStep.BOOK_VISIT,
            equipment_id=device.equipment_id,
            reason=VisitReason.OFFLINE_AFTER_RESTART,
        )
    return Answer(
        verdict=Verdict.MODEM_OFFLINE,
        next_step=NextStep.CHECK_CABLES,
        equipment_id=device.equipment_id,
    )


def _router_offline(facts: Facts) -> Answer | None:
    if not any(d.status == DeviceStatus.ONLINE for d in _internet_devices(facts)):
        return None
    offline = [
        d
        for d in _checked(facts)
        if d.kind in HOME_NETWORK_KINDS and d.status == DeviceStatus.OFFLINE
    ]
    if not offline:
        return None
    return Answer(
        verdict=Verdict.ROUTER_OFFLINE,
        next_step=NextStep.CHECK_CABLES,
        equipment_id=offline[0].equipment_id,
    )


def _signal(facts: Facts) -> Answer | None:
    weak = [
        d for d in _internet_devices(facts) if d.status == DeviceStatus.ONLINE and d.signal_problems
    ]
    if not weak:
        return None
    device = weak[0]
    if device.restarts_recently:
        return Answer(
            verdict=Verdict.SIGNAL_OUT_OF_RANGE,
            next_step=NextStep.BOOK_VISIT,
            equipment_id=device.equipment_id,
            reason=VisitReason.SIGNAL_OUT_OF_RANGE,
        )
    return Answer(
        verdict=Verdict.SIGNAL_OUT_OF_RANGE,
        next_step=NextStep.CHECK_CABLES,
        equipment_id=device.equipment_id,
    )


def _other_outage(facts: Facts) -> Answer | None:
    outages = [o for o in facts.outages if not o.maintenance]
    if outages:
        return _wait(Verdict.OUTAGE, outages)
    if facts.outages:
        return _wait(Verdict.MAINTENANCE, list(facts.outages))
    return None


def _receiver_offline(facts: Facts) -> Answer | None:
    offline = [
        d for d in _checked(facts) if d.kind == RECEIVER and d.status == DeviceStatus.OFFLINE
    ]
    if not offline:
        return None
    return Answer(
        verdict=Verdict.RECEIVER_OFFLINE,
        next_step=NextStep.CHECK_CABLES,
        equipment_id=offline[0].equipment_id,
    )


def _restarts_not_helping(facts: Facts) -> Answer | None:
    many = [d for d in _internet_devices(facts) if d.restarts_recently >= RESTARTS_BEFORE_VISIT]
    if not many:
        return None
    return Answer(
        verdict=Verdict.RESTARTS_NOT_HELPING,
        next_step=NextStep.BOOK_VISIT,
        equipment_id=many[0].equipment_id,
        reason=VisitReason.RESTARTS_NOT_HELPING,
    )


def _slow_test(facts: Facts) -> bool:
    """A slow test recent enough to speak for now, with no restart of the modem or
    gateway since (a restart after it may have fixed it: test again)."""
    test = facts.speed_test
    if test is None or not test.slow or facts.now - test.ran_at > SPEED_TEST_RECENT:
        return False
    return not any(
        d.last_restart_at is not None and d.last_restart_at > test.ran_at
        for d in _internet_devices(facts)
    )


def _slow_speed(facts: Facts) -> Answer | None:
    if not _slow_test(facts):
        return None
    target = _restart_target(facts)
    if target is None:
        return Answer(verdict=Verdict.SLOW_SPEED, next_step=NextStep.NONE)
    return Answer(
        verdict=Verdict.SLOW_SPEED, next_step=NextStep.RESTART, equipment_id=target.equipment_id
    )


RULES: tuple[Callable[[Facts], Answer | None], ...] = (
    _account,
    _internet_outage,
    _internet_maintenance,
    _restarting,
    _unreachable,
    _modem_offline,
    _router_offline,
    _signal,
    _other_outage,
    _receiver_offline,
    _restarts_not_helping,
    _slow_speed,
)


# --- everything noticed ----------------------------------------------------------------


def findings(facts: Facts) -> tuple[Finding, ...]:
    found: list[Finding] = []
    if facts.account_status == CLOSED:
        found.append(Finding(code=FindingCode.ACCOUNT_CLOSED))
    elif facts.account_status == SUSPENDED or facts.services_suspended:
        found.append(Finding(code=FindingCode.ACCOUNT_SUSPENDED))
    elif facts.account_status == PENDING:
        found.append(Finding(code=FindingCode.NOT_INSTALLED))
    for outage in facts.outages:
        code = FindingCode.MAINTENANCE if outage.maintenance else FindingCode.OUTAGE
        found.append(Finding(code=code, outage_id=outage.outage_id, at=outage.eta))
    if not facts.device_management_available and _checked(facts):
        found.append(Finding(code=FindingCode.EQUIPMENT_UNREACHABLE))
    for device in _checked(facts):
        if device.status == DeviceStatus.RESTARTING:
            found.append(
                Finding(
                    code=FindingCode.RESTARTING,
                    equipment_id=device.equipment_id,
                    at=device.restart_expected_at,
                )
            )
        elif device.status == DeviceStatus.OFFLINE:
            found.append(Finding(code=FindingCode.DEVICE_OFFLINE, equipment_id=device.equipment_id))
        if device.signal_problems and device.status == DeviceStatus.ONLINE:
            found.append(
                Finding(
                    code=FindingCode.SIGNAL_OUT_OF_RANGE,
                    equipment_id=device.equipment_id,
                    problems=device.signal_problems,
                )
            )
        if device.restarts_recently:
            found.append(
                Finding(
                    code=FindingCode.RECENT_RESTARTS,
                    equipment_id=device.equipment_id,
                    count=device.restarts_recently,
                    at=device.last_restart_at,
                )
            )
    if _slow_test(facts) and facts.speed_test is not None:
        found.append(Finding(code=FindingCode.SLOW_SPEED_TEST, at=facts.speed_test.ran_at))
    for outage in facts.upcoming_maintenance:
        found.append(
            Finding(
                code=FindingCode.MAINTENANCE_UPCOMING,
                outage_id=outage.outage_id,
                at=outage.starts_at,
            )
        )
    return tuple(found)


def diagnose(facts: Facts) -> Answer:
    """The one answer for ``facts``: the first rule in ``RULES`` that has something to
    say, else everything looks fine; with everything noticed on the way."""
    noticed = findings(facts)
    for rule in RULES:
        answer = rule(facts)
        if answer is not None:
            return replace(answer, findings=noticed)
    return Answer(verdict=Verdict.ALL_FINE, next_step=NextStep.NONE, findings=noticed)
