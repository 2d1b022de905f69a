"""What a speed test says, in plain words: each direction compared with the plan, and
honest advice on what to try.

The rules, in order:

- Each direction is compared with the plan's speed for it (download with download,
  upload with upload): at least 80% is ``fine``, at least half is ``below``, less is
  ``well_below``; without a plan speed it is ``unknown``.
- Over Wi-Fi and below the plan, Wi-Fi is often the limit: try a wired test, or test
  close to the router.
- Wired and well below the plan, the connection itself may be at fault: restart the
  modem, or run the connection check.
- Not sure how the device is connected and below the plan: try a wired test first.
- A delay over 100 ms is said, since calls and games feel it.
- Always: the test measures to the provider's portal server, in a browser, and other
  people and devices on the connection make it read lower.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dropline.network.models import ConnectionKind, SpeedTest

FINE_SHARE = 0.8
WELL_BELOW_SHARE = 0.5
HIGH_LATENCY_MS = 100

FINE = "fine"
BELOW = "below"
WELL_BELOW = "well_below"
UNKNOWN = "unknown"
_ORDER = {FINE: 0, BELOW: 1, WELL_BELOW: 2}


def compare(measured_kbps: int, plan_mbps: int | None) -> str:
    """``fine``, ``below``, ``well_below`` or ``unknown`` (no plan speed to compare with)."""
    if not plan_mbps:
        return UNKNOWN
    share = measured_kbps / (plan_mbps * 1000)
    if share >= FINE_SHARE:
        return FINE
    if share >= WELL_BELOW_SHARE:
        return BELOW
    return WELL_BELOW


def percent_of_plan(measured_kbps: int, plan_mbps: int | None) -> int | None:
    """The measured speed as a whole percentage of the plan's; None without a plan."""
    if not plan_mbps:
        return None
    return round(measured_kbps * 100 / (plan_mbps * 1000))


@dataclass(frozen=True)
class Assessment:
    download: str
    upload: str
    verdict: str  # the worse of the two directions: fine, below, well_below or unknown
    codes: list[str]  # the advice, as stable codes (the API's), in the order shown


def assess(test: SpeedTest) -> Assessment:
    download = compare(test.download_kbps, test.plan_download_mbps)
    upload = compare(test.upload_kbps, test.plan_upload_mbps)
    known = [d for d in (download, upload) if d != UNKNOWN]
    verdict = max(known, key=_ORDER.__getitem__) if known else UNKNOWN
    codes: list[str] = []
    if verdict == UNKNOWN:
        codes.append("no_plan_speeds")
    elif verdict == FINE:
        codes.append("as_fast_as_plan")
    else:
        codes.append("slower_than_plan")
        if test.connection == ConnectionKind.WIFI:
            codes.append("wifi_often_the_limit")
        elif test.connection == ConnectionKind.WIRED:
            if verdict == WELL_BELOW:
                codes.append("restart_or_check")
            else:
                codes.append("wired_somewhat_below")
        else:
            codes.append("try_wired")
    if test.latency_ms > HIGH_LATENCY_MS:
        codes.append("high_latency")
    codes.append("what_the_test_measures")
    return Assessment(download=download, upload=upload, verdict=verdict, codes=codes)


def _words(code: str, test: SpeedTest) -> str:
    if code == "no_plan_speeds":
        return _("There is no internet plan with stated speeds on this account to compare with.")
    if code == "as_fast_as_plan":
        return _("Your connection is as fast as your plan promises. Nothing to do.")
    if code == "slower_than_plan":
        return _("Your connection measured slower than your plan.")
    if code == "wifi_often_the_limit":
        return _(
            "You tested over Wi-Fi, which is often the limit: walls, distance and other "
            "networks nearby slow it down. Test again with a cable from this device to the "
            "modem or router, or sitting close to the router."
        )
    if code == "restart_or_check":
        return _(
            "You tested with a cable, so Wi-Fi is not the cause. Restart your modem (unplug "
            "it for 30 seconds), then test again. If it is still slow, run the connection "
            "check: it looks for outages and problems with your equipment."
        )
    if code == "wired_somewhat_below":
        return _(
            "You tested with a cable. A little below the plan is common at busy times; if "
            "it stays this way, restart your modem and test again."
        )
    if code == "try_wired":
        return _(
            "If this device is on Wi-Fi, Wi-Fi is often the limit: test again with a cable "
            "to the modem or router, or close to the router. If it was already wired, "
            "restart your modem and test again."
        )
    if code == "high_latency":
        return _("The delay was %(latency)s ms. Above 100 ms, video calls and games can lag.") % {
            "latency": test.latency_ms
        }
    if code == "what_the_test_measures":
        return _(
            "This test measures the speed between this device and our portal's server, in "
            "a web browser. Other people and devices using your internet at the same time, "
            "and the browser itself, can make it read lower than your connection is."
        )
    raise ValueError(f"no words for advice {code!r}")


def advice(test: SpeedTest) -> list[str]:
    """The advice for ``test`` in plain words, in the active language."""
    return [_words(code, test) for code in assess(test).codes]
