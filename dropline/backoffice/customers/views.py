from __future__ import annotations

from typing import Any

from allauth.account.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dropline.backoffice.access import staff_permission_required
from dropline.core import audit
from dropline.customers.models import CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.customers.queries import SEARCH_LIMIT, search_accounts
from dropline.overview.summary import account_overview


class StaffLoginView(LoginView):
    """allauth's sign-in (same rate limits), landing in the back-office."""

    template_name = "backoffice/sign_in/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        """Only staff sign in here; customers are told where their sign-in is."""
        if not form.user.is_staff:
            form.add_error(
                None, _("This sign-in is for staff. Customers sign in on the home page.")
            )
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return self.get_next_url() or reverse("backoffice:search")


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
