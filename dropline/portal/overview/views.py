"""The overview of the account being looked at, and switching to another account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.customers.queries import choose_membership, membership_for
from dropline.field.queries import upcoming_appointment
from dropline.overview.summary import account_overview
from dropline.portal.common import SESSION_ACCOUNT_KEY
from dropline.portal.pwa.offline_copy import offline_copy


@login_required
@offline_copy
def overview(request: HttpRequest) -> HttpResponse:
    membership, others = choose_membership(
        user=signed_in_user(request), account_id=request.session.get(SESSION_ACCOUNT_KEY)
    )
    if membership is None:
        return render(request, "portal/no_account.html")
    summary = account_overview(account=membership.account, language=get_language() or "en")
    return render(
        request,
        "portal/overview/overview.html",
        {
            "membership": membership,
            "overview": summary,
            "other_memberships": others,
            "upcoming_visit": upcoming_appointment(account=membership.account),
        },
    )


@login_required
@require_POST
def switch_account(request: HttpRequest) -> HttpResponse:
    """Look at another account the person belongs to; anything else is ignored."""
    try:
        account_id = int(request.POST.get("account", ""))
    except ValueError:
        return redirect("portal:overview")
    membership = membership_for(user=signed_in_user(request), account_id=account_id)
    if membership is not None and membership.account_id == account_id:
        request.session[SESSION_ACCOUNT_KEY] = account_id
    return redirect("portal:overview")
