"""The channel finder: search by name, call sign or number; each channel says whether
the package of the account being looked at has it, which packages do and the cheapest
change that adds it.

Thin: ``subscriptions.channels.find_channels`` searches and answers. Without a search
the page shows only the box; an empty or too long search is answered with a message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dropline.portal.common import current_membership
from dropline.subscriptions.channels import MAX_QUERY_LENGTH, RESULT_LIMIT, find_channels


@login_required
@require_GET
def channels(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    language = (get_language() or "en").split("-")[0]
    search = None
    if "q" in request.GET:
        search = find_channels(
            account=membership.account, query=request.GET["q"], language=language
        )
    return render(
        request,
        "portal/channels/channels.html",
        {
            "membership": membership,
            "search": search,
            "max_length": MAX_QUERY_LENGTH,
            "limit": RESULT_LIMIT,
        },
    )
