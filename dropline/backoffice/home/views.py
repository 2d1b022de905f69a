"""The back-office home: find a customer, the accounts this staff member opened
lately, and what needs attention (``tiles.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import refusal, staff_permission_required
from dropline.backoffice.home.tiles import tiles_for
from dropline.customers.queries import SEARCH_LIMIT, recently_opened, search_accounts

SEARCH = "customers.search_customeraccount"
OWN_VISITS = "field.work_own_visits"


def home(request: HttpRequest) -> HttpResponse:
    """Staff who search customers land here; a technician, who does not, on their visits."""
    user = request.user
    if not user.has_perm(SEARCH) and user.has_perm(OWN_VISITS):
        refused = refusal(request, permission=OWN_VISITS)
        return refused if refused is not None else redirect("backoffice:my_visits")
    return _search_home(request)


@staff_permission_required(SEARCH)
def _search_home(request: HttpRequest) -> HttpResponse:
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
