"""What a ``User-Agent`` header says about the device, without a third-party parser.

``parse_user_agent`` names the browser and the operating system in words a customer
knows ("Chrome on Windows", "Safari on iPhone"). ``Device.fingerprint`` is a hash of
the two, normalised, so a browser update (a new version number) is the same device
and a different browser or system is a new one. It is what "sign-in from a new
device" compares; it is not secret and not unique to one machine.

A User-Agent is whatever the client sends. Names come from fixed tables; the one
fallback (the first product token of an unknown client, "curl", "okhttp") is
restricted to a short run of letters, digits and ``._-``, so a crafted header cannot
put sentences or markup into an alert.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Stored in English (language-neutral, and what the fingerprint hashes); shown translated.
MOBILE_APP = "Mobile app"
_DISPLAY_NAMES = {MOBILE_APP: gettext_lazy("Mobile app")}

MAX_USER_AGENT = 1000

# Order matters: browsers name the ones they are built on (Edge says "Chrome" and
# "Safari"; Chrome says "Safari"), so the most specific come first.
_BROWSERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (r"\bEdg(e|A|iOS)?/", "Edge"),
        (r"\b(OPR|Opera|OPiOS)/", "Opera"),
        (r"\bSamsungBrowser/", "Samsung Internet"),
        (r"\bVivaldi/", "Vivaldi"),
        (r"\bYaBrowser/", "Yandex Browser"),
        (r"\b(Firefox|FxiOS)/", "Firefox"),
        (r"\b(HeadlessChrome|Chrome|CriOS|Chromium)/", "Chrome"),
        (r"\bVersion/[\d.]+.*\bSafari/", "Safari"),
        (r"\b(iPhone|iPad)\b.*\bAppleWebKit/", "Safari"),
        (r"\bMSIE |\bTrident/", "Internet Explorer"),
        (r"^Dropline[- ]?App/|\bDropline/|^okhttp/|^CFNetwork/|\bDarwin/", MOBILE_APP),
        (r"^curl/", "curl"),
        (r"^python-requests/|^python-httpx/|^Python-urllib/", "Python"),
    )
)

_SYSTEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (r"\bWindows Phone\b", "Windows Phone"),
        (r"\bWindows\b|\bWin64\b|\bWin32\b", "Windows"),
        (r"\biPad\b", "iPad"),
        (r"\biPhone\b|\biPod\b|\biOS\b", "iPhone"),
        (r"\bCrOS\b", "ChromeOS"),
        (r"\bAndroid\b|^okhttp/", "Android"),
        (r"\bMac OS X\b|\bMacintosh\b|\bmacOS\b", "macOS"),
        (r"^CFNetwork/|\bDarwin/", "iPhone"),
        (r"\bUbuntu\b", "Ubuntu"),
        (r"\bFedora\b", "Fedora"),
        (r"\bLinux\b|\bX11\b", "Linux"),
    )
)

# An unknown client's first product token ("SomeClient/1.0 ..."): a short, plain name.
_PRODUCT = re.compile(r"^([A-Za-z][A-Za-z0-9._-]{1,29})(?:/|\s|$)")
_GENERIC_PRODUCTS = {"mozilla"}


@dataclass(frozen=True)
class Device:
    """The browser and operating system of a client, "" when not recognized."""

    browser: str
    os: str

    @property
    def label(self) -> str:
        """ "Chrome on Windows", "Safari on iPhone", or "Unknown device", translated."""
        browser = str(_DISPLAY_NAMES.get(self.browser, self.browser))
        if browser and self.os:
            return _("%(browser)s on %(os)s") % {"browser": browser, "os": self.os}
        if browser or self.os:
            return browser or self.os
        return _("Unknown device")

    @property
    def fingerprint(self) -> str:
        return device_fingerprint(browser=self.browser, os=self.os)


def parse_user_agent(user_agent: str) -> Device:
    """The browser and operating system named in a ``User-Agent`` header.

    Deliberately small: it knows the browsers and systems people sign in with; for
    other clients it keeps the product name when it is a plain word, else "".
    """
    text = user_agent.strip()[:MAX_USER_AGENT]
    browser = next((name for pattern, name in _BROWSERS if pattern.search(text)), "")
    if not browser:
        product = _PRODUCT.match(text)
        if product and product.group(1).lower() not in _GENERIC_PRODUCTS:
            browser = product.group(1)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(text)), "")
    return Device(browser=browser, os=system)


def device_fingerprint(*, browser: str, os: str) -> str:
    """A stable hash of the normalised browser family and operating system."""
    normalised = f"{browser.strip().casefold()}|{os.strip().casefold()}"
    return hashlib.sha256(f"dropline.device:{normalised}".encode()).hexdigest()[:32]


def device_label(*, browser: str, os: str) -> str:
    return Device(browser=browser, os=os).label
