"""Paying the bill: the pay page (the amount due, the full balance or another amount,
now or on a day up to the due date, with a saved method), a payment's receipt, and the
payments made and scheduled (a scheduled one can be canceled).

Thin: ``dropline.payments.queries`` reads, always within the account being looked at
(another account's confirmation number or scheduled payment is a 404);
``dropline.payments.paying`` pays. Holders and authorized users may both pay
(``customers.permissions.can_pay_bills``).

No double charge: the pay form carries an idempotency key made fresh for each showing
of the page, so submitting the same form twice (a double click, a reload) asks for the
same payment and gets the first one back. The amounts the page offered travel with the
form, so a repeat asks for the same amount even after the first payment changed the
balance.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.billing.queries import balance_after
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_manage_account, can_pay_bills
from dropline.payments import paying, queries
from dropline.payments.describe import method_with_expiry
from dropline.payments.errors import PaymentError, PaymentInProgressError
from dropline.payments.models import Payment, PaymentMethod, PaymentSource, PaymentStatus
from dropline.portal.common import current_membership
from dropline.portal.payments.forms import AMOUNT_DUE, BALANCE, LATER, OTHER, PayForm

NO_ACCOUNT = "portal/no_account.html"
# A second submit of the same form while the first is still at the gateway waits this
# long, in steps, for the first one's outcome (then shows the receipt of that one).
IN_PROGRESS_WAIT_SECONDS = 4.0
IN_PROGRESS_STEP_SECONDS = 0.25


def _payer(request: HttpRequest) -> AccountMember | None:
    membership = current_membership(request)
    if membership is not None and not can_pay_bills(membership):
        raise PermissionDenied
    return membership


def _money(cents: int, currency: str) -> str:
    return str(Money(cents, currency))


def _form(
    membership: AccountMember, data: Any = None
) -> tuple[PayForm, queries.PayableAmounts, list[PaymentMethod]]:
    account = membership.account
    amounts = queries.amounts_for(account=account)
    saved = queries.methods_for(account=account)
    currency = amounts.currency
    due, balance = amounts.amount_due_cents, max(amounts.balance_cents, 0)
    if data is not None:  # the amounts the page showed when it was loaded
        due = _posted_cents(data, "due_cents", due)
        balance = _posted_cents(data, "balance_cents", balance)
    choices = []
    if due > 0:
        choices.append(
            (AMOUNT_DUE, _("Amount due: %(amount)s") % {"amount": _money(due, currency)})
        )
    if balance > 0 and balance != due:
        choices.append(
            (BALANCE, _("Full balance: %(amount)s") % {"amount": _money(balance, currency)})
        )
    choices.append((OTHER, _("Another amount")))
    today = clock.today()
    last_day = amounts.due_on if amounts.due_on and amounts.due_on > today else None
    default = next((m for m in saved if m.is_default), saved[0] if saved else None)
    form = PayForm(
        data,
        amounts=choices,
        methods=[(m.pk, method_with_expiry(m)) for m in saved],
        last_day=last_day,
        initial={
            "amount_choice": choices[0][0],
            "method": default.pk if default else None,
            "idempotency_key": secrets.token_urlsafe(24),
            "due_cents": due,
            "balance_cents": balance,
        },
    )
    return form, amounts, saved


def _posted_cents(data: Any, name: str, default: int) -> int:
    text = str(data.get(name) or "")
    return int(text) if text.isdigit() else default


def _pay_page(
    request: HttpRequest,
    membership: AccountMember,
    form: PayForm,
    amounts: queries.PayableAmounts,
    saved: list[PaymentMethod],
    *,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    return render(
        request,
        "portal/payments/pay.html",
        {
            "membership": membership,
            "form": form,
            "amounts": amounts,
            "methods": saved,
            "last_day": form.last_day,
            "may_manage_methods": can_manage_account(membership),
            "notice": notice,
        },
        status=status,
    )


def _refused(form: PayForm, error: PaymentError) -> None:
    """Put the domain's reason on the field it concerns."""
    if "amount" in error.field:
        field = "other_amount" if form.cleaned_data.get("amount_choice") == OTHER else None
        form.add_error(field, error.reason)  # over the balance, it says the most
    elif "method" in error.field:
        form.add_error("method", error.reason)
    elif error.field == "pay_on":
        form.add_error("pay_on", error.reason)
    else:
        form.add_error(None, error.reason)


def _pay_once(
    membership: AccountMember, request: HttpRequest, *, amount: int, key: str, method: Any
) -> Payment | None:
    """Pay; a repeat of a key still being sent waits for the first outcome."""
    waited = 0.0
    while True:
        try:
            return paying.pay(
                account=membership.account,
                amount_cents=amount,
                idempotency_key=key,
                source=PaymentSource.PORTAL,
                actor=signed_in_user(request),
                method=method,
            )
        except PaymentInProgressError:
            if waited >= IN_PROGRESS_WAIT_SECONDS:
                return None
            time.sleep(IN_PROGRESS_STEP_SECONDS)
            waited += IN_PROGRESS_STEP_SECONDS


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest) -> HttpResponse:
    membership = _payer(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    if request.method == "GET":
        form, amounts, saved = _form(membership)
        return _pay_page(request, membership, form, amounts, saved)
    form, amounts, saved = _form(membership, request.POST)
    if not form.is_valid():
        return _pay_page(request, membership, form, amounts, saved, status=400)
    method = next((m for m in saved if m.pk == form.cleaned_data["method"]), None)
    amount = form.amount_cents()
    key = form.cleaned_data["idempotency_key"]
    try:
        if form.cleaned_data["when"] == LATER:
            scheduled = paying.schedule_payment(
                account=membership.account,
                amount_cents=amount,
                pay_on=form.cleaned_data["pay_on"],
                idempotency_key=key,
                actor=signed_in_user(request),
                method=method,
            )
            messages.success(
                request,
                _("Your payment of %(amount)s is scheduled for %(date)s.")
                % {
                    "amount": _money(scheduled.amount_cents, scheduled.currency),
                    "date": display_date(scheduled.pay_on),
                },
            )
            return redirect("payments:list")
        payment = _pay_once(membership, request, amount=amount, key=key, method=method)
    except PaymentError as exc:
        _refused(form, exc)
        return _pay_page(request, membership, form, amounts, saved, status=400)
    if payment is None:
        notice = _(
            "This payment is still being sent. It is listed under your payments; "
            "please don't pay again."
        )
        return _pay_page(request, membership, form, amounts, saved, status=409, notice=notice)
    return redirect("payments:receipt", confirmation_number=payment.confirmation_number)


@login_required
@require_GET
def receipt(request: HttpRequest, confirmation_number: str) -> HttpResponse:
    membership = _payer(request)
    if membership is None:
        raise Http404
    payment = queries.payment_for(
        account=membership.account, confirmation_number=confirmation_number
    )
    if payment is None:
        raise Http404
    after = balance_after(account=membership.account, reference=payment.confirmation_number)
    return render(
        request,
        "portal/payments/receipt.html",
        {
            "membership": membership,
            "payment": payment,
            "method": method_with_expiry(payment.method),
            "balance_after": after,
            "balance_now": queries.amounts_for(account=membership.account).balance_cents,
            "statuses": PaymentStatus,
        },
    )


@login_required
@require_GET
def payment_list(request: HttpRequest) -> HttpResponse:
    membership = _payer(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    return render(
        request,
        "portal/payments/list.html",
        {
            "membership": membership,
            "page": queries.payments_for(account=account, page=request.GET.get("page")),
            "scheduled": queries.scheduled_for(account=account),
        },
    )


@login_required
@require_POST
def cancel_scheduled(request: HttpRequest, scheduled_id: int) -> HttpResponse:
    membership = _payer(request)
    if membership is None:
        raise Http404
    found = queries.scheduled_payment_for(account=membership.account, scheduled_id=scheduled_id)
    if found is None:
        raise Http404
    try:
        paying.cancel_scheduled_payment(scheduled=found, actor=signed_in_user(request))
    except PaymentError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            _("The payment scheduled for %(date)s is canceled.")
            % {"date": display_date(found.pay_on)},
        )
    return redirect("payments:list")
