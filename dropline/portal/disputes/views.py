"""The customer's disputes under /billing/disputes/: the list, a new dispute of one
charge (from the invoice page's "Dispute this charge"), one dispute with its thread
(never staff's internal notes), a reply with files, withdrawing, and a file's download.

Thin: ``payments.disputes.queries`` reads within the account being looked at (another
account's dispute, line or file is a 404); the writes decide and refuse. Anyone on the
account sees its disputes; who may pay the bills may open, answer and withdraw them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.billing.describe import describe_line
from dropline.core.money import Money
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_pay_bills
from dropline.payments.disputes import attachments, queries
from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import Dispute
from dropline.payments.disputes.opening import disputable_reason, open_dispute
from dropline.payments.disputes.resolving import withdraw as withdraw_dispute
from dropline.payments.errors import PaymentError
from dropline.portal.common import current_membership
from dropline.portal.disputes.forms import DisputeForm, ReplyForm

NO_ACCOUNT = "portal/no_account.html"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _membership(request: HttpRequest) -> AccountMember:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership


def _dispute(membership: AccountMember, dispute_id: int) -> Dispute:
    found = queries.dispute_for(account=membership.account, dispute_id=dispute_id)
    if found is None:
        raise Http404
    return found


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@login_required
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    return render(
        request,
        "portal/disputes/list.html",
        {"membership": membership, "disputes": queries.disputes_for(account=membership.account)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    line_id = _int(request.GET.get("line"))
    line = (
        queries.line_for(
            account=membership.account,
            invoice_number=request.GET.get("invoice", ""),
            line_id=line_id,
        )
        if line_id is not None
        else None
    )
    if line is None:
        raise Http404
    if not can_pay_bills(membership):
        raise PermissionDenied
    refusal = disputable_reason(account=membership.account, line=line)
    form = DisputeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"amount": str(Money(line.amount_cents, line.invoice.currency).to_decimal())},
    )
    status = 200
    if request.method == "POST" and refusal is None:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                dispute = open_dispute(
                    account=membership.account,
                    invoice_line=line,
                    amount_cents=data["amount"],
                    reason=data["reason"],
                    description=data["description"],
                    files=data["attachments"],
                    actor=request.user,
                    request=request,
                )
            except PaymentError as exc:
                if exc.field in form.DOMAIN_FIELDS:
                    form.add_error(form.DOMAIN_FIELDS[exc.field], exc.reason)
                else:
                    refusal = exc.reason
            else:
                messages.success(
                    request,
                    _("Your dispute %(number)s is open. We will answer by the date shown.")
                    % {"number": dispute.number},
                )
                return redirect("disputes:dispute", dispute_id=dispute.pk)
    context: dict[str, Any] = {
        "membership": membership,
        "line": line,
        "invoice": line.invoice,
        "line_text": describe_line(line, _language()),
        "refusal": refusal,
        "form": form,
    }
    return render(request, "portal/disputes/new.html", context, status=status)


def _detail(
    request: HttpRequest,
    membership: AccountMember,
    dispute: Dispute,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/disputes/dispute.html",
        {
            "membership": membership,
            "dispute": dispute,
            "line_text": describe_line(dispute.invoice_line, _language()),
            "thread": queries.customer_thread(dispute=dispute),
            "may_act": can_pay_bills(membership) and dispute.is_open,
            "reply_form": reply_form or ReplyForm(),
        },
        status=status,
    )


@login_required
@require_GET
def dispute(request: HttpRequest, dispute_id: int) -> HttpResponse:
    membership = _membership(request)
    return _detail(request, membership, _dispute(membership, dispute_id))


@login_required
@require_POST
def reply(request: HttpRequest, dispute_id: int) -> HttpResponse:
    membership = _membership(request)
    found = _dispute(membership, dispute_id)
    if not can_pay_bills(membership):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_message(
                dispute=found,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                actor=request.user,
                from_staff=False,
                request=request,
            )
        except PaymentError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.reason)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("disputes:dispute", dispute_id=found.pk)
    return _detail(request, membership, found, reply_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """GET asks to confirm; POST withdraws."""
    membership = _membership(request)
    found = _dispute(membership, dispute_id)
    if not can_pay_bills(membership):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request,
            "portal/disputes/withdraw.html",
            {"membership": membership, "dispute": found},
        )
    try:
        withdraw_dispute(dispute=found, actor=request.user, request=request)
    except PaymentError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("Your dispute is withdrawn."))
    return redirect("disputes:dispute", dispute_id=found.pk)


@login_required
@require_GET
def attachment(request: HttpRequest, dispute_id: int, attachment_id: int) -> HttpResponse:
    membership = _membership(request)
    found = queries.customer_attachment(
        account=membership.account, dispute_id=dispute_id, attachment_id=attachment_id
    )
    if found is None:
        raise Http404
    return attachments.download(found)
