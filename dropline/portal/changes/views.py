"""Comparing and changing plans and add-ons: thin. ``dropline.orders`` compares, previews
and places; ``dropline.subscriptions.queries`` finds the service within the account being
looked at, so another account's service answers 404 before anything else is read.

Anyone on the account may look; only who ``can_change_services`` sees Confirm and may
post it (the holder, or an authorized user the holder allowed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dropline.billing.describe import describe_line
from dropline.billing.lines import RatedLine
from dropline.catalog.queries import per_gb_rates
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_change_services
from dropline.orders import placing
from dropline.orders.changes import ADD_ADD_ON, CHANGE_PLAN, REMOVE_ADD_ON, Change
from dropline.orders.compare import PlanOption, compare_plans
from dropline.orders.errors import ChangeRefused
from dropline.orders.extras import PaidExtra, monthly_total, paid_extras
from dropline.orders.preview import Preview, preview_change
from dropline.overview.services import my_services
from dropline.portal.changes.forms import ConfirmForm
from dropline.portal.common import current_membership
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.queries import add_on_choices, service_for


@dataclass(frozen=True)
class ShownLine:
    """A bill line as the preview shows it: in words, with its amount."""

    text: str
    amount: Money


@dataclass(frozen=True)
class OptionRow:
    """A plan on the compare page with its amounts as money and the day the price after
    the promotion starts."""

    option: PlanOption
    price_now: Money
    promotion_price: Money | None
    regular: Money
    rental: Money
    twelve_months: Money
    regular_from: dt.date | None
    per_gb: Money | None


def _row(option: PlanOption, currency: str, per_gb: dict[str, Decimal]) -> OptionRow:
    return OptionRow(
        option=option,
        price_now=Money(option.monthly_now_cents, currency),
        promotion_price=(
            Money(option.promotion_price_cents, currency)
            if option.promotion_price_cents is not None
            else None
        ),
        regular=Money(option.regular_cents, currency),
        rental=Money(option.equipment_rental_cents, currency),
        twelve_months=Money(option.twelve_month_cents, currency),
        regular_from=option.regular_from,
        per_gb=(
            Money.from_decimal(per_gb[option.code], currency) if option.code in per_gb else None
        ),
    )


@dataclass(frozen=True)
class ExtraRow:
    extra: PaidExtra
    monthly: Money
    ends_on: dt.date | None


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _service(membership: AccountMember, subscription_id: int) -> Subscription:
    service = service_for(account=membership.account, subscription_id=subscription_id)
    if service is None:
        raise Http404
    return service


def _shown(lines: list[RatedLine], currency: str, language: str) -> list[ShownLine]:
    return [
        ShownLine(text=describe_line(line, language), amount=Money(line.amount_cents, currency))
        for line in lines
    ]


def _no_account(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/no_account.html")


@login_required
@require_GET
def compare(request: HttpRequest, subscription_id: int) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return _no_account(request)
    service = _service(membership, subscription_id)
    comparison = compare_plans(
        account=membership.account, subscription_id=service.pk, language=_language()
    )
    per_gb = per_gb_rates([option.code for option in comparison.options])
    return render(
        request,
        "portal/changes/compare.html",
        {
            "membership": membership,
            "service": service,
            "comparison": comparison,
            "rows": [_row(option, comparison.currency, per_gb) for option in comparison.options],
            "may_change": can_change_services(membership),
        },
    )


def _preview_or_place(
    request: HttpRequest, *, subscription_id: int, change: Change, back_url: str
) -> HttpResponse:
    """GET shows the preview (or why the change is refused); POST confirms it with the
    fingerprint of the preview the customer saw."""
    membership = current_membership(request)
    if membership is None:
        return _no_account(request)
    service = _service(membership, subscription_id)
    may_change = can_change_services(membership)
    language = _language()
    problem = ""
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            problem = _("This preview is out of date. Check it again and confirm.")
            status = 400
        else:
            try:
                order = placing.place_order(
                    user=request.user,
                    account=membership.account,
                    change=change,
                    fingerprint=form.cleaned_data["fingerprint"],
                    language=language,
                    request=request,
                )
            except ChangeRefused as refusal:
                problem = refusal.reason
                status = 409
            else:
                messages.success(
                    request,
                    _("Your change is confirmed. It takes effect on %(date)s.")
                    % {"date": display_date(order.effective_on)},
                )
                return redirect("orders:order", order_id=order.pk)
    context = {
        "membership": membership,
        "service": service,
        "change": change,
        "may_change": may_change,
        "back_url": back_url,
        "problem": problem,
    }
    try:
        preview = preview_change(account=membership.account, change=change, language=language)
    except ChangeRefused as refusal:
        return render(
            request,
            "portal/changes/refused.html",
            {**context, "refusal": refusal},
            status=status,
        )
    return render(
        request,
        "portal/changes/preview.html",
        {
            **context,
            "preview": preview,
            "proration_lines": _shown(preview.proration_lines, preview.currency, language),
            "next_invoice_lines": _shown(preview.next_invoice_lines, preview.currency, language),
            "next_invoice_before_lines": _shown(
                preview.next_invoice_before_lines, preview.currency, language
            ),
            "form": ConfirmForm(initial={"fingerprint": preview.fingerprint}),
            "money": _money(preview),
        },
        status=status,
    )


def _money(preview: Preview) -> dict[str, Money]:
    currency = preview.currency
    return {
        "monthly_before": Money(preview.monthly_before_cents, currency),
        "monthly_after": Money(preview.monthly_after_cents, currency),
        "next_before": Money(preview.next_invoice_before_cents, currency),
        "next_after": Money(preview.next_invoice_after_cents, currency),
        "next_difference": Money(
            preview.next_invoice_after_cents - preview.next_invoice_before_cents, currency
        ),
        "first_full_bill": Money(preview.first_full_bill_cents, currency),
    }


@login_required
@require_http_methods(["GET", "POST"])
def change_plan(request: HttpRequest, subscription_id: int, plan_code: str) -> HttpResponse:
    return _preview_or_place(
        request,
        subscription_id=subscription_id,
        change=Change(subscription_id=subscription_id, action=CHANGE_PLAN, plan_code=plan_code),
        back_url=reverse("changes:compare", args=[subscription_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_add_on(request: HttpRequest, subscription_id: int, add_on_code: str) -> HttpResponse:
    return _preview_or_place(
        request,
        subscription_id=subscription_id,
        change=Change(subscription_id=subscription_id, action=ADD_ADD_ON, add_on_code=add_on_code),
        back_url=reverse("changes:add_ons", args=[subscription_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_add_on(request: HttpRequest, subscription_id: int, add_on_code: str) -> HttpResponse:
    return _preview_or_place(
        request,
        subscription_id=subscription_id,
        change=Change(
            subscription_id=subscription_id, action=REMOVE_ADD_ON, add_on_code=add_on_code
        ),
        back_url=reverse("changes:add_ons", args=[subscription_id]),
    )


@login_required
@require_GET
def add_ons(request: HttpRequest, subscription_id: int) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return _no_account(request)
    choices = add_on_choices(
        account=membership.account, subscription_id=subscription_id, language=_language()
    )
    if choices is None:
        raise Http404
    return render(
        request,
        "portal/changes/add_ons.html",
        {
            "membership": membership,
            "service": choices.service,
            "service_name": choices.service.plan.localized_name(_language()),
            "choices": choices,
            "may_change": can_change_services(membership),
        },
    )


@login_required
@require_GET
def extras(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return _no_account(request)
    extras = paid_extras(account=membership.account, language=_language())
    rows = [
        ExtraRow(extra=extra, monthly=extra.monthly, ends_on=extra.last_day) for extra in extras
    ]
    return render(
        request,
        "portal/changes/extras.html",
        {
            "membership": membership,
            "rows": rows,
            "total": monthly_total(extras, currency=membership.account.currency),
            "may_change": can_change_services(membership),
        },
    )


@login_required
@require_GET
def lines(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return _no_account(request)
    mine = my_services(account=membership.account, language=_language())
    return render(
        request,
        "portal/changes/lines.html",
        {
            "membership": membership,
            "lines": mine.mobile_lines,
            "may_change": can_change_services(membership),
        },
    )
