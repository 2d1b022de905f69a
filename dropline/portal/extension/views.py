"""A payment extension: the customer asks for a later date to pay the open bill by,
within the limits the provider sets; late fees and suspension wait until then.

Thin: ``payments.extensions`` reads the options and decides within the account being
looked at; refusals are shown on the date field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.core.formatting import display_date
from dropline.customers.permissions import can_pay_bills
from dropline.payments import extensions
from dropline.payments.errors import PaymentError
from dropline.portal.common import current_membership
from dropline.portal.extension.forms import ExtensionForm

NO_ACCOUNT = "portal/no_account.html"


@login_required
@require_http_methods(["GET", "POST"])
def extension(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    form = ExtensionForm()
    status = 200
    if request.method == "POST":
        if not can_pay_bills(membership):
            raise PermissionDenied
        form = ExtensionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                given = extensions.ask_extension(
                    account=account, until=form.cleaned_data["until"], actor=request.user
                )
            except PaymentError as refused:
                form.add_error("until", refused.reason)
            else:
                messages.success(
                    request,
                    _(
                        "You have until %(date)s to pay your bill. "
                        "No late fee is charged until then."
                    )
                    % {"date": display_date(given.until)},
                )
                return redirect("extension:ask")
    options = extensions.options_for(account=account)
    if options.latest_until is not None and not form.is_bound:
        form.initial = {"until": options.latest_until}
    return render(
        request,
        "portal/extension/extension.html",
        {
            "membership": membership,
            "options": options,
            "form": form,
            "may_change": can_pay_bills(membership),
        },
        status=status,
    )
