"""The troubleshooter's small words, shared by its steps and its story: the problems,
devices by what they are, checklist items, articles and why a visit is booked."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dropline.helpdesk.troubleshooting.steps import (
    SLOW_INTERNET,
    SUPPORT_REQUESTS,
    TECHNICIAN_VISITS,
    WIFI_TIPS,
    VisitCode,
)
from dropline.network.diagnosis.diagnose import VisitReason
from dropline.network.diagnosis.words import reason_words


def problem_words(problem: str) -> str:
    words = {
        "internet_down": _("My internet is down"),
        "internet_slow": _("My internet is slow"),
        "tv_no_picture": _("My TV has no picture"),
    }
    return words.get(problem, "")


def device_words(kind: str) -> str:
    words = {
        "gateway": _("your gateway"),
        "modem": _("your modem"),
        "router": _("your Wi-Fi router"),
        "receiver": _("your TV receiver"),
    }
    return words.get(kind, _("your equipment"))


def sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def checklist_item(code: str, device_kind: str = "") -> str:
    device = device_words(device_kind or "gateway")
    words = {
        "power": _("%(device)s is plugged in and its lights are on.")
        % {"device": sentence(device)},
        "wall_cable": _("The cable from the wall outlet is screwed in tight at both ends."),
        "splitter": _("There is no splitter you added on that cable, or you took it out."),
        "power_cycle": _("You unplugged %(device)s for 30 seconds and plugged it back in.")
        % {"device": device},
        "router_cable": _("The cable between the modem and the Wi-Fi router is in tight."),
        "tv_input": _(
            "The TV is on the input your receiver is plugged into (HDMI 1, for example)."
        ),
        "receiver_power": _("Your TV receiver is plugged in and its lights are on."),
        "tv_cable": _("The cable between the receiver and the TV is in tight at both ends."),
        "wall_cable_tv": _("The cable from the wall outlet to the receiver is screwed in tight."),
        "power_cycle_tv": _(
            "You unplugged the receiver for 30 seconds, plugged it back in and waited "
            "a few minutes."
        ),
    }
    return words[code]


def article_title(slug: str) -> str:
    words = {
        WIFI_TIPS: _("Tips for faster Wi-Fi"),
        SLOW_INTERNET: _("Why your internet may be slow"),
        SUPPORT_REQUESTS: _("Asking us for help"),
        TECHNICIAN_VISITS: _("Technician visits"),
    }
    return words.get(slug, slug)


def visit_words(code: VisitCode | None, device_kind: str = "") -> str:
    """Why a technician should come, in a sentence."""
    device = sentence(device_words(device_kind or "gateway"))
    if code == VisitCode.OFFLINE_AFTER_RESTART:
        return _("%(device)s is still offline after a restart.") % {"device": device}
    if code == VisitCode.SIGNAL_OUT_OF_RANGE:
        return reason_words(VisitReason.SIGNAL_OUT_OF_RANGE) + "."
    if code == VisitCode.RESTARTS_NOT_HELPING:
        return reason_words(VisitReason.RESTARTS_NOT_HELPING) + "."
    if code == VisitCode.RESTART_DID_NOT_HELP:
        return _("A restart did not fix it.")
    if code == VisitCode.CHECKS_DID_NOT_HELP:
        return _("Checking the power and cables did not fix it.")
    if code == VisitCode.STILL_SLOW:
        return _("The internet is still slow after a restart.")
    if code == VisitCode.TV_STILL_DOWN:
        return _("The TV still has no picture after the checks.")
    return ""
