"""A run's story in words: each step taken as a sentence for the run page, and what was
tried, for the technician a visit is booked with (the booking page's details)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dropline.helpdesk.troubleshooting.phrases import (
    checklist_item,
    device_words,
    problem_words,
    visit_words,
)
from dropline.helpdesk.troubleshooting.steps import (
    INTERNET_SLOW,
    TV_NO_PICTURE,
    Phase,
    Reply,
    Step,
    StepKind,
    Taken,
)

# What is booked for the technician is a text field of this size.
DETAILS_LIMIT = 2000


def _answer_words(problem: str, taken: Taken) -> str:
    """How it went after a step, in a few words."""
    works = taken.answer == Reply.YES
    if problem == INTERNET_SLOW:
        return _("faster") if works else _("still slow")
    if problem == TV_NO_PICTURE:
        return _("the picture is back") if works else _("still no picture")
    return _("it works") if works else _("still not working")


def _taken(problem: str, taken: Taken) -> str:
    result = taken.result
    device = device_words(str(result.get("device_kind", "")))
    step, phase, answer = taken.step, taken.phase, taken.answer
    if step == StepKind.RESTART and phase == Phase.OFFER:
        if answer == Reply.RESTART:
            return _("Restarted %(device)s from here.") % {"device": device}
        return _("You restarted %(device)s yourself.") % {"device": device}
    if step == StepKind.RESTART:
        return _("After the restart: %(answer)s.") % {"answer": _answer_words(problem, taken)}
    if step in (StepKind.CHECK_CABLES, StepKind.TV_CHECKS):
        ticked = result.get("ticked") or []
        done = "; ".join(
            checklist_item(code, str(result.get("device_kind", ""))).rstrip(".")
            for code in ticked
            if isinstance(code, str)
        )
        what = (
            _("Checked the TV and receiver")
            if step == StepKind.TV_CHECKS
            else _("Checked the power and cables")
        )
        if done:
            what = f"{what} ({done})"
        return _("%(what)s: %(answer)s.") % {"what": what, "answer": _answer_words(problem, taken)}
    if step == StepKind.SPEED_TEST and phase == Phase.RUN:
        return _("Skipped the speed test.") if answer == Reply.SKIP else _("Ran a speed test.")
    if step == StepKind.SPEED_TEST:
        measured = _("Speed test: %(measured)s Mbps down") % {
            "measured": int(result.get("download_kbps") or 0) // 1000
        }
        if result.get("plan_download_mbps"):
            measured += " " + _("of %(plan)s Mbps") % {"plan": result["plan_download_mbps"]}
        measured += ", " + (
            pgettext("speed test", "over Wi-Fi")
            if result.get("on_wifi")
            else pgettext("speed test", "wired or not sure")
        )
        return f"{measured}."
    return ""


def taken_words(problem: str, steps: Sequence[Taken], *, language: str) -> list[str]:
    """Each answered step as one line, in order (ends are said by the page itself)."""
    with translation.override(language):
        return [line for line in (_taken(problem, t) for t in steps if t.answer) if line]


def booking_details(problem: str, steps: Sequence[Taken], step: Step, *, language: str) -> str:
    """What was tried, in words, for the visit's details: the problem, each step taken
    and why a technician should come."""
    with translation.override(language):
        lines = [problem_words(problem) + "."]
        lines += [line for line in (_taken(problem, t) for t in steps if t.answer) if line]
        reason = visit_words(step.visit, step.device_kind)
        if reason:
            lines.append(reason)
    return " ".join(lines)[:DETAILS_LIMIT]
