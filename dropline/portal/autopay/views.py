"""The customer's autopay: whether it is on, the method it pays with, the next charge and
its date, the discount and from when; turning it on, changing the method, turning it off,
with the cut-off said in words.

Thin: ``payments.autopay`` reads and decides within the account being looked at; a method
of another account is not among the choices (and the domain refuses it anyway).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.customers.permissions import can_pay_bills
from dropline.payments import autopay, queries
from dropline.payments.errors import PaymentError
from dropline.payments.models import AutopayEnrolment
from dropline.portal.autopay.forms import ACTIONS, MethodForm
from dropline.portal.common import current_membership

NO_ACCOUNT = "portal/no_account.html"


def methods_url() -> str:
    """The saved methods page (``payment_methods:list``)."""
    return reverse("payment_methods:list")


def _done(request: HttpRequest, action: str, enrolment: AutopayEnrolment) -> None:
    if action == "cancel":
        still = enrolment.charges_until
        if still is not None and still >= clock.today() and still >= enrolment.charges_from:
            text = _(
                "Autopay is off. Your bill due on %(date)s is too close to stop: it will "
                "still be charged."
            ) % {"date": display_date(still)}
        else:
            text = _("Autopay is off. We won't charge your bills automatically.")
    elif action == "change":
        text = _("Autopay will pay with %(method)s from now on.") % {
            "method": str(enrolment.method)
        }
    else:
        text = _("Autopay is on. It starts with your bill due on %(date)s.") % {
            "date": display_date(enrolment.charges_from)
        }
    messages.success(request, text)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    saved = queries.methods_for(account=account)
    form = MethodForm(methods=saved)
    status = 200
    if request.method == "POST":
        if not can_pay_bills(membership):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return redirect("autopay:manage")
        try:
            if action == "cancel":
                enrolment = autopay.cancel(account=account, actor=request.user)
            else:
                form = MethodForm(request.POST, methods=saved)
                if not form.is_valid():
                    raise PaymentError(
                        "payment_method_id",
                        _("Choose one of your saved payment methods."),
                        "no_method",
                    )
                method = queries.method_for(account=account, method_id=form.cleaned_data["method"])
                if method is None:
                    raise PaymentError(
                        "payment_method_id",
                        _("Choose one of your saved payment methods."),
                        "no_method",
                    )
                write = autopay.change_method if action == "change" else autopay.enrol
                enrolment = write(account=account, method=method, actor=request.user)
        except PaymentError as refused:
            if refused.field == "payment_method_id" and form.is_bound:
                form.add_error("method", refused.reason)
            else:
                messages.error(request, refused.reason)
            status = 400
        else:
            _done(request, action, enrolment)
            return redirect("autopay:manage")
    state = autopay.state_for(account=account)
    context: dict[str, Any] = {
        "membership": membership,
        "state": state,
        "form": form,
        "has_methods": bool(saved),
        "may_change": can_pay_bills(membership),
        "methods_url": methods_url(),
        "cutoff_days": settings.DROPLINE_AUTOPAY_CUTOFF_BUSINESS_DAYS,
    }
    if state.enrolled and state.method is not None:
        form.initial = {"method": state.method.pk}
    return render(request, "portal/autopay/manage.html", context, status=status)
