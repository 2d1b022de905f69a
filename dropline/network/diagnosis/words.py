"""The connection check's answer in plain words, English or Spanish: a headline, a
detail that says what to do, the reason a technician would need, and a sentence per
finding. Devices are named by what they are ("your modem"), times with the one
formatter; no codes reach the customer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.core.formatting import display_datetime
from dropline.network.diagnosis.diagnose import (
    Answer,
    Finding,
    FindingCode,
    NextStep,
    Verdict,
    VisitReason,
)
from dropline.network.diagnosis.facts import DeviceFacts, Facts, OutageFacts


@dataclass(frozen=True, slots=True)
class Explanation:
    headline: str
    detail: str
    reason: str  # book a visit: why, for the technician; else ""
    findings: tuple[str, ...]


def _device_words(kind: str) -> str:
    words = {
        "gateway": _("your gateway"),
        "modem": _("your modem"),
        "router": _("your Wi-Fi router"),
        "receiver": _("your TV receiver"),
        "phone": _("your phone"),
    }
    return words.get(kind, _("your equipment"))


def _sentence(words: str) -> str:
    """``words`` to start a sentence: its first letter a capital, the rest as it was."""
    return words[:1].upper() + words[1:]


def _device(facts: Facts, equipment_id: int | None) -> DeviceFacts | None:
    return next((d for d in facts.devices if d.equipment_id == equipment_id), None)


def _outage(facts: Facts, outage_id: int | None) -> OutageFacts | None:
    everything = facts.outages + facts.upcoming_maintenance
    return next((o for o in everything if o.outage_id == outage_id), None)


def _named(facts: Facts, equipment_id: int | None) -> str:
    device = _device(facts, equipment_id)
    return _device_words(device.kind if device else "")


def signal_words(problem: str) -> str:
    words = {
        "downstream_power_low": _("the signal coming in is too weak"),
        "downstream_power_high": _("the signal coming in is too strong"),
        "snr_low": _("the signal coming in is noisy"),
        "upstream_power_high": _("the signal going out has to be sent too strong to be heard"),
        "upstream_power_low": _("the signal going out is too weak"),
    }
    return words.get(problem, _("the signal is out of range"))


def _eta_words(eta: dt.datetime | None, now: dt.datetime) -> str:
    if eta is None:
        return _("We don't have an estimate yet; we post updates on the outages page.")
    if eta <= now:
        return _(
            "We expected it fixed by %(eta)s and it is taking longer; "
            "we post a new estimate on the outages page."
        ) % {"eta": display_datetime(eta)}
    return _("We expect it fixed by %(eta)s.") % {"eta": display_datetime(eta)}


def _wait(answer: Answer, facts: Facts) -> tuple[str, str]:
    outage = _outage(facts, answer.outage_id)
    title = outage.title if outage else ""
    if answer.verdict == Verdict.MAINTENANCE:
        headline = _("Planned maintenance is under way in your area")
        if answer.eta is None:
            end = _("We don't know yet when it will be over; we post updates on the outages page.")
        else:
            end = _("Service should be back by %(eta)s.") % {"eta": display_datetime(answer.eta)}
    else:
        headline = _("There is an outage in your area")
        end = _eta_words(answer.eta, facts.now)
    detail = " ".join(
        part
        for part in (
            _("We know about it and are working on it: %(title)s.") % {"title": title}
            if title
            else _("We know about it and are working on it."),
            end,
            _("There is no need to restart your equipment."),
        )
        if part
    )
    return headline, detail


def _restarting(answer: Answer, facts: Facts) -> tuple[str, str]:
    device = _named(facts, answer.equipment_id)
    headline = _("%(device)s is restarting") % {"device": _sentence(device)}
    if answer.eta is None:
        detail = _("It should be back in a few minutes. Check again once it is.")
    else:
        detail = _("It should be back by %(eta)s. Check again once it is.") % {
            "eta": display_datetime(answer.eta)
        }
    return headline, detail


def _offline(answer: Answer, facts: Facts) -> tuple[str, str]:
    device = _named(facts, answer.equipment_id)
    if answer.next_step == NextStep.BOOK_VISIT:
        return (
            _("%(device)s is still offline after a restart") % {"device": _sentence(device)},
            _(
                "It was restarted and has not come back online. A technician should take "
                "a look: contact us to book a visit."
            ),
        )
    return (
        _("%(device)s is offline") % {"device": _sentence(device)},
        _(
            "We can't reach it. Check that it is plugged in and its lights are on, and that "
            "the cable from the wall outlet is screwed in tight. Then unplug it for 30 "
            "seconds, plug it back in and check again in a few minutes."
        ),
    )


def _signal(answer: Answer, facts: Facts) -> tuple[str, str]:
    device = _device(facts, answer.equipment_id)
    named = _device_words(device.kind if device else "")
    problems = "; ".join(signal_words(p) for p in (device.signal_problems if device else ()))
    headline = _("The signal to %(device)s is out of range") % {"device": named}
    said = _("%(device)s is online, but %(problems)s.") % {
        "device": _sentence(named),
        "problems": problems or signal_words(""),
    }
    if answer.next_step == NextStep.BOOK_VISIT:
        todo = _(
            "A restart did not fix it, so a technician should check the line: contact us "
            "to book a visit."
        )
    else:
        todo = _(
            "Check that the cable from the wall outlet is screwed in tight at both ends and "
            "take out any splitter you added, then check again."
        )
    return headline, f"{said} {todo}"


def _headline_and_detail(answer: Answer, facts: Facts) -> tuple[str, str]:
    verdict = answer.verdict
    if verdict == Verdict.ACCOUNT_CLOSED:
        return (
            _("This account is closed"),
            _(
                "There is no service on a closed account to check. "
                "If that is not right, contact us."
            ),
        )
    if verdict == Verdict.ACCOUNT_SUSPENDED:
        return (
            _("Your service is suspended for an unpaid balance"),
            _(
                "Your services are off until the balance is paid. Pay your bill and they "
                "come back on once the payment goes through."
            ),
        )
    if verdict == Verdict.NOT_INSTALLED:
        return (
            _("Your service is not installed yet"),
            _(
                "Your service starts once it is installed. "
                "If your installation date has passed, contact us."
            ),
        )
    if verdict in (Verdict.OUTAGE, Verdict.MAINTENANCE):
        return _wait(answer, facts)
    if verdict == Verdict.RESTARTING:
        return _restarting(answer, facts)
    if verdict == Verdict.EQUIPMENT_UNREACHABLE:
        device = _named(facts, answer.equipment_id)
        return (
            _("We can't see your equipment right now"),
            _(
                "Our equipment-status system is not answering, so we can't check your "
                "devices from here. Check that %(device)s is plugged in, its lights are on "
                "and its cables are tight. If it still doesn't work, unplug it for 30 "
                "seconds and plug it back in."
            )
            % {"device": device},
        )
    if verdict == Verdict.MODEM_OFFLINE:
        return _offline(answer, facts)
    if verdict == Verdict.ROUTER_OFFLINE:
        return (
            _("Your Wi-Fi router is offline"),
            _(
                "Your modem is online, so the internet reaches your home, but your router "
                "is not connected. Check the router's power and the cable between the modem "
                "and the router."
            ),
        )
    if verdict == Verdict.SIGNAL_OUT_OF_RANGE:
        return _signal(answer, facts)
    if verdict == Verdict.RECEIVER_OFFLINE:
        return (
            _("Your TV receiver is offline"),
            _("Check that it is plugged in and its lights are on, and that its cable is tight."),
        )
    if verdict == Verdict.RESTARTS_NOT_HELPING:
        restarted = _device(facts, answer.equipment_id)
        count = restarted.restarts_recently if restarted else 0
        return (
            _("Restarting is not fixing it"),
            ngettext(
                "%(device)s was restarted %(count)d time in the last day. Everything looks "
                "right from here now; if you still have trouble, a technician should take "
                "a look: contact us to book a visit.",
                "%(device)s was restarted %(count)d times in the last day. Everything looks "
                "right from here now; if you still have trouble, a technician should take "
                "a look: contact us to book a visit.",
                count,
            )
            % {"device": _sentence(_named(facts, answer.equipment_id)), "count": count},
        )
    if verdict == Verdict.SLOW_SPEED:
        return _slow(answer, facts)
    return (
        _("Everything looks fine from here"),
        _(
            "Your account, your equipment and your area all look right. If pages are slow, "
            "run a speed test. On Wi-Fi, move closer to your gateway or try a cable."
        ),
    )


def _slow(answer: Answer, facts: Facts) -> tuple[str, str]:
    test = facts.speed_test
    parts = []
    if test is not None and test.plan_download_mbps:
        parts.append(
            _("It measured %(measured)s Mbps down; your plan is %(plan)s Mbps.")
            % {"measured": test.download_kbps // 1000, "plan": test.plan_download_mbps}
        )
    if answer.next_step == NextStep.RESTART:
        parts.append(
            _("Restart %(device)s, then run the speed test again.")
            % {"device": _named(facts, answer.equipment_id)}
        )
    else:
        parts.append(
            _("Unplug your modem for 30 seconds, plug it back in, then run the speed test again.")
        )
    if test is not None and test.on_wifi:
        parts.append(
            _("That test ran over Wi-Fi: for the next one, sit near your gateway or use a cable.")
        )
    return _("Your last speed test was slow"), " ".join(parts)


def reason_words(reason: VisitReason | None) -> str:
    words = {
        VisitReason.OFFLINE_AFTER_RESTART: _("Modem offline, still offline after a restart"),
        VisitReason.SIGNAL_OUT_OF_RANGE: _("Signal out of range, not fixed by a restart"),
        VisitReason.RESTARTS_NOT_HELPING: _("Trouble continues after several restarts in a day"),
    }
    return words.get(reason, "") if reason else ""


def finding_words(finding: Finding, facts: Facts) -> str:
    code = finding.code
    device = _named(facts, finding.equipment_id)
    at = display_datetime(finding.at) if finding.at else ""
    if code == FindingCode.ACCOUNT_CLOSED:
        return _("The account is closed.")
    if code == FindingCode.ACCOUNT_SUSPENDED:
        return _("Your services are suspended for an unpaid balance.")
    if code == FindingCode.NOT_INSTALLED:
        return _("Your service is waiting for installation.")
    if code in (FindingCode.OUTAGE, FindingCode.MAINTENANCE, FindingCode.MAINTENANCE_UPCOMING):
        outage = _outage(facts, finding.outage_id)
        title = outage.title if outage else ""
        if code == FindingCode.MAINTENANCE_UPCOMING:
            return _("Maintenance planned in your area from %(start)s: %(title)s.") % {
                "start": at,
                "title": title,
            }
        if code == FindingCode.MAINTENANCE:
            return _("Maintenance under way in your area: %(title)s.") % {"title": title}
        return _("Outage in your area: %(title)s.") % {"title": title}
    if code == FindingCode.RESTARTING:
        return _("%(device)s is restarting.") % {"device": _sentence(device)}
    if code == FindingCode.EQUIPMENT_UNREACHABLE:
        return _("We could not ask your equipment for its status.")
    if code == FindingCode.DEVICE_OFFLINE:
        return _("%(device)s is offline.") % {"device": _sentence(device)}
    if code == FindingCode.SIGNAL_OUT_OF_RANGE:
        problems = "; ".join(signal_words(p) for p in finding.problems)
        return _("Signal to %(device)s: %(problems)s.") % {"device": device, "problems": problems}
    if code == FindingCode.RECENT_RESTARTS:
        return ngettext(
            "%(device)s was restarted %(count)d time in the last day.",
            "%(device)s was restarted %(count)d times in the last day.",
            finding.count,
        ) % {"device": _sentence(device), "count": finding.count}
    return _("Your speed test on %(when)s was well below your plan's speed.") % {"when": at}


def explain(answer: Answer, facts: Facts, *, language: str) -> Explanation:
    """``answer`` in words, in ``language`` ("en" or "es")."""
    with translation.override(language):
        headline, detail = _headline_and_detail(answer, facts)
        return Explanation(
            headline=headline,
            detail=detail,
            reason=reason_words(answer.reason),
            findings=tuple(finding_words(finding, facts) for finding in answer.findings),
        )
