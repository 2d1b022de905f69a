"""Staff pages for an account's usage: each internet and mobile service's cycles (used,
credited, billable, allowance) and recent sessions, a session's raw records, and a
goodwill credit of data. Opening either page is audited as opening the account.

Thin: parse input, call ``dropline.usage.lookup`` or ``dropline.usage.adjustments``,
render.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.backoffice.usage.forms import CreditForm, cycle_choice
from dropline.core import audit, clock
from dropline.core.formatting import display_date
from dropline.core.pagination import numbered_page
from dropline.customers.models import CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.usage import lookup
from dropline.usage.adjustments import credit_data
from dropline.usage.amounts import data_amount
from dropline.usage.errors import UsageError

VIEW = "usage.view_usagecycle"
CREDIT = "usage.add_usageadjustment"
# The RADIUS username form (the usage operations' feature).
USERNAME_FORM = "backoffice:usage_service_username"


def _account(number: str) -> CustomerAccount:
    account = CustomerAccount.objects.filter(number=normalize_account_number(number)).first()
    if account is None:
        raise Http404
    return account


def _opened(request: HttpRequest, account: CustomerAccount) -> None:
    audit.record(
        action="customer.viewed", request=request, target=account, account_number=account.number
    )


def _cycle_choices(services: list[lookup.ServiceUsage]) -> list[tuple[str, str]]:
    """Each service's cycles that have data left to credit, newest first."""
    choices = []
    for service in services:
        name = service.subscription.plan.localized_name(_language())
        for cycle in service.cycles:
            if cycle.billable_bytes <= 0:
                continue
            label = _("%(service)s · %(start)s to %(end)s · %(billable)s billable") % {
                "service": name,
                "start": display_date(cycle.start),
                "end": display_date(cycle.end),
                "billable": data_amount(cycle.billable_bytes),
            }
            choices.append((cycle_choice(service.subscription.pk, cycle.start), label))
    return choices


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _page(
    request: HttpRequest,
    account: CustomerAccount,
    services: list[lookup.ServiceUsage],
    form: CreditForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "backoffice/usage/account.html",
        {
            "account": account,
            "services": [
                (service, reverse(USERNAME_FORM, args=[service.subscription.pk]))
                for service in services
            ],
            "form": form,
            "can_credit": signed_in_user(request).has_perm(CREDIT),
        },
        status=status,
    )


@staff_permission_required(VIEW)
def account_usage(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    _opened(request, account)
    services = lookup.account_usage(account=account, today=clock.today())
    return _page(request, account, services, CreditForm(cycles=_cycle_choices(services)))


@staff_permission_required(CREDIT)
@require_POST
def credit(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    user = signed_in_user(request)
    if not user.has_perm(VIEW):
        raise Http404
    services = lookup.account_usage(account=account, today=clock.today())
    form = CreditForm(request.POST, cycles=_cycle_choices(services))
    if form.is_valid():
        subscription_id, cycle_start = form.target()
        try:
            adjustment = credit_data(
                subscription_id=subscription_id,
                cycle_start=cycle_start,
                credited_bytes=form.cleaned_data["gigabytes"],
                reason=form.cleaned_data["reason"],
                actor=user,
                ip=audit.client_ip(request),
            )
        except UsageError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.message)
        else:
            flash.success(
                request,
                _("%(amount)s credited for the bill cycle that started %(start)s.")
                % {
                    "amount": data_amount(adjustment.credited_bytes),
                    "start": display_date(adjustment.cycle_start),
                },
            )
            return redirect("backoffice:usage_account", number=account.number)
    return _page(request, account, services, form, status=400)


@staff_permission_required(VIEW)
def session_detail(request: HttpRequest, number: str, session_id: int) -> HttpResponse:
    account = _account(number)
    session = lookup.session_of_account(account=account, session_id=session_id)
    if session is None:
        raise Http404
    _opened(request, account)
    page = numbered_page(
        lookup.session_records(session),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    return render(
        request,
        "backoffice/usage/session.html",
        {"account": account, "session": session, "page": page},
    )
