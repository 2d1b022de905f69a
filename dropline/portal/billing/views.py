"""The customer's bills: the billing overview with the chart of the last bills, every
invoice, one invoice grouped by service with its PDF, why it changed, the next bill's
forecast and the account statement.

Thin: ``billing.queries`` reads (always within the account the person is looking at,
so another account's invoice number is a 404), ``billing.documents`` and
``billing.charts`` draw. Pages are in the reader's language, and so are the files.
"""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dropline.billing import charts, documents, queries
from dropline.billing.grouping import group_lines
from dropline.billing.models import Invoice
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_pay_bills
from dropline.overview.statement import AccountStatement, account_statement
from dropline.payments import autopay
from dropline.portal.common import current_membership
from dropline.portal.pwa.offline_copy import offline_copy

NO_ACCOUNT = "portal/no_account.html"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _invoice(request: HttpRequest, number: str) -> tuple[AccountMember, Invoice]:
    """The invoice ``number`` of the account being looked at; 404 for any other."""
    membership = current_membership(request)
    if membership is None:
        raise Http404
    invoice = queries.invoice_for(account=membership.account, number=number)
    if invoice is None:
        raise Http404
    return membership, invoice


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"portal/billing/{template}", context)


@login_required
@require_GET
@offline_copy
def overview(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    language = _language()
    bills = charts.bars(queries.recent_bills(account=account), language=language)
    return _page(
        request,
        "overview.html",
        {
            "membership": membership,
            "summary": queries.billing_summary(account=account),
            "bars": bills,
            "chart_description": charts.describe(bills, language=language),
            "forecast": queries.bill_forecast(account=account, language=language),
            "may_pay": can_pay_bills(membership),
            "autopay": autopay.state_for(account=account),
        },
    )


@login_required
@require_GET
def chart(request: HttpRequest) -> HttpResponse:
    """The bar chart as an image (the overview shows it beside the same figures)."""
    membership = current_membership(request)
    bills = queries.recent_bills(account=membership.account) if membership else []
    language = _language()
    svg = charts.bill_chart_svg(charts.bars(bills, language=language), language=language)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The picture styles itself; it has no script and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_GET
def invoices(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    page = queries.invoices_page(account=membership.account, page=request.GET.get("page"))
    return _page(request, "invoices.html", {"membership": membership, "page": page})


@login_required
@require_GET
def invoice(request: HttpRequest, number: str) -> HttpResponse:
    membership, found = _invoice(request, number)
    language = _language()
    return _page(
        request,
        "invoice.html",
        {
            "membership": membership,
            "detail": queries.invoice_detail(invoice=found, language=language),
            "explained": queries.invoice_changes(invoice=found, language=language),
        },
    )


@login_required
@require_GET
def invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    _membership, found = _invoice(request, number)
    language = _language()
    detail = queries.invoice_detail(invoice=found, language=language)
    response = HttpResponse(
        documents.invoice_pdf(detail, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{documents.invoice_filename(found)}"'
    return response


@login_required
@require_GET
def changes(request: HttpRequest, number: str) -> HttpResponse:
    membership, found = _invoice(request, number)
    return _page(
        request,
        "changes.html",
        {
            "membership": membership,
            "explained": queries.invoice_changes(invoice=found, language=_language()),
        },
    )


@login_required
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    language = _language()
    upcoming = queries.bill_forecast(account=membership.account, language=language)
    return _page(
        request,
        "forecast.html",
        {
            "membership": membership,
            "forecast": upcoming,
            "groups": group_lines(upcoming.lines, language=language),
        },
    )


def _statement(membership: AccountMember) -> AccountStatement:
    since, until = queries.statement_period()
    return account_statement(account=membership.account, since=since, until=until)


@login_required
@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    found = _statement(membership)
    return _page(
        request,
        "statement.html",
        {"membership": membership, "statement": found.statement, "lines": found.lines},
    )


def _statement_download(request: HttpRequest, kind: Literal["csv", "pdf"]) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    since, until = queries.statement_period()
    found = queries.account_statement(account=membership.account, since=since, until=until)
    file = documents.statement_file(found, kind=kind, language=_language())
    response = HttpResponse(file.body, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
@require_GET
def statement_csv(request: HttpRequest) -> HttpResponse:
    return _statement_download(request, "csv")


@login_required
@require_GET
def statement_pdf(request: HttpRequest) -> HttpResponse:
    return _statement_download(request, "pdf")
