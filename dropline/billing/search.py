"""Finding invoices for staff: by invoice number, account number, bill cycle start and
status, newest first, one page at a time without counting the table; and reading one
invoice with what staff need around it (its lines, what it replaces and what replaced it).

The filters are parsed by the back-office; the rule of what they mean lives here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import QuerySet

from dropline.billing.models import Adjustment, BillRun, BillRunStatus, Invoice, InvoiceStatus
from dropline.core.pagination import NumberedPage, numbered_page
from dropline.customers.numbering import normalize_account_number

INVOICE_PAGE_SIZE = 50
INVOICE_MAX_PAGES = 100


def normalize_invoice_number(text: str) -> str:
    """``inv-00000042``, `` INV-00000042 `` and ``42`` as ``INV-00000042``."""
    cleaned = text.strip().upper().replace(" ", "")
    digits = cleaned.removeprefix("INV-").removeprefix("INV")
    if digits.isdigit() and len(digits) <= 8:
        return f"INV-{int(digits):08d}"
    return cleaned


@dataclasses.dataclass(frozen=True)
class InvoiceFilters:
    """Every filter optional, all combined; an empty string or None means any."""

    number: str = ""
    account: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    status: str = ""

    def is_empty(self) -> bool:
        return not (
            self.number or self.account or self.period_from or self.period_to or self.status
        )


def _matching(filters: InvoiceFilters) -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("account").order_by("-issued_on", "-sequence")
    if filters.number:
        invoices = invoices.filter(number=normalize_invoice_number(filters.number))
    if filters.account:
        invoices = invoices.filter(account__number=normalize_account_number(filters.account))
    if filters.period_from is not None:
        invoices = invoices.filter(period_start__gte=filters.period_from)
    if filters.period_to is not None:
        invoices = invoices.filter(period_start__lte=filters.period_to)
    if filters.status in InvoiceStatus.values:
        invoices = invoices.filter(status=filters.status)
    return invoices


def search_invoices(
    *, filters: InvoiceFilters, page: str | int | None = None
) -> NumberedPage[Invoice]:
    """One page of the invoices matching ``filters``, newest first, no COUNT."""
    return numbered_page(
        _matching(filters), number=page, size=INVOICE_PAGE_SIZE, max_pages=INVOICE_MAX_PAGES
    )


def invoice_by_number(number: str) -> Invoice | None:
    """The invoice numbered ``number`` (in any common spelling) with its account,
    what it replaces and what replaced it; None when there is none."""
    return (
        Invoice.objects.select_related("account", "replaces", "replaced_by", "bill_run")
        .filter(number=normalize_invoice_number(number))
        .first()
    )


def latest_invoices(*, account_id: int, limit: int = 3) -> list[Invoice]:
    """The account's newest invoices, void ones included (staff see the history)."""
    return list(
        Invoice.objects.filter(account_id=account_id).order_by("-period_start", "-sequence")[:limit]
    )


def unbilled_adjustments(*, account_id: int) -> list[Adjustment]:
    """Charges and credits entered for the account and not on an invoice yet: they
    are billed on its next bill."""
    return list(
        Adjustment.objects.filter(account_id=account_id, invoice__isnull=True)
        .select_related("created_by")
        .order_by("occurred_on", "id")
    )


def bill_runs(*, status: str = "") -> QuerySet[BillRun]:
    """Bill runs, newest cycle first; only those with ``status`` when it is one."""
    runs = BillRun.objects.order_by("-run_on")
    if status in BillRunStatus.values:
        runs = runs.filter(status=status)
    return runs


def stopped_runs_count() -> int:
    """How many bill runs stopped with failures (they need someone to look)."""
    return BillRun.objects.filter(status=BillRunStatus.FAILED).count()
