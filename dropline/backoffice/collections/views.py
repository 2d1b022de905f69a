"""The collections list for staff: accounts past due with the days, the amount, what is
held by disputes, the step reached, any extension and autopay, with filters; suspending
and restoring an account's services with a reason.

Thin: ``payments.collections`` reads; ``subscriptions.suspension`` writes (audited).
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.collections.forms import CollectionFilterForm, SuspensionForm
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.payments import collections
from dropline.subscriptions.suspension import restore_services, suspend_services


@staff_permission_required("payments.view_collections")
@require_GET
def collection_list(request: HttpRequest) -> HttpResponse:
    form = CollectionFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # an invalid filter is dropped (and shown); the others still apply
    filters = form.filters()
    rows = collections.past_due(today=clock.today(), filters=filters)
    return render(
        request,
        "backoffice/collections/list.html",
        {
            "form": form,
            "rows": rows,
            "filtered": filters != collections.CollectionFilters(),
            "reason_form": SuspensionForm(),
            "may_suspend": request.user.has_perm("payments.suspend_services"),
            "max_rows": collections.MAX_ROWS,
        },
    )


def _account(number: str) -> CustomerAccount:
    account = CustomerAccount.objects.filter(number=normalize_account_number(number)).first()
    if account is None:
        raise Http404
    return account


@staff_permission_required("payments.suspend_services")
@require_POST
def suspension(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Suspend or restore the account's services (``action``), with a reason."""
    account = _account(number)
    form = SuspensionForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Say why, for the account's history."))
        return redirect("backoffice:collections")
    reason = form.cleaned_data["reason"]
    actor = signed_in_user(request)
    if action == "suspend":
        count = suspend_services(account=account, reason=reason, actor=actor)
        text = _("Suspended %(count)d services of %(account)s.")
    else:
        count = restore_services(account=account, reason=reason, actor=actor)
        text = _("Restored %(count)d services of %(account)s.")
    flash.success(request, text % {"count": count, "account": account.number})
    return redirect("backoffice:collections")
