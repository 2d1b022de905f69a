"""The customer's saved cards and bank accounts: the list (with expiry warnings), adding
one through the gateway's own collecting element, removing one, choosing the default.

Thin: ``dropline.payments.queries`` reads (always within the account being looked at,
so another account's method id is a 404), ``dropline.payments.methods`` writes. Account
holders manage the methods; authorized users see them (and pay with them on the pay
page). Every change needs a re-authentication within the last few minutes (allauth's
``reauthentication_required``), as second factors do.

Card and bank numbers never reach Dropline when the gateway is real: its element in the
browser turns them into a token. With the simulator (demo and tests), its own form posts
the numbers to :func:`simulator`, which hands them to the simulator's tokeniser and
keeps nothing: the numbers are sensitive POST parameters (never in an error report) and
the form is never shown again with them filled in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_manage_account
from dropline.payments import methods, queries
from dropline.payments.describe import method_name
from dropline.payments.errors import PaymentError
from dropline.payments.gateways import simulator as simulated
from dropline.payments.models import MethodKind, PaymentMethod
from dropline.portal.common import current_membership
from dropline.portal.payment_methods import simulator_words
from dropline.portal.payment_methods.forms import SimulatorMethodForm, TokenForm

NO_ACCOUNT = "portal/no_account.html"
SIMULATOR = "simulator"
# Numbers the simulator's form carries: kept out of Django's error reports.
SENSITIVE = ("number", "cvc", "exp_month", "exp_year", "routing_number", "account_number")


@dataclass(frozen=True)
class ShownMethod:
    method: PaymentMethod
    name: str  # "Visa •••• 4242"
    expires_on: dt.date | None  # the last day a card can be used
    expired: bool
    expires_soon: bool  # within a month


def _last_day(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def shown(method: PaymentMethod, *, today: dt.date) -> ShownMethod:
    """A method with its expiry in words: expired, or expiring within a month."""
    if method.kind != MethodKind.CARD or not method.exp_year or not method.exp_month:
        return ShownMethod(
            method=method,
            name=method_name(method),
            expires_on=None,
            expired=False,
            expires_soon=False,
        )
    last = _last_day(method.exp_year, method.exp_month)
    return ShownMethod(
        method=method,
        name=method_name(method),
        expires_on=last,
        expired=last < today,
        expires_soon=today <= last <= add_months(today, 1),
    )


def _membership(request: HttpRequest) -> AccountMember:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership


def _manager(request: HttpRequest) -> AccountMember:
    """The account being looked at, when the signed-in person may change its methods."""
    membership = _membership(request)
    if not can_manage_account(membership):
        raise PermissionDenied
    return membership


def _method(membership: AccountMember, method_id: int) -> PaymentMethod:
    found = queries.method_for(account=membership.account, method_id=method_id)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def method_list(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    today = clock.today()
    return render(
        request,
        "portal/payment_methods/list.html",
        {
            "membership": membership,
            "methods": [
                shown(m, today=today) for m in queries.methods_for(account=membership.account)
            ],
            "may_manage": can_manage_account(membership),
        },
    )


def _add_page(
    request: HttpRequest,
    membership: AccountMember,
    *,
    simulator_form: SimulatorMethodForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    gateway = settings.DROPLINE_PAYMENT_GATEWAY
    context: dict[str, Any] = {
        "membership": membership,
        "gateway": gateway,
        "setup": methods.start_setup(account=membership.account),
        "collect_template": f"portal/payment_methods/_collect_{gateway}.html",
        "error": error,
    }
    if gateway == SIMULATOR:
        context["form"] = simulator_form or SimulatorMethodForm()
        context["test_cards"] = simulator_words.card_rows()
        context["test_bank_accounts"] = simulator_words.bank_rows()
    return render(request, "portal/payment_methods/add.html", context, status=status)


def _added(request: HttpRequest, method: PaymentMethod) -> HttpResponse:
    messages.success(
        request,
        _("%(method)s is saved. You can pay with it now.") % {"method": method_name(method)},
    )
    return redirect("payment_methods:list")


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def add(request: HttpRequest) -> HttpResponse:
    """The add page (GET), and the token a gateway's element posts back (POST)."""
    membership = _manager(request)
    if request.method == "GET":
        return _add_page(request, membership)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _add_page(
            request,
            membership,
            error=_("The card or account was not saved. Try again."),
            status=400,
        )
    try:
        method = methods.add_method(
            account=membership.account,
            token=form.cleaned_data["token"],
            actor=signed_in_user(request),
            make_default=form.cleaned_data["make_default"],
        )
    except PaymentError as exc:
        return _add_page(request, membership, error=exc.reason, status=400)
    return _added(request, method)


@sensitive_post_parameters(*SENSITIVE)
@login_required
@require_POST
@reauthentication_required
def simulator(request: HttpRequest) -> HttpResponse:
    """The simulator's form: numbers to its tokeniser, the token to ``add_method``."""
    if settings.DROPLINE_PAYMENT_GATEWAY != SIMULATOR:
        raise Http404
    membership = _manager(request)
    form = SimulatorMethodForm(request.POST)
    if not form.is_valid():
        form.forget_numbers()
        return _add_page(request, membership, simulator_form=form, status=400)
    data = form.cleaned_data
    try:
        if data["kind"] == MethodKind.CARD:
            token = simulated.tokenise_card(
                number=data["number"],
                exp_month=data["exp_month"],
                exp_year=data["exp_year"],
                cvc=data["cvc"],
                holder_name=data["holder_name"],
            )
        else:
            token = simulated.tokenise_bank_account(
                routing_number=data["routing_number"],
                account_number=data["account_number"],
                holder_name=data["holder_name"],
            )
        method = methods.add_method(
            account=membership.account,
            token=token,
            actor=signed_in_user(request),
            make_default=data["make_default"],
        )
    except PaymentError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.reason)
        else:
            form.add_error(None, exc.reason)
        form.forget_numbers()
        return _add_page(request, membership, simulator_form=form, status=400)
    return _added(request, method)


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def remove(request: HttpRequest, method_id: int) -> HttpResponse:
    membership = _membership(request)
    method = _method(membership, method_id)
    if not can_manage_account(membership):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            methods.remove_method(method=method, actor=signed_in_user(request))
        except PaymentError as exc:
            error = exc.reason
        else:
            messages.success(request, _("%(method)s is removed.") % {"method": method_name(method)})
            return redirect("payment_methods:list")
    return render(
        request,
        "portal/payment_methods/remove.html",
        {"membership": membership, "method": method, "name": method_name(method), "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
@reauthentication_required
def make_default(request: HttpRequest, method_id: int) -> HttpResponse:
    membership = _membership(request)
    method = _method(membership, method_id)
    if not can_manage_account(membership):
        raise PermissionDenied
    try:
        methods.make_default(method=method, actor=signed_in_user(request))
    except PaymentError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request, _("%(method)s is now your default method.") % {"method": method_name(method)}
        )
    return redirect("payment_methods:list")
