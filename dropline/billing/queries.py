"""Reads of an account's bills, for the customer's pages and the API.

Every function takes the account the signed-in person is looking at (chosen with
``customers.queries.membership_for`` or its API twin), never an id from the request:
an invoice number is looked up within that account only, so another account's number
is simply not found. Each read is a fixed number of queries, whatever the number of
invoices or lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from dropline.billing.errors import StatementPeriodError
from dropline.billing.explaining import Change, explain_invoice
from dropline.billing.forecast import Forecast, forecast
from dropline.billing.grouping import BillTotals, LineGroup, ServiceNote, group_lines
from dropline.billing.models import Invoice, InvoiceLine, InvoiceStatus
from dropline.core import clock, read_models
from dropline.core.dates import add_months
from dropline.core.formatting import display_date
from dropline.core.pagination import KeysetPage, NumberedPage, keyset_page, numbered_page
from dropline.core.phones import display_phone
from dropline.customers.models import CustomerAccount
from dropline.ledger.models import Book, JournalEntry, JournalTransaction, TransactionKind
from dropline.ledger.queries import StatementRow, statement
from dropline.subscriptions.models import Subscription

CHART_BILLS = 12
INVOICES_PER_PAGE = 12
INVOICE_PAGES = 50  # four years of monthly bills a page deep; the API pages further
API_DEFAULT_LIMIT = 24
API_MAX_LIMIT = 100
STATEMENT_MONTHS = 12
# Receivable movements a bill shows as "Payments": payments and what undid them.
PAYMENT_KINDS = (TransactionKind.PAYMENT, TransactionKind.RETURN, TransactionKind.REFUND)


@dataclass(frozen=True)
class Payment:
    """The latest payment received, as the ledger has it."""

    received_on: dt.date
    amount_cents: int


@dataclass(frozen=True)
class BillingSummary:
    account: CustomerAccount
    currency: str
    balance_cents: int  # owed (positive) or in credit (negative), from the ledger
    amount_due_cents: int  # of the latest unpaid bill; 0 when nothing is due
    due_on: dt.date | None
    last_invoice: Invoice | None
    last_payment: Payment | None


def _bills(account: CustomerAccount) -> QuerySet[Invoice]:
    return Invoice.objects.filter(account=account)


def billing_summary(*, account: CustomerAccount) -> BillingSummary:
    """Balance, what is due by when, the latest bill and the latest payment: the
    account's read model ``billing-summary`` (``core.read_models``), built in two
    queries when a payment, a bill or any other posting to the ledger changed it."""
    return read_models.for_account(account.pk, "billing-summary", lambda: _billing_summary(account))


def _billing_summary(account: CustomerAccount) -> BillingSummary:
    standing = _bills(account).exclude(status=InvoiceStatus.VOID).order_by("-sequence")
    latest_pk = standing.values("pk")[:1]
    open_pk = standing.filter(status=InvoiceStatus.OPEN).values("pk")[:1]
    found = list(
        _bills(account)
        .filter(Q(pk=Subquery(latest_pk)) | Q(pk=Subquery(open_pk)))
        .order_by("-sequence")
    )
    latest = found[0] if found else None
    open_bill = next((bill for bill in found if bill.status == InvoiceStatus.OPEN), None)
    ledger = _ledger_figures(account.pk)
    return BillingSummary(
        account=account,
        currency=account.currency,
        balance_cents=int(ledger["balance"] or 0),
        amount_due_cents=open_bill.amount_due_cents if open_bill else 0,
        due_on=open_bill.due_on if open_bill else None,
        last_invoice=latest,
        last_payment=(
            Payment(received_on=ledger["paid_on"], amount_cents=-ledger["paid_cents"])
            if ledger["paid_on"] is not None
            else None
        ),
    )


def _ledger_figures(account_id: int) -> dict[str, Any]:
    """The account's balance and its latest payment, read together in one query."""
    receivable = JournalEntry.objects.filter(account_id=OuterRef("pk"), book=Book.RECEIVABLE)
    latest_payment = receivable.filter(transaction__kind=TransactionKind.PAYMENT).order_by(
        "-transaction__posted_at", "-transaction_id"
    )
    return (
        CustomerAccount.objects.filter(pk=account_id)
        .annotate(
            balance=Subquery(
                receivable.order_by()
                .values("account_id")
                .annotate(total=Sum("amount_cents"))
                .values("total")[:1]
            ),
            paid_cents=Subquery(latest_payment.values("amount_cents")[:1]),
            paid_on=Subquery(latest_payment.values("transaction__effective_on")[:1]),
        )
        .values("balance", "paid_cents", "paid_on")
        .get()
    )


def payments_before(invoice: Invoice) -> int:
    """Payments, returns and refunds posted to the invoice's account between the bill
    before it and it, as they moved the balance (negative: money came in). One query."""
    before = (
        Invoice.objects.filter(account_id=invoice.account_id, period_start__lt=invoice.period_start)
        .exclude(status=InvoiceStatus.VOID)
        .order_by("-period_start", "-id")
    )
    since = Q(transaction__posted_at__gte=Subquery(before.values("created_at")[:1])) | ~Q(
        Exists(before)
    )
    total = (
        JournalEntry.objects.filter(
            account_id=invoice.account_id,
            book=Book.RECEIVABLE,
            transaction__kind__in=PAYMENT_KINDS,
            transaction__posted_at__lt=invoice.created_at,
        )
        .filter(since)
        .aggregate(total=Sum("amount_cents"))["total"]
    )
    return int(total or 0)


def invoices_page(*, account: CustomerAccount, page: str | int | None) -> NumberedPage[Invoice]:
    """One page of the account's invoices, newest first (one query, no COUNT)."""
    return numbered_page(
        _bills(account).order_by("-sequence"),
        number=page,
        size=INVOICES_PER_PAGE,
        max_pages=INVOICE_PAGES,
    )


def invoices_after(
    *, account: CustomerAccount, after: int | None, limit: int | None
) -> KeysetPage[Invoice]:
    """The API's page of invoices, newest first, after the cursor's key (one query)."""
    return keyset_page(
        _bills(account),
        after=after,
        limit=limit,
        default_limit=API_DEFAULT_LIMIT,
        max_limit=API_MAX_LIMIT,
        field="sequence",
    )


def invoice_for(*, account: CustomerAccount, number: str) -> Invoice | None:
    """The account's invoice with that number; None for any other (one query)."""
    return _bills(account).filter(number=number.strip().upper()).first()


def recent_bills(*, account: CustomerAccount, count: int = CHART_BILLS) -> list[Invoice]:
    """The last ``count`` bills that stand (void ones left out), oldest first (one query)."""
    latest = list(_bills(account).exclude(status=InvoiceStatus.VOID).order_by("-sequence")[:count])
    return latest[::-1]


def _service_notes(group_keys: set[str], account_id: int) -> dict[str, ServiceNote]:
    ids = [int(key[4:]) for key in group_keys if key.startswith("sub:") and key[4:].isdigit()]
    if not ids:
        return {}
    rows = Subscription.objects.filter(account_id=account_id, pk__in=ids).values_list(
        "pk", "label", "phone_number"
    )
    return {
        f"sub:{pk}": ServiceNote(label=label, phone=display_phone(phone) if phone else "")
        for pk, label, phone in rows
    }


@dataclass(frozen=True)
class InvoiceDetail:
    invoice: Invoice
    groups: list[LineGroup]
    totals: BillTotals
    replaced_by: Invoice | None


def invoice_detail(*, invoice: Invoice, language: str) -> InvoiceDetail:
    """An invoice's lines grouped by service, and its totals with the payments since
    the bill before (four queries)."""
    lines = list(InvoiceLine.objects.filter(invoice=invoice).order_by("position"))
    notes = _service_notes({line.group_key for line in lines}, invoice.account_id)
    replaced_by = Invoice.objects.filter(replaces=invoice).first()
    payments = payments_before(invoice)
    return InvoiceDetail(
        invoice=invoice,
        groups=group_lines(lines, language=language, services=notes),
        totals=BillTotals(
            # What was owed before the payments since the last bill, so that previous
            # balance + payments + new charges = amount due.
            previous_balance_cents=invoice.previous_balance_cents - payments,
            payments_cents=payments,
            new_charges_cents=invoice.total_cents,
            amount_due_cents=invoice.amount_due_cents,
            due_on=invoice.due_on,
            currency=invoice.currency,
        ),
        replaced_by=replaced_by,
    )


@dataclass(frozen=True)
class InvoiceChanges:
    """Why an invoice differs from the bill before it; ``changes`` is None for the
    account's first bill. The changes add up to ``difference_cents`` exactly."""

    invoice: Invoice
    previous: Invoice | None
    changes: list[Change] | None

    @property
    def difference_cents(self) -> int:
        if self.previous is None:
            return 0
        return self.invoice.total_cents - self.previous.total_cents


def previous_invoice(invoice: Invoice) -> Invoice | None:
    """The bill before ``invoice`` that stands, as the explainer compares (one query)."""
    return (
        Invoice.objects.filter(account_id=invoice.account_id, period_start__lt=invoice.period_start)
        .exclude(status=InvoiceStatus.VOID)
        .order_by("-period_start", "-id")
        .first()
    )


def invoice_changes(*, invoice: Invoice, language: str) -> InvoiceChanges:
    """The explanation of ``invoice`` against the bill before it (three queries)."""
    previous = previous_invoice(invoice)
    changes = explain_invoice(invoice, language=language) if previous is not None else None
    return InvoiceChanges(invoice=invoice, previous=previous, changes=changes)


def bill_forecast(*, account: CustomerAccount, language: str) -> Forecast:
    """The account's next bill as a dry run of the same rating (nothing is written)."""
    return forecast(account.pk, language=language)


@dataclass(frozen=True)
class Statement:
    account: CustomerAccount
    since: dt.date
    until: dt.date
    opening_cents: int
    rows: list[StatementRow]

    @property
    def closing_cents(self) -> int:
        return self.rows[-1].balance_cents if self.rows else self.opening_cents


def statement_period(
    *, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The first and last day of a statement: the web's ``STATEMENT_MONTHS`` months up to
    today unless ``start`` or ``end`` choose others (a period no longer than that, ending
    no later than today). ``StatementPeriodError`` names the date at fault."""
    day = today or clock.today()
    until = end or day
    if until > day:
        raise StatementPeriodError("end", _("Choose an end date no later than today."))
    try:
        earliest = add_months(until, -STATEMENT_MONTHS) + dt.timedelta(days=1)
    except ValueError:  # before the calendar's first year
        earliest = dt.date.min
    since = start or earliest
    if since > until:
        raise StatementPeriodError("start", _("Choose a start date on or before the end date."))
    if since < earliest:
        raise StatementPeriodError(
            "start",
            _("A statement covers at most %(months)d months: choose a start date from %(date)s on.")
            % {"months": STATEMENT_MONTHS, "date": display_date(earliest)},
        )
    return since, until


def account_statement(*, account: CustomerAccount, since: dt.date, until: dt.date) -> Statement:
    """The account's ledger movements from ``since`` to ``until`` with the running
    balance, and the balance brought forward (two queries)."""
    opening, rows = statement(account.pk, since=since, until=until)
    return Statement(account=account, since=since, until=until, opening_cents=opening, rows=rows)


def balance_after(*, account: CustomerAccount, reference: str) -> int | None:
    """The account's balance right after the first posting under ``reference`` (a
    payment's confirmation number, an invoice number), in the statement's order; None
    when nothing is posted under it. Two queries."""
    first = (
        JournalTransaction.objects.filter(account=account, reference=reference)
        .order_by("effective_on", "id")
        .values_list("effective_on", "id")
        .first()
    )
    if first is None:
        return None
    effective_on, txn_id = first
    total = (
        JournalEntry.objects.filter(account_id=account.pk, book=Book.RECEIVABLE)
        .filter(
            Q(transaction__effective_on__lt=effective_on)
            | Q(transaction__effective_on=effective_on, transaction_id__lte=txn_id)
        )
        .aggregate(total=Sum("amount_cents"))["total"]
    )
    return int(total or 0)
