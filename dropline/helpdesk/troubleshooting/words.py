"""Each troubleshooting step in plain words, English or Spanish: its headline, what its
check found, what to do, the buttons and the checklist. Devices are named by what they
are ("your gateway"), times with the one formatter; no codes reach the customer. The
steps taken and the visit's details are ``story``'s; the small words ``phrases``'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from dropline.core import clock
from dropline.core.formatting import display_datetime
from dropline.helpdesk.troubleshooting import checklists
from dropline.helpdesk.troubleshooting.phrases import (
    article_title,
    checklist_item,
    device_words,
    sentence,
    visit_words,
)
from dropline.helpdesk.troubleshooting.steps import (
    INTERNET_SLOW,
    TV_NO_PICTURE,
    WIFI_TIPS,
    Note,
    Phase,
    Reply,
    Step,
    StepKind,
)
from dropline.network import restarting
from dropline.network.diagnosis.facts import DeviceStatus, Facts
from dropline.network.models import DeviceAction, DeviceActionStatus
from dropline.network.speed_tests.advice import FINE, UNKNOWN, compare


@dataclass(frozen=True, slots=True)
class StepWords:
    headline: str
    detail: str
    checks: tuple[str, ...] = ()  # what the checks found now, a sentence each
    buttons: dict[str, str] = field(default_factory=dict)  # answer code -> label
    checklist: tuple[tuple[str, str], ...] = ()  # (item code, label)
    link: str = ""  # the label of the step's link (speed test, article, booking), if any


# --- what the checks found -----------------------------------------------------------


def _status_words(kind: str, status: str) -> str:
    device = sentence(device_words(kind))
    if status == DeviceStatus.ONLINE:
        return _("%(device)s is online.") % {"device": device}
    if status == DeviceStatus.OFFLINE:
        return _("%(device)s is offline.") % {"device": device}
    if status == DeviceStatus.RESTARTING:
        return _("%(device)s is restarting.") % {"device": device}
    return _("We can't check %(device)s from here right now.") % {"device": device_words(kind)}


def checks(problem: str, facts: Facts | None) -> tuple[str, ...]:
    """What the checks found now: the account, the area, the devices that matter."""
    if facts is None:
        return ()
    found = []
    if facts.account_status == "active" and not facts.services_suspended:
        found.append(_("Your account is in good standing."))
    if not facts.outages:
        found.append(_("There is no outage or maintenance in your area right now."))
    kinds = ("receiver",) if problem == TV_NO_PICTURE else ("gateway", "modem", "router")
    for device in facts.devices:
        if device.kind in kinds:
            found.append(_status_words(device.kind, device.status))
    return tuple(found)


# --- each step -----------------------------------------------------------------------


def _eta_words(eta: dt.datetime | None, maintenance: bool) -> str:
    if eta is None:
        return _("We don't have an estimate yet; we post updates on the outages page.")
    when = display_datetime(eta)
    if maintenance:
        return _("Service should be back by %(eta)s.") % {"eta": when}
    if eta <= clock.now():
        return _(
            "We expected it fixed by %(eta)s and it is taking longer; "
            "we post a new estimate on the outages page."
        ) % {"eta": when}
    return _("We expect it fixed by %(eta)s.") % {"eta": when}


def _outage(step: Step) -> StepWords:
    headline = (
        _("Planned maintenance is under way in your area")
        if step.maintenance
        else _("There is an outage in your area")
    )
    detail = " ".join(
        (
            _("We know about it and are working on it."),
            _eta_words(step.eta, step.maintenance),
            _("There is no need to restart your equipment."),
        )
    )
    return StepWords(headline=headline, detail=detail)


def _measured(step: Step) -> str:
    test = step.speed_test
    if test is None:
        return ""
    if test.plan_download_mbps:
        return _("Your speed test measured %(measured)s Mbps down; your plan is %(plan)s Mbps.") % {
            "measured": test.download_kbps // 1000,
            "plan": test.plan_download_mbps,
        }
    return _("Your speed test measured %(measured)s Mbps down.") % {
        "measured": test.download_kbps // 1000
    }


def _ask_buttons(problem: str) -> dict[str, str]:
    if problem == INTERNET_SLOW:
        return {Reply.YES: _("Yes, it is faster"), Reply.NO: _("No, still slow")}
    if problem == TV_NO_PICTURE:
        return {Reply.YES: _("Yes, the picture is back"), Reply.NO: _("No, still no picture")}
    return {Reply.YES: _("Yes, it works now"), Reply.NO: _("No, still not working")}


def _restart(problem: str, step: Step, action: DeviceAction | None) -> StepWords:
    device = device_words(step.device_kind)
    if step.phase == Phase.OFFER:
        parts = [
            _measured(step) if step.note == Note.SLOW_TEST else "",
            restarting.restart_effect(step.device_kind),
            _("It then comes back by itself. You don't need to unplug anything."),
        ]
        return StepWords(
            headline=_("Restart %(device)s") % {"device": device},
            detail=" ".join(part for part in parts if part),
            buttons={Reply.RESTART: _("Restart it now"), Reply.SKIP: _("I restarted it myself")},
        )
    if step.phase == Phase.WAITING:
        parts = []
        if step.note == Note.RESTARTED_ALREADY:
            parts.append(_("A restart was already asked for. We wait for it before trying more."))
        if action is not None:
            parts.append(restarting.describe(action))
        elif step.eta is not None:
            parts.append(_("It should be back by %(eta)s.") % {"eta": display_datetime(step.eta)})
        return StepWords(
            headline=_("%(device)s is restarting") % {"device": sentence(device)},
            detail=" ".join(parts),
        )
    if action is not None and action.status == DeviceActionStatus.DONE:
        said = _("%(device)s restarted and is back online.") % {"device": sentence(device)}
    elif action is not None and action.status == DeviceActionStatus.FAILED:
        said = restarting.describe(action)
    else:
        said = _("Once %(device)s is back on, try again.") % {"device": device}
    if problem == INTERNET_SLOW:
        headline = _("Is it faster now?")
        said += " " + _("Run the speed test again to see.")
    elif problem == TV_NO_PICTURE:
        headline = _("Is the picture back?")
    else:
        headline = _("Is it working now?")
    return StepWords(headline=headline, detail=said, buttons=_ask_buttons(problem))


def _checklist(step: Step) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, checklist_item(code, step.device_kind)) for code in checklists.items_for(step)
    )


def _cables(step: Step) -> StepWords:
    device = device_words(step.device_kind)
    if step.device_status == DeviceStatus.OFFLINE:
        found = _("We can't reach %(device)s.") % {"device": device}
    elif step.device_status == DeviceStatus.UNKNOWN:
        found = _("We can't see %(device)s from here right now.") % {"device": device}
    else:
        found = ""
    todo = _("Go through these checks, tick the ones you did, then tell us if it works.")
    return StepWords(
        headline=_("Check the power and cables"),
        detail=f"{found} {todo}".strip(),
        buttons={Reply.YES: _("It works now"), Reply.NO: _("Still not working")},
        checklist=_checklist(step),
    )


def _tv(step: Step) -> StepWords:
    if not step.device_kind:
        found = ""
    elif step.device_status == DeviceStatus.ONLINE:
        found = _("Your TV receiver is online, so the signal reaches it.")
    elif step.device_status == DeviceStatus.OFFLINE:
        found = _("Your TV receiver is offline: start with its power and cables.")
    else:
        found = _("We can't check your TV receiver from here right now.")
    todo = _("Go through these checks, tick the ones you did, then tell us if it works.")
    return StepWords(
        headline=_("Check your TV and receiver"),
        detail=f"{found} {todo}".strip(),
        buttons={Reply.YES: _("The picture is back"), Reply.NO: _("Still no picture")},
        checklist=_checklist(step),
    )


def _speed_test(step: Step) -> StepWords:
    if step.phase == Phase.RUN:
        parts = []
        if step.note == Note.NO_NEW_TEST:
            parts.append(_("We don't see a speed test since you started. Run one, then come back."))
        parts.append(
            _(
                "Open the speed test, run it, then come back here. For the truest result, "
                "use a computer plugged into your gateway with a cable."
            )
        )
        return StepWords(
            headline=_("Run a speed test"),
            detail=" ".join(parts),
            buttons={Reply.DONE: _("I ran the test"), Reply.SKIP: _("Skip the speed test")},
            link=_("Open the speed test"),
        )
    test = step.speed_test
    assert test is not None
    verdict = compare(test.download_kbps, test.plan_download_mbps)
    if verdict in (FINE, UNKNOWN):
        return StepWords(
            headline=_("Your connection is as fast as your plan")
            if verdict == FINE
            else _("Your speed test ran"),
            detail=_measured(step),
            buttons={Reply.YES: _("Good, that's all"), Reply.NO: _("It still feels slow")},
        )
    return StepWords(
        headline=_("Your connection measured slower than your plan."),
        detail=" ".join(
            (
                _measured(step),
                _(
                    "You tested over Wi-Fi, which is often the limit: walls, distance and "
                    "other networks nearby slow it down. Test again with a cable from this "
                    "device to the modem or router, or sitting close to the router."
                ),
            )
        ),
        buttons={Reply.RETEST: _("Test again with a cable"), Reply.ARTICLE: _("Read Wi-Fi tips")},
    )


def _article(step: Step) -> StepWords:
    if step.note == Note.ACCOUNT_CLOSED:
        headline = _("This account is closed")
        detail = _(
            "There is no service on a closed account to check. If that is not right, contact us."
        )
    elif step.note == Note.NOT_INSTALLED:
        headline = _("Your service is not installed yet")
        detail = _(
            "Your service starts once it is installed. "
            "If your installation date has passed, contact us."
        )
    elif step.article == WIFI_TIPS:
        headline = _("Wi-Fi is the likely limit")
        detail = _(
            "Your connection reaches your home at its speed; Wi-Fi loses some of it on the "
            "way to your device. These tips help."
        )
    else:
        headline = _("There are a few more things to try")
        detail = _("Nothing is wrong on our side. This article has more things to try.")
    return StepWords(headline=headline, detail=detail, link=article_title(step.article))


def _visit(step: Step) -> StepWords:
    return StepWords(
        headline=_("Book a technician visit"),
        detail=" ".join(
            (
                visit_words(step.visit, step.device_kind),
                _("A technician should take a look. We filled in what you tried, so they know."),
            )
        ),
        link=_("Choose a time for the visit"),
    )


def step_words(
    problem: str,
    step: Step,
    *,
    facts: Facts | None,
    restart: DeviceAction | None,
    language: str,
) -> StepWords:
    """``step`` of a run for ``problem`` in words, in ``language`` ("en" or "es"), with
    what the checks found now (from ``facts``)."""
    with translation.override(language):
        words = _step(problem, step, restart)
        return StepWords(
            headline=words.headline,
            detail=words.detail,
            checks=checks(problem, facts) if not step.ends else (),
            buttons=words.buttons,
            checklist=words.checklist,
            link=words.link,
        )


def _step(problem: str, step: Step, restart: DeviceAction | None) -> StepWords:
    kind = step.kind
    if kind == StepKind.OUTAGE:
        return _outage(step)
    if kind == StepKind.PAY_BILL:
        return StepWords(
            headline=_("Your service is suspended for an unpaid balance"),
            detail=_(
                "Your services are off until the balance is paid. Pay your bill and they "
                "come back on once the payment goes through."
            ),
            link=_("Pay your bill"),
        )
    if kind == StepKind.RESTART:
        return _restart(problem, step, restart)
    if kind == StepKind.CHECK_CABLES:
        return _cables(step)
    if kind == StepKind.TV_CHECKS:
        return _tv(step)
    if kind == StepKind.SPEED_TEST:
        return _speed_test(step)
    if kind == StepKind.FIXED:
        return StepWords(
            headline=_("Glad it works again"),
            detail=_("If it happens again, come back here or run the connection check."),
        )
    if kind == StepKind.ARTICLE:
        return _article(step)
    return _visit(step)
