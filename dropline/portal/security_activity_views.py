"""The customer's "Security activity": their own sign-ins, failed attempts and changes to
how they sign in, newest first. Thin: read ``dropline.accounts.security_events``, render.

Only the signed-in person's events are read (the person is in the query), so nobody
else's ever appear. Pages are read without a COUNT and go at most ``MAX_PAGES`` deep.

Also the 429 handler that allauth's rate limits answer with (``handler429`` in the
root URLconf): it records the rate limit, then answers as allauth would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.core.internal.ratelimit import handler429
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dropline.accounts import security_events
from dropline.accounts.devices import parse_user_agent
from dropline.accounts.models import SecurityEvent, User
from dropline.accounts.requests import signed_in_user

PAGE_SIZE = 25
MAX_PAGES = 40


@dataclass(frozen=True)
class ActivityRow:
    event: SecurityEvent
    what: str
    device: str
    this_device: bool
    failed: bool

    @property
    def at(self) -> dt.datetime:
        return self.event.at


@dataclass(frozen=True)
class ActivityPage:
    rows: list[ActivityRow]
    number: int
    has_previous: bool
    has_next: bool
    at_limit: bool

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


FAILURES = {
    security_events.Kind.SIGN_IN_FAILED,
    security_events.Kind.SECOND_FACTOR_FAILED,
    security_events.Kind.LOCKED_OUT,
    security_events.Kind.RATE_LIMITED,
}


def _page_number(text: str | None) -> int:
    try:
        return min(max(int(text or 1), 1), MAX_PAGES)
    except ValueError:
        return 1


def activity_page(*, user: User, page: str | None, current_fingerprint: str) -> ActivityPage:
    number = _page_number(page)
    start = (number - 1) * PAGE_SIZE
    events = list(security_events.events_for(user=user)[start : start + PAGE_SIZE + 1])
    more = len(events) > PAGE_SIZE
    rows = [
        ActivityRow(
            event=event,
            what=security_events.describe(event),
            device=event.device_label,
            this_device=bool(event.device_fingerprint)
            and event.device_fingerprint == current_fingerprint,
            failed=event.kind in FAILURES,
        )
        for event in events[:PAGE_SIZE]
    ]
    return ActivityPage(
        rows=rows,
        number=number,
        has_previous=number > 1,
        has_next=more and number < MAX_PAGES,
        at_limit=more and number == MAX_PAGES,
    )


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    this_device = parse_user_agent(request.headers.get("User-Agent", ""))
    page = activity_page(
        user=user, page=request.GET.get("page"), current_fingerprint=this_device.fingerprint
    )
    return render(
        request,
        "portal/security/activity.html",
        {
            "page": page,
            "this_device": this_device.label if this_device.browser or this_device.os else "",
            "time_zone": settings.TIME_ZONE,
        },
    )


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's 429 answer, after recording the rate limit as a security event."""
    user = getattr(request, "user", None)
    security_events.throttled(request=request, user=user if isinstance(user, User) else None)
    return handler429(request)
