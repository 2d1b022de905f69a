"""The service worker's script: ``templates/portal/pwa/sw.js`` with its settings.

The script is plain JavaScript; what it needs to know from the server comes in one JSON
object at its top (``CONFIG``): the app shell's addresses (static files by their
deployed, hashed names), the offline page in each language, the headers of a page it may
keep (``offline_copy``), the parts of the site it leaves alone, and its version.

The version is a hash of everything the worker installs (the script, its settings and
both offline pages as they render now), so a deploy that changes any of them is a new
worker with new cache names; activating it deletes the old caches.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from dropline.core.support import support_contact
from dropline.portal.pwa import manifest, offline_copy

TEMPLATE = "portal/pwa/sw.js"
OFFLINE_TEMPLATE = "portal/pwa/offline.html"
# Never answered by the worker: the staff console, the JSON API and allauth's app API.
PASS_THROUGH = ["/backoffice/", "/api/", "/_allauth/"]


def offline_page(language: str) -> str:
    """The offline page in ``language``: the same for everyone, with no cookie or token."""
    with translation.override(language):
        return render_to_string(
            OFFLINE_TEMPLATE,
            {"provider_name": settings.DROPLINE_PROVIDER_NAME, "support": support_contact()},
        )


def _settings() -> dict[str, Any]:
    offline = reverse("pwa:offline")
    offline_pages = {code: f"{offline}?lang={code}" for code, _name in settings.LANGUAGES}
    statics = [
        "dropline/site.css",
        "dropline/pwa.js",
        manifest.APPLE_TOUCH_ICON,
        *(icon.path for icon in manifest.ICONS),
    ]
    return {
        "appName": settings.DROPLINE_PROVIDER_NAME,
        "shell": [*offline_pages.values(), *(static(path) for path in statics)],
        "offlinePages": offline_pages,
        "defaultLanguage": settings.LANGUAGE_CODE,
        "passThrough": PASS_THROUGH,
        "offlineHeader": offline_copy.OFFLINE_HEADER,
        "ownerHeader": offline_copy.OWNER_HEADER,
        "private": offline_copy.PRIVATE,
        "noticeHidden": offline_copy.NOTICE_HIDDEN,
        "noticeShown": offline_copy.NOTICE_SHOWN,
        "notificationIcon": static(manifest.NOTIFICATION_ICON),
    }


def worker_script() -> str:
    config = _settings()
    installed = [
        get_template(TEMPLATE).template.source,  # type: ignore[attr-defined]
        json.dumps(config, sort_keys=True),
        *(offline_page(code) for code, _name in settings.LANGUAGES),
    ]
    config["version"] = hashlib.sha256("\0".join(installed).encode()).hexdigest()[:16]
    return render_to_string(TEMPLATE, {"config": json.dumps(config, sort_keys=True)})
