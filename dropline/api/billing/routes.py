"""The customer's bills, for the mobile app: the summary, invoices (paged), one invoice
grouped by service, its PDF, why it changed, the next bill's forecast, and the account
statement with its CSV and PDF. The same reads as the web pages
(``dropline.billing.queries``, the statement's lines from ``overview.statement``), in
the caller's language.

The account is the first of the caller's (as `/me` lists them) unless ``account``
names another of theirs; a number that is not theirs answers 404. Invoices are looked
up within that account, so another account's invoice number answers 404 on every route.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from dropline.api.billing.schemas import (
    BillingQuery,
    ChangeOut,
    ChangesOut,
    ForecastOut,
    GroupOut,
    InvoiceDetailOut,
    InvoiceOut,
    InvoicePageOut,
    InvoicesQuery,
    LineOut,
    StatementLineOut,
    StatementOut,
    StatementQuery,
    SummaryOut,
)
from dropline.api.errors import FieldError
from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, ErrorOut, InvalidInputOut, MoneyOut
from dropline.billing import documents, queries
from dropline.billing.errors import StatementPeriodError
from dropline.billing.grouping import LineGroup, group_lines
from dropline.billing.models import Invoice
from dropline.core.money import Money
from dropline.core.pagination import InvalidCursorError, decode_cursor
from dropline.customers.models import AccountMember
from dropline.overview.statement import account_statement

router = Router(tags=["billing"])

NOT_FOUND = {404: ErrorOut}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _membership(request: HttpRequest, query: BillingQuery) -> AccountMember:
    """The caller's membership of the account asked about, or 404."""
    return membership_asked(request, query.account)


def _invoice(request: HttpRequest, query: BillingQuery, number: str) -> Invoice:
    membership = _membership(request, query)
    found = queries.invoice_for(account=membership.account, number=number)
    if found is None:
        raise Http404
    return found


def _invoice_out(invoice: Invoice) -> InvoiceOut:
    return InvoiceOut(
        number=invoice.number,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        total_cents=invoice.total_cents,
        previous_balance_cents=invoice.previous_balance_cents,
        amount_due_cents=invoice.amount_due_cents,
        currency=invoice.currency,
        status=invoice.status,
    )


def _groups_out(groups: list[LineGroup]) -> list[GroupOut]:
    return [
        GroupOut(
            key=group.key,
            title=group.title,
            detail=group.detail,
            subtotal_cents=group.subtotal_cents,
            lines=[
                LineOut(
                    group=group.key,
                    role=line.role,
                    kind=line.kind,
                    description=line.text,
                    period_start=line.period_start,
                    period_end=line.period_end,
                    quantity=line.quantity,
                    amount_cents=line.amount_cents,
                )
                for line in group.lines
            ],
        )
        for group in groups
    ]


@router.get(
    "/billing/summary",
    response={200: SummaryOut, **NOT_FOUND},
    summary="Balance, amount due and due date",
)
def summary(request: HttpRequest, query: Query[BillingQuery]) -> SummaryOut:
    """The account's balance (from the ledger), what is due by when (the latest unpaid
    bill) and the latest bill."""
    membership = _membership(request, query)
    found = queries.billing_summary(account=membership.account)
    account = membership.account
    return SummaryOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        currency=found.currency,
        balance_cents=found.balance_cents,
        amount_due_cents=found.amount_due_cents,
        due_on=found.due_on,
        last_invoice=_invoice_out(found.last_invoice) if found.last_invoice else None,
    )


@router.get(
    "/invoices",
    response={200: InvoicePageOut, 400: ErrorOut, **NOT_FOUND},
    summary="Invoices, newest first",
)
def invoices(request: HttpRequest, query: Query[InvoicesQuery]) -> InvoicePageOut:
    """A page of the account's invoices, newest first; `next_cursor` gets the next."""
    membership = _membership(request, query)
    try:
        after = decode_cursor(query.cursor)
    except InvalidCursorError:
        raise HttpError(400, _("That cursor is not one this list gave out.")) from None
    page = queries.invoices_after(account=membership.account, after=after, limit=query.limit)
    return InvoicePageOut(
        items=[_invoice_out(invoice) for invoice in page.rows], next_cursor=page.next_cursor
    )


@router.get(
    "/invoices/{number}",
    response={200: InvoiceDetailOut, **NOT_FOUND},
    summary="One invoice, its lines grouped by service",
)
def invoice(request: HttpRequest, number: str, query: Query[BillingQuery]) -> InvoiceDetailOut:
    """The invoice with its lines (each named, with its dates) in the groups the bill
    shows them in, and its totals."""
    found = _invoice(request, query, number)
    detail = queries.invoice_detail(invoice=found, language=_language())
    groups = _groups_out(detail.groups)
    return InvoiceDetailOut(
        **_invoice_out(found).dict(),
        payments_cents=detail.totals.payments_cents,
        replaced_by=detail.replaced_by.number if detail.replaced_by else None,
        groups=groups,
        lines=[line for group in groups for line in group.lines],
    )


@router.get(
    "/invoices/{number}/pdf",
    response={200: None, **NOT_FOUND},
    summary="One invoice as a PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "The invoice as a PDF, in the caller's language.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def invoice_pdf(request: HttpRequest, number: str, query: Query[BillingQuery]) -> HttpResponse:
    """The invoice as the PDF the web page downloads."""
    found = _invoice(request, query, number)
    language = _language()
    detail = queries.invoice_detail(invoice=found, language=language)
    response = HttpResponse(
        documents.invoice_pdf(detail, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{documents.invoice_filename(found)}"'
    return response


@router.get(
    "/invoices/{number}/changes",
    response={200: ChangesOut, **NOT_FOUND},
    summary="Why the bill changed",
)
def changes(request: HttpRequest, number: str, query: Query[BillingQuery]) -> ChangesOut:
    """The difference from the bill before, line by line in plain words; the amounts add
    up exactly to `difference_cents`. The first bill has no changes."""
    found = _invoice(request, query, number)
    explained = queries.invoice_changes(invoice=found, language=_language())
    previous = explained.previous
    return ChangesOut(
        number=found.number,
        previous_number=previous.number if previous else None,
        previous_total_cents=previous.total_cents if previous else None,
        total_cents=found.total_cents,
        difference_cents=explained.difference_cents,
        currency=found.currency,
        changes=[
            ChangeOut(kind=c.kind, text=c.text, amount_cents=c.amount_cents, on=c.on)
            for c in explained.changes or []
        ],
    )


@router.get(
    "/bill-forecast",
    response={200: ForecastOut, **NOT_FOUND},
    summary="The next bill, before it is made",
)
def bill_forecast(request: HttpRequest, query: Query[BillingQuery]) -> ForecastOut:
    """The next bill as a dry run of the same rating, with promotions ending and prices
    changing called out. Nothing is written."""
    membership = _membership(request, query)
    language = _language()
    upcoming = queries.bill_forecast(account=membership.account, language=language)
    return ForecastOut(
        period_start=upcoming.cycle.start,
        period_end=upcoming.cycle.end,
        total_cents=upcoming.total_cents,
        low_cents=upcoming.low_cents,
        high_cents=upcoming.high_cents,
        currency=upcoming.currency,
        callouts=upcoming.callouts,
        groups=_groups_out(group_lines(upcoming.lines, language=language)),
    )


def _statement_period(query: StatementQuery) -> tuple[dt.date, dt.date]:
    try:
        return queries.statement_period(start=query.start, end=query.end)
    except StatementPeriodError as refused:
        raise FieldError(refused.field, refused.reason) from None


def _money(cents: int, currency: str) -> MoneyOut:
    return MoneyOut.of(Money(cents, currency))


@router.get(
    "/billing/statement",
    response={200: StatementOut, 400: InvalidInputOut, **NOT_FOUND},
    summary="The account statement",
)
def statement(request: HttpRequest, query: Query[StatementQuery]) -> StatementOut:
    """Everything billed, credited and paid from `start` to `end` (the last 12 months up
    to today unless they say otherwise), each with the balance after it, as the web's
    statement page shows it; payments carry their status. A period longer than 12
    months, ending after today or starting after its end answers 400 naming the date."""
    membership = _membership(request, query)
    since, until = _statement_period(query)
    found = account_statement(account=membership.account, since=since, until=until)
    account = membership.account
    currency = account.currency
    return StatementOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        start=since,
        end=until,
        opening_balance=_money(found.statement.opening_cents, currency),
        closing_balance=_money(found.statement.closing_cents, currency),
        lines=[
            StatementLineOut(
                on=line.row.effective_on,
                kind=line.row.kind,
                reference=line.row.reference,
                text=line.text,
                amount=_money(line.row.amount_cents, currency),
                balance=_money(line.row.balance_cents, currency),
                payment_status=line.payment_status if line.payment_status_label else None,
                payment_status_label=line.payment_status_label,
            )
            for line in found.lines
        ],
    )


def _statement_file(
    request: HttpRequest, query: StatementQuery, kind: Literal["csv", "pdf"]
) -> HttpResponse:
    membership = _membership(request, query)
    since, until = _statement_period(query)
    found = queries.account_statement(account=membership.account, since=since, until=until)
    file = documents.statement_file(found, kind=kind, language=_language())
    response = HttpResponse(file.body, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@router.get(
    "/billing/statement/csv",
    response={200: None, 400: InvalidInputOut, **NOT_FOUND},
    summary="The account statement as CSV",
    openapi_extra={
        "responses": {
            200: {
                "description": "The statement as the web's CSV download: a row per movement, "
                "amounts in major units with a point, in the caller's language.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def statement_csv(request: HttpRequest, query: Query[StatementQuery]) -> HttpResponse:
    """The statement of `start` to `end` as the CSV file the web's statement page
    downloads (the balance brought forward first)."""
    return _statement_file(request, query, "csv")


@router.get(
    "/billing/statement/pdf",
    response={200: None, 400: InvalidInputOut, **NOT_FOUND},
    summary="The account statement as a PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "The statement as the web's PDF download, in the caller's language.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def statement_pdf(request: HttpRequest, query: Query[StatementQuery]) -> HttpResponse:
    """The statement of `start` to `end` as the PDF the web's statement page downloads."""
    return _statement_file(request, query, "pdf")
