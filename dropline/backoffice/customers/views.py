"""Staff find a customer account and open it (every opening is audited)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from dropline.backoffice.access import staff_permission_required
from dropline.core import audit
from dropline.customers.models import CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.customers.queries import SEARCH_LIMIT, search_accounts
from dropline.overview.summary import account_overview


@staff_permission_required("customers.search_customeraccount")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = search_accounts(query=query) if query else []
    return render(
        request,
        "backoffice/customers/search.html",
        {"query": query, "results": results, "limit": SEARCH_LIMIT},
    )


@staff_permission_required("customers.view_customeraccount")
def customer_detail(request: HttpRequest, number: str) -> HttpResponse:
    account = (
        CustomerAccount.objects.select_related("service_address__service_area")
        .filter(number=normalize_account_number(number))
        .first()
    )
    if account is None:
        raise Http404
    audit.record(
        action="customer.viewed",
        request=request,
        target=account,
        account_number=account.number,
    )
    overview = account_overview(account=account, language=get_language() or "en")
    members = account.members.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "backoffice/customers/customer.html",
        {
            "account": account,
            "overview": overview,
            "members": members,
            "events": audit.events_for_account(account_number=account.number, limit=20),
            "can_see_audit": request.user.has_perm("core.view_auditevent"),
        },
    )
