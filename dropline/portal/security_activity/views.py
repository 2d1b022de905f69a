"""The customer's "Security activity": their own sign-ins, failed attempts and changes to
how they sign in, newest first. Thin: the pages are ``dropline.identity.security_events.activity``
(the app's ``GET /api/v1/security/activity`` reads the same), rendered here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dropline.accounts.devices import parse_user_agent
from dropline.accounts.requests import signed_in_user
from dropline.identity.security_events import activity as security_activity


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    this_device = parse_user_agent(request.headers.get("User-Agent", ""))
    page = security_activity.activity_page(
        user=user,
        number=security_activity.page_number(request.GET.get("page")),
        current_fingerprint=this_device.fingerprint,
    )
    return render(
        request,
        "portal/security_activity/activity.html",
        {
            "page": page,
            "this_device": this_device.label if this_device.browser or this_device.os else "",
            "time_zone": settings.TIME_ZONE,
        },
    )
