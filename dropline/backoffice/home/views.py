"""The back-office home: find a customer, the accounts this staff member opened
lately, and what needs attention (``tiles.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.home.tiles import tiles_for
from dropline.customers.queries import SEARCH_LIMIT, recently_opened, search_accounts


@staff_permission_required("customers.search_customeraccount")
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    query = request.GET.get("q", "").strip()[:200]
    context: dict[str, object] = {"query": query, "limit": SEARCH_LIMIT}
    if query:
        context["results"] = search_accounts(query=query)
    else:
        context["recent"] = (
            recently_opened(user=user) if user.has_perm("customers.view_customeraccount") else []
        )
        context["tiles"] = tiles_for(user)
    return render(request, "backoffice/home/home.html", context)
