"""Staff pages for payments: find a payment, read it with its refunds, the gateway's
events and its ledger postings, and refund it in full or in part with a reason.
(The customer hub's payments section is in ``summary.py``.)

Thin: parse input, call ``dropline.payments`` (``search`` reads, ``refunds.refund``
writes) or ``dropline.ledger``, render. Reading needs ``payments.view_payment``;
refunding ``payments.add_refund`` (the Billing role).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import ShownEntry
from dropline.backoffice.payments.forms import PaymentSearchForm, RefundForm
from dropline.core.money import Money
from dropline.ledger import queries as ledger
from dropline.ledger.models import Book
from dropline.payments import refunds, search
from dropline.payments.errors import PaymentError
from dropline.payments.gateways.base import EventKind
from dropline.payments.models import Payment

# The gateway's event kinds (``gateways.base.EventKind``) in words for staff.
EVENT_WORDS: dict[str, Promise] = {
    EventKind.PAYMENT_SUCCEEDED: gettext_lazy("Payment succeeded"),
    EventKind.PAYMENT_FAILED: gettext_lazy("Payment failed"),
    EventKind.PAYMENT_SETTLED: gettext_lazy("Money settled in the bank"),
    EventKind.PAYMENT_RETURNED: gettext_lazy("Payment returned by the bank"),
    EventKind.CHARGEBACK: gettext_lazy("Chargeback"),
    EventKind.REFUND_SUCCEEDED: gettext_lazy("Refund succeeded"),
    EventKind.REFUND_FAILED: gettext_lazy("Refund failed"),
    EventKind.OTHER: gettext_lazy("Other event"),
}


def _payment(confirmation: str) -> Payment:
    payment = search.payment_by_confirmation(confirmation)
    if payment is None:
        raise Http404
    return payment


@staff_permission_required("payments.view_payment")
def payment_search(request: HttpRequest) -> HttpResponse:
    form = PaymentSearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # an invalid filter is dropped (and shown); the others still apply
    filters = form.filters()
    page = search.search_payments(filters=filters, page=request.GET.get("page"))
    return render(
        request,
        "backoffice/payments/payments.html",
        {"form": form, "page": page, "filtered": not filters.is_empty()},
    )


@dataclass(frozen=True)
class ShownTransaction:
    kind: str
    reference: str
    effective_on: object
    memo: str
    entries: list[ShownEntry]


def _entry(payment: Payment, book: str, sub: str, cents: int) -> ShownEntry:
    return ShownEntry.of(
        book=book,
        sub=payment.account.display_number if book == Book.RECEIVABLE else sub,
        cents=cents,
        currency=payment.currency,
    )


def _postings(payment: Payment) -> list[ShownTransaction]:
    """Everything posted under the payment's confirmation number: the payment, its
    settlement, a return and its refunds."""
    return [
        ShownTransaction(
            kind=txn.kind,
            reference=txn.reference,
            effective_on=txn.effective_on,
            memo=txn.memo,
            entries=[
                _entry(payment, entry.book, entry.sub, entry.amount_cents) for entry in txn.entries
            ],
        )
        for txn in ledger.transactions_for(payment.confirmation_number)
    ]


def _detail(
    request: HttpRequest, payment: Payment, *, form: RefundForm | None = None, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    left = search.refundable_cents(payment)
    may_refund = user.has_perm("payments.add_refund") and left > 0
    if may_refund and form is None:
        form = RefundForm(
            left_cents=left,
            initial={
                "amount": f"{Money(left, payment.currency).to_decimal():.2f}",
                "idempotency_key": secrets.token_urlsafe(24),
            },
        )
    found_refunds = search.refunds_of(payment)
    context: dict[str, Any] = {
        "payment": payment,
        "account": payment.account,
        "amount": Money(payment.amount_cents, payment.currency),
        "refunded": Money(payment.refunded_cents, payment.currency),
        "left": Money(left, payment.currency),
        "refunds": [(r, Money(r.amount_cents, payment.currency)) for r in found_refunds],
        "events": [
            (event, str(EVENT_WORDS.get(event.kind, event.kind)))
            for event in search.events_of(payment)
        ],
        "postings": _postings(payment) if user.has_perm("ledger.view_journaltransaction") else None,
        "form": form if may_refund else None,
    }
    return render(request, "backoffice/payments/payment.html", context, status=status)


@staff_permission_required("payments.view_payment")
def payment_detail(request: HttpRequest, confirmation: str) -> HttpResponse:
    payment = _payment(confirmation)
    if payment.confirmation_number != confirmation:
        return redirect("backoffice:payment", confirmation=payment.confirmation_number)
    return _detail(request, payment)


@staff_permission_required("payments.add_refund")
@require_POST
def payment_refund(request: HttpRequest, confirmation: str) -> HttpResponse:
    payment = _payment(confirmation)
    if not signed_in_user(request).has_perm("payments.view_payment"):
        raise Http404
    form = RefundForm(request.POST, left_cents=search.refundable_cents(payment))
    if not form.is_valid():
        return _detail(request, payment, form=form, status=400)
    try:
        refund = refunds.refund(
            payment=payment,
            amount_cents=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            actor=signed_in_user(request),
            idempotency_key=f"staff:{form.cleaned_data['idempotency_key']}",
        )
    except PaymentError as exc:
        field = "amount" if "amount" in exc.field else ("reason" if exc.field == "reason" else None)
        form.add_error(field, exc.reason)
        return _detail(request, payment, form=form, status=400)
    flash.success(
        request,
        _("Refund of %(amount)s on %(number)s: %(status)s.")
        % {
            "amount": Money(refund.amount_cents, payment.currency),
            "number": payment.confirmation_number,
            "status": refund.get_status_display(),
        },
    )
    return redirect("backoffice:payment", confirmation=payment.confirmation_number)
