"""Template context every page needs: the provider's name and the navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Each capability adds its section here when it works; none before.
PORTAL_SECTIONS = [
    ("portal:overview", _("Overview")),
]


def portal(request: HttpRequest) -> dict[str, Any]:
    current = request.resolver_match.view_name if request.resolver_match else ""
    nav = [
        {"url": reverse(name), "label": label, "current": name == current}
        for name, label in PORTAL_SECTIONS
    ]
    return {"provider_name": settings.DROPLINE_PROVIDER_NAME, "portal_nav": nav}
