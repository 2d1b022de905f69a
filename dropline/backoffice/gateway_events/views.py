"""The gateway event log: every verified webhook as received, newest first, filtered by
gateway, kind, payment and outcome, and one event with its payload. Thin: parse the
filters, call ``dropline.payments.event_log``, render one bounded page (no COUNT)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.backoffice.gateway_events.forms import GatewayEventFilterForm
from dropline.core.pagination import numbered_page
from dropline.payments import event_log

PERMISSION = "payments.view_gatewayevent"


@staff_permission_required(PERMISSION)
def event_list(request: HttpRequest) -> HttpResponse:
    form = GatewayEventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid filters still apply
    filters = form.filters()
    page = numbered_page(
        event_log.search(filters=filters),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    rows = [(found, event_log.kind_label(found.kind)) for found in page.rows]
    return render(
        request,
        "backoffice/gateway_events/events.html",
        {"form": form, "page": page, "rows": rows, "filtered": not filters.is_empty()},
    )


@staff_permission_required(PERMISSION)
def event_detail(request: HttpRequest, event_pk: int) -> HttpResponse:
    found = event_log.event(event_pk=event_pk)
    if found is None:
        raise Http404
    return render(
        request,
        "backoffice/gateway_events/event.html",
        {
            "event": found,
            "kind": event_log.kind_label(found.kind),
            "applied": found.outcome == event_log.APPLIED,
            "payload": event_log.pretty_payload(found),
        },
    )
