"""The web app manifest: what a browser needs to install the portal as an app.

Names in the reader's language with the provider's name (``DROPLINE_PROVIDER_NAME``),
the whole site as its scope, a window of its own (``standalone``), the colors of
``site.css`` (the header's blue, the page's grey) and the icons browsers ask for: 192
and 512 pixels, the same two with the letter inside the safe zone for masks
(``maskable``), and the favicon's SVG for any size. The PNGs were drawn once from the
favicon and live in ``static/dropline/icons/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext

# site.css: --brand (the header) and --bg (the page).
THEME_COLOR = "#0b5cad"
BACKGROUND_COLOR = "#f4f6f9"


@dataclass(frozen=True)
class Icon:
    path: str  # under the static root
    sizes: str
    type: str
    purpose: str = "any"

    def entry(self) -> dict[str, str]:
        return {"src": static(self.path), "sizes": self.sizes, "type": self.type} | (
            {"purpose": self.purpose} if self.purpose != "any" else {}
        )


ICONS = [
    Icon("dropline/icons/icon-192.png", "192x192", "image/png"),
    Icon("dropline/icons/icon-512.png", "512x512", "image/png"),
    Icon("dropline/icons/icon-maskable-192.png", "192x192", "image/png", "maskable"),
    Icon("dropline/icons/icon-maskable-512.png", "512x512", "image/png", "maskable"),
    Icon("dropline/favicon.svg", "any", "image/svg+xml"),
]
# For pages (``<link rel="apple-touch-icon">``) and notifications.
APPLE_TOUCH_ICON = "dropline/icons/apple-touch-icon.png"
NOTIFICATION_ICON = ICONS[0].path


def app_manifest(language: str) -> dict[str, Any]:
    """The manifest in ``language`` (the caller activates it for the words)."""
    provider = settings.DROPLINE_PROVIDER_NAME
    return {
        # The app's identity, which stays the same whatever the language or the
        # manifest's address: the site's root.
        "id": "/",
        "name": gettext("%(provider)s customer portal") % {"provider": provider},
        # Under the icon on a home screen: the provider's name, the same in any language.
        "short_name": provider,
        "description": gettext("Your bills, data usage, services and help, in one place."),
        "lang": language,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [icon.entry() for icon in ICONS],
    }
