"""Staff search of security events: by account number, username, email address, IP
address, kind and the provider's days. Thin: parse the filters, call
``dropline.identity.security_events.search``, render one bounded page.

Every search (every page view) is written to the audit log: who looked, for what.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.backoffice.security_events.forms import SecurityEventFilterForm
from dropline.core import audit
from dropline.core.pagination import numbered_page
from dropline.identity.security_events import describe
from dropline.identity.security_events import search as event_search

PERMISSION = "accounts.view_securityevent"


def _audit_data(filters: event_search.SearchFilters) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, value in vars(filters).items():
        if isinstance(value, dt.date):
            shown[name] = value.isoformat()
        elif value:
            shown[name] = str(value)
    return shown


@staff_permission_required(PERMISSION)
def search(request: HttpRequest) -> HttpResponse:
    form = SecurityEventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid filters still apply
    filters = form.filters()
    found = event_search.search(filters=filters).prefetch_related("user__memberships__account")
    page = numbered_page(found, number=request.GET.get("page"), size=PAGE_SIZE, max_pages=MAX_PAGES)
    audit.record(
        action="security_events.searched",
        request=request,
        account_number=filters.account_number,
        data={"filters": _audit_data(filters), "page": page.number, "results": len(page.rows)},
    )
    rows = [(event, describe.describe(event)) for event in page.rows]
    return render(
        request,
        "backoffice/security_events/events.html",
        {"form": form, "page": page, "rows": rows, "filtered": not filters.is_empty()},
    )
