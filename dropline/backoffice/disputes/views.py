"""The disputes queue for Customer care: open disputes by due date (overdue first),
filters by status and assignee; one dispute with its invoice line, the whole thread
(internal notes marked), replies (the customer is told), internal notes, assigning,
and the resolution: a credit through the ledger (at most the disputed amount) or a
rejection with a reason. Reading needs ``payments.view_dispute``; every write
``payments.change_dispute``. Thin: ``payments.disputes`` decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.disputes.forms import CreditForm, MessageForm, QueueForm, RejectForm
from dropline.billing.describe import describe_line
from dropline.core import clock
from dropline.core.money import Money
from dropline.payments.disputes import attachments, queries
from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import Dispute
from dropline.payments.disputes.resolving import assign, reject, resolve_with_credit
from dropline.payments.errors import PaymentError

VIEW = "payments.view_dispute"
CHANGE = "payments.change_dispute"


def _dispute(dispute_id: int) -> Dispute:
    found = queries.staff_dispute(dispute_id=dispute_id)
    if found is None:
        raise Http404
    return found


@staff_permission_required(VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    page = queries.queue(
        filters=filters, staff_id=signed_in_user(request).pk, page=request.GET.get("page")
    )
    return render(
        request,
        "backoffice/disputes/queue.html",
        {"form": form, "page": page, "today": clock.today(), "filtered": form.is_bound},
    )


def _detail(
    request: HttpRequest,
    dispute: Dispute,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = {
        "message_form": MessageForm(),
        "credit_form": CreditForm(
            initial={"amount": str(Money(dispute.amount_cents, dispute.currency).to_decimal())}
        ),
        "reject_form": RejectForm(),
        **(forms or {}),
    }
    return render(
        request,
        "backoffice/disputes/dispute.html",
        {
            "dispute": dispute,
            "account": dispute.account,
            "line_text": describe_line(dispute.invoice_line, (get_language() or "en")[:2]),
            "thread": queries.staff_thread(dispute=dispute),
            "today": clock.today(),
            "may_change": signed_in_user(request).has_perm(CHANGE),
            **chosen,
        },
        status=status,
    )


@staff_permission_required(VIEW)
def dispute(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _detail(request, _dispute(dispute_id))


@staff_permission_required(CHANGE)
@require_POST
def assign_to_me(request: HttpRequest, dispute_id: int) -> HttpResponse:
    found = _dispute(dispute_id)
    staff = signed_in_user(request)
    try:
        assign(dispute=found, staff=staff, actor=staff, request=request)
    except PaymentError as exc:
        flash.error(request, exc.reason)
    else:
        flash.success(request, _("The dispute is assigned to you."))
    return redirect("backoffice:dispute", dispute_id=found.pk)


@staff_permission_required(CHANGE)
@require_POST
def message(request: HttpRequest, dispute_id: int) -> HttpResponse:
    found = _dispute(dispute_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_message(
                dispute=found,
                body=data["body"],
                files=data["attachments"],
                internal=data["internal"],
                from_staff=True,
                actor=signed_in_user(request),
                request=request,
            )
        except PaymentError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.reason)
        else:
            flash.success(
                request,
                _("The internal note is saved.")
                if data["internal"]
                else _("The reply is sent; the customer is told."),
            )
            return redirect("backoffice:dispute", dispute_id=found.pk)
    return _detail(request, found, forms={"message_form": form}, status=400)


@staff_permission_required(CHANGE)
@require_POST
def credit(request: HttpRequest, dispute_id: int) -> HttpResponse:
    found = _dispute(dispute_id)
    form = CreditForm(request.POST)
    if form.is_valid():
        try:
            resolve_with_credit(
                dispute=found,
                amount_cents=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                actor=signed_in_user(request),
                request=request,
            )
        except PaymentError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.reason)
        else:
            flash.success(request, _("The dispute is resolved with a credit."))
            return redirect("backoffice:dispute", dispute_id=found.pk)
    return _detail(request, found, forms={"credit_form": form}, status=400)


@staff_permission_required(CHANGE)
@require_POST
def rejection(request: HttpRequest, dispute_id: int) -> HttpResponse:
    found = _dispute(dispute_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            reject(
                dispute=found,
                reason=form.cleaned_data["reason"],
                actor=signed_in_user(request),
                request=request,
            )
        except PaymentError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.reason)
        else:
            flash.success(request, _("The dispute is rejected; the customer is told why."))
            return redirect("backoffice:dispute", dispute_id=found.pk)
    return _detail(request, found, forms={"reject_form": form}, status=400)


@staff_permission_required(VIEW)
def attachment(request: HttpRequest, dispute_id: int, attachment_id: int) -> HttpResponse:
    found = queries.staff_attachment(dispute_id=dispute_id, attachment_id=attachment_id)
    if found is None:
        raise Http404
    return attachments.download(found)
