"""Staff pages for billing: find an invoice, read it with its ledger postings, enter a
one-time charge or a credit, void and re-issue an invoice, read an account's statement.
(Bill runs are in ``runs.py``, the tax table in ``taxes.py``, the customer hub's
billing section in ``summary.py``.)

Thin: parse input, call ``dropline.billing`` or ``dropline.ledger``, render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.billing.forms import AdjustmentForm, InvoiceSearchForm, VoidInvoiceForm
from dropline.backoffice.billing.summary import signed_amount
from dropline.backoffice.common import ShownEntry
from dropline.billing import search
from dropline.billing.adjustments import enter_adjustment, void_invoice
from dropline.billing.describe import describe_line
from dropline.billing.errors import AdjustmentError, InvoiceError
from dropline.billing.models import AdjustmentKind, ChargeCategory, Invoice, InvoiceStatus, TaxRate
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.ledger import queries as ledger
from dropline.ledger.models import Book


def _account(number: str) -> CustomerAccount:
    account = CustomerAccount.objects.filter(number=normalize_account_number(number)).first()
    if account is None:
        raise Http404
    return account


def _invoice(invoice_number: str) -> Invoice:
    invoice = search.invoice_by_number(invoice_number)
    if invoice is None:
        raise Http404
    return invoice


def _language() -> str:
    return "es" if (get_language() or "").startswith("es") else "en"


# Invoice search -----------------------------------------------------------------


@staff_permission_required("billing.view_invoice")
def invoice_search(request: HttpRequest) -> HttpResponse:
    form = InvoiceSearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # an invalid filter is dropped (and shown); the others still apply
    filters = form.filters()
    page = search.search_invoices(filters=filters, page=request.GET.get("page"))
    return render(
        request,
        "backoffice/billing/invoices.html",
        {"form": form, "page": page, "filtered": not filters.is_empty()},
    )


# One invoice ----------------------------------------------------------------------


@dataclass(frozen=True)
class ShownLine:
    text: str
    kind: str
    amount: Money


@dataclass(frozen=True)
class ShownTransaction:
    kind: str
    effective_on: object
    memo: str
    reverses: bool
    entries: list[ShownEntry]


def _sub_names(subs: set[str]) -> dict[str, str]:
    """Words for the sub-accounts entries use: a charge category ("internet") or a
    jurisdiction's tax ("ia:sales-tax") by its name on the bill. One query."""
    names = {value: str(label) for value, label in ChargeCategory.choices}
    taxes = [sub.split(":", 1) for sub in subs if ":" in sub]
    if not taxes:
        return names
    rows = TaxRate.objects.filter(
        jurisdiction__code__in={j for j, _c in taxes}, code__in={c for _j, c in taxes}
    ).values_list("jurisdiction__code", "code", "name", "name_es", "effective_from")
    for jurisdiction, code, name, name_es, _from in sorted(rows, key=lambda row: row[4]):
        names[f"{jurisdiction}:{code}"] = (name_es or name) if _language() == "es" else name
    return names


def _postings(invoice: Invoice) -> list[ShownTransaction]:
    found = ledger.transactions_for(invoice.number)
    names = _sub_names({entry.sub for txn in found for entry in txn.entries})
    shown = []
    for txn in found:
        entries = []
        for entry in txn.entries:
            sub = names.get(entry.sub, entry.sub)
            if entry.book == Book.RECEIVABLE:
                sub = invoice.account.display_number
            entries.append(
                ShownEntry.of(
                    book=entry.book, sub=sub, cents=entry.amount_cents, currency=invoice.currency
                )
            )
        shown.append(
            ShownTransaction(
                kind=txn.kind,
                effective_on=txn.effective_on,
                memo=txn.memo,
                reverses=txn.reverses_id is not None,
                entries=entries,
            )
        )
    return shown


@staff_permission_required("billing.view_invoice")
def invoice_detail(request: HttpRequest, invoice_number: str) -> HttpResponse:
    invoice = _invoice(invoice_number)
    if invoice.number != invoice_number:
        return redirect("backoffice:invoice", invoice_number=invoice.number)
    language = _language()
    lines = [
        ShownLine(
            text=describe_line(line, language),
            kind=line.get_kind_display(),
            amount=Money(line.amount_cents, invoice.currency),
        )
        for line in invoice.lines.order_by("position")
    ]
    replaced_by = Invoice.objects.filter(replaces=invoice).only("number").first()
    user = signed_in_user(request)
    return render(
        request,
        "backoffice/billing/invoice.html",
        {
            "invoice": invoice,
            "account": invoice.account,
            "lines": lines,
            "total": Money(invoice.total_cents, invoice.currency),
            "previous_balance": Money(invoice.previous_balance_cents, invoice.currency),
            "amount_due": Money(invoice.amount_due_cents, invoice.currency),
            "replaced_by": replaced_by,
            "postings": _postings(invoice)
            if user.has_perm("ledger.view_journaltransaction")
            else None,
            "can_void": invoice.status != InvoiceStatus.VOID
            and user.has_perm("billing.void_invoice"),
        },
    )


# Void and re-issue -----------------------------------------------------------------


@staff_permission_required("billing.void_invoice")
@require_http_methods(["GET", "POST"])
def invoice_void(request: HttpRequest, invoice_number: str) -> HttpResponse:
    invoice = _invoice(invoice_number)
    form = VoidInvoiceForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                replacement = void_invoice(
                    invoice=invoice,
                    reason=form.cleaned_data["reason"],
                    reissue=form.cleaned_data["reissue"],
                    actor=signed_in_user(request),
                    request=request,
                )
            except InvoiceError as exc:
                flash.error(request, str(exc))
                status = 409
            else:
                if replacement is None:
                    flash.success(
                        request, _("Invoice %(number)s is void.") % {"number": invoice.number}
                    )
                    return redirect("backoffice:invoice", invoice_number=invoice.number)
                flash.success(
                    request,
                    _("Invoice %(number)s is void; invoice %(new)s replaces it.")
                    % {"number": invoice.number, "new": replacement.number},
                )
                return redirect("backoffice:invoice", invoice_number=replacement.number)
    return render(
        request,
        "backoffice/billing/void.html",
        {
            "invoice": invoice,
            "account": invoice.account,
            "total": Money(invoice.total_cents, invoice.currency),
            "form": form,
        },
        status=status,
    )


# Charges and credits ------------------------------------------------------------------


@staff_permission_required("billing.add_adjustment")
@require_http_methods(["GET", "POST"])
def adjustment_new(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    form = AdjustmentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                adjustment = enter_adjustment(
                    account=account,
                    kind=data["kind"],
                    amount_cents=data["amount"],
                    description=data["description"],
                    description_es=data["description_es"],
                    category=data["category"],
                    taxable=data["taxable"],
                    occurred_on=data["occurred_on"],
                    reason=data["reason"],
                    actor=signed_in_user(request),
                    request=request,
                )
            except AdjustmentError as exc:
                form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.reason)
            else:
                amount = Money(adjustment.amount_cents, adjustment.currency)
                if adjustment.kind == AdjustmentKind.CREDIT:
                    said = _("A credit of %(amount)s was entered for the next bill.")
                else:
                    said = _("A one-time charge of %(amount)s was entered for the next bill.")
                flash.success(request, said % {"amount": amount})
                return redirect("backoffice:adjustment_new", number=account.number)
    unbilled = search.unbilled_adjustments(account_id=account.pk)
    return render(
        request,
        "backoffice/billing/adjustment_form.html",
        {
            "account": account,
            "form": form,
            "unbilled": [(adjustment, signed_amount(adjustment)) for adjustment in unbilled],
        },
        status=status,
    )


# Statement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownRow:
    effective_on: object
    kind: str
    reference: str
    is_invoice: bool
    memo: str
    charge: Money | None
    credit: Money | None
    balance: Money


@staff_permission_required("ledger.view_journaltransaction")
def statement(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    opening, rows = ledger.statement(account.pk)
    currency = account.currency
    invoice_numbers = set(Invoice.objects.filter(account=account).values_list("number", flat=True))
    shown = [
        ShownRow(
            effective_on=row.effective_on,
            kind=row.kind,
            reference=row.reference,
            is_invoice=row.reference in invoice_numbers,
            memo=row.memo,
            charge=Money(row.amount_cents, currency) if row.amount_cents > 0 else None,
            credit=Money(-row.amount_cents, currency) if row.amount_cents < 0 else None,
            balance=Money(row.balance_cents, currency),
        )
        for row in reversed(rows)
    ]
    balance = rows[-1].balance_cents if rows else opening
    return render(
        request,
        "backoffice/billing/statement.html",
        {"account": account, "rows": shown, "balance": Money(balance, currency)},
    )
