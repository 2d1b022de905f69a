"""The usage pages' entry (the pages a staff member may open), and the ingest status
page with its figures as JSON, read every few seconds by
``static/dropline/usage_status.js``.

Thin: ``dropline.usage.status`` reads, this renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import refusal, staff_permission_required
from dropline.core import clock
from dropline.core.formatting import display_datetime
from dropline.usage import status

VIEW_STATUS = "usage.view_usagerecord"
# Without the script, the status page reloads itself this often (seconds).
REFRESH_SECONDS = 10
POLL_SECONDS = 5


@dataclass(frozen=True)
class UsagePage:
    label: Promise
    url_name: str
    permission: str
    about: Promise


PAGES = [
    UsagePage(
        gettext_lazy("Ingest status"),
        "usage_status",
        VIEW_STATUS,
        gettext_lazy("Records received per minute, lag, readers, collectors and rejections."),
    ),
    UsagePage(
        gettext_lazy("Collectors"),
        "usage_collectors",
        "usage.view_collector",
        gettext_lazy("The FreeRADIUS servers that send accounting: add or revoke one."),
    ),
    UsagePage(
        gettext_lazy("Usage files"),
        "usage_imports",
        "usage.add_usageimport",
        gettext_lazy("Upload mobile and other usage records as a CSV file."),
    ),
    UsagePage(
        gettext_lazy("Unknown usernames"),
        "usage_unknown",
        "usage.map_usernames",
        gettext_lazy("Usage kept aside under a username no service has: give it to one."),
    ),
]
PERMISSIONS = tuple(page.permission for page in PAGES)


@dataclass(frozen=True)
class Tab:
    label: str
    url: str
    current: bool


def tabs(request: HttpRequest, current: str) -> list[Tab]:
    """The usage pages the staff member may open, ``current`` (a URL name) marked."""
    user = signed_in_user(request)
    return [
        Tab(str(page.label), reverse(f"backoffice:{page.url_name}"), page.url_name == current)
        for page in PAGES
        if user.has_perm(page.permission)
    ]


@require_GET
def usage_ops(request: HttpRequest) -> HttpResponse:
    """The "Usage" section: the usage pages the staff member may open."""
    refused = refusal(request)
    if refused is not None:
        return refused
    user = signed_in_user(request)
    pages = [
        (page, reverse(f"backoffice:{page.url_name}"))
        for page in PAGES
        if user.has_perm(page.permission)
    ]
    if not pages:
        raise PermissionDenied
    return render(request, "backoffice/usage_ops/index.html", {"pages": pages})


def duration_words(delta: dt.timedelta | None) -> str:
    """A lag in round words: "4 seconds", "3 minutes", "2 hours", "5 days"; "—" when
    there is none."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = seconds // 60
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _when(moment: dt.datetime | None) -> str:
    return display_datetime(moment) if moment is not None else _("Never")


def figures(now: dt.datetime) -> dict[str, object]:
    """What the status page's script refreshes: numbers, and the words the page shows
    for them in the staff member's language (``text``)."""
    minutes = status.records_per_minute(now=now)
    lag = status.lag(now=now)
    readers = status.readers(now=now)
    collectors = status.collectors(now=now)
    last_full = minutes[-2] if len(minutes) > 1 else minutes[-1]
    text: dict[str, str] = {
        "last_minute": intcomma(last_full.records),
        "lag_median": duration_words(lag.median),
        "lag_longest": duration_words(lag.longest),
        "latest_received": _when(lag.latest_received_at),
        "kept_usernames": intcomma(status.kept_usernames_count()),
        "rejections_hour": intcomma(status.rejections_last_hour(now=now)),
        "silent_collectors": intcomma(sum(1 for c in collectors if c.silent)),
    }
    for reader in readers:
        text[f"reader-{reader.name}"] = duration_words(reader.behind)
    for collector in collectors:
        text[f"collector-{collector.id}"] = _when(collector.last_record_at)
    return {
        "minutes": [
            {
                "start": minute.start.isoformat(),
                "label": display_datetime(minute.start),
                "records": minute.records,
                "estimated": minute.estimated,
                "text": minute_text(minute),
            }
            for minute in minutes
        ],
        "text": text,
    }


def minute_text(minute: status.Minute) -> str:
    count = intcomma(minute.records)
    return _("about %(count)s") % {"count": count} if minute.estimated else str(count)


@staff_permission_required(VIEW_STATUS)
@require_GET
def usage_status(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    minutes = status.records_per_minute(now=now)
    collectors = status.collectors(now=now)
    lag = status.lag(now=now)
    return render(
        request,
        "backoffice/usage_ops/status.html",
        {
            "tabs": tabs(request, "usage_status"),
            "minutes": [(minute, minute_text(minute)) for minute in minutes],
            "last_minute": minutes[-2] if len(minutes) > 1 else minutes[-1],
            "lag": lag,
            "lag_median": duration_words(lag.median),
            "lag_longest": duration_words(lag.longest),
            "readers": [
                (reader, duration_words(reader.behind)) for reader in status.readers(now=now)
            ],
            "collectors": collectors,
            "silent_collectors": sum(1 for c in collectors if c.silent),
            "kept_usernames": status.kept_usernames_count(),
            "rejections_hour": status.rejections_last_hour(now=now),
            "rejections": status.recent_rejections(),
            "imports": status.recent_imports(),
            "refresh": REFRESH_SECONDS,
            "poll_seconds": POLL_SECONDS,
        },
    )


@staff_permission_required(VIEW_STATUS)
@require_GET
def usage_status_figures(request: HttpRequest) -> JsonResponse:
    return JsonResponse(figures(clock.now()))
