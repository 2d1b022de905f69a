"""Billing's invariants, run by ``dropline ledger check`` beside the ledger's own.

Each returns a description of the first broken thing it finds, or ``None``. They
read in bulk (aggregates and set differences), so they finish on a million invoices.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum

from dropline.billing.invoicing import invoice_number
from dropline.billing.models import Adjustment, Invoice, InvoiceLine, InvoiceStatus
from dropline.ledger.models import Book, JournalEntry, JournalTransaction, TransactionKind


def invoice_totals_equal_their_lines() -> str | None:
    lines = (
        InvoiceLine.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    broken = (
        Invoice.objects.annotate(lines_total=Subquery(lines))
        .exclude(total_cents=F("lines_total"))
        .order_by("sequence")
        .values_list("number", "total_cents", "lines_total")
        .first()
    )
    if broken is not None:
        return f"invoice {broken[0]} totals {broken[1]} but its lines add up to {broken[2] or 0}"
    return None


def amounts_due_add_up() -> str | None:
    broken = (
        Invoice.objects.exclude(amount_due_cents=F("previous_balance_cents") + F("total_cents"))
        .order_by("sequence")
        .values_list("number", flat=True)
        .first()
    )
    if broken is not None:
        return f"invoice {broken}: previous balance plus new charges is not the amount due"
    return None


def invoice_numbers_have_no_gaps() -> str | None:
    summary = Invoice.objects.aggregate(n=Count("id"), low=Min("sequence"), high=Max("sequence"))
    if not summary["n"]:
        return None
    if summary["low"] != 1 or summary["high"] != summary["n"]:
        return (
            f"invoice numbers run from {summary['low']} to {summary['high']} "
            f"but {summary['n']} invoices exist: a number is missing"
        )
    for number, sequence in Invoice.objects.values_list("number", "sequence").iterator(
        chunk_size=5000
    ):
        if number != invoice_number(sequence):
            return f"invoice {number} does not carry its sequence number {sequence}"
    return None


def one_invoice_per_account_and_cycle() -> str | None:
    twice = (
        Invoice.objects.exclude(status=InvoiceStatus.VOID)
        .values("account_id", "period_start")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("account_id", "period_start")
        .values_list("account_id", "period_start")
        .first()
    )
    if twice is not None:
        return f"account {twice[0]} has two invoices for the cycle starting {twice[1]}"
    return None


def every_invoice_is_posted() -> str | None:
    """A live invoice with charges has one invoice transaction whose receivable entry
    is its total; a void one has been reversed."""
    # One join against the receivable totals grouped by reference, aggregated to the
    # first broken invoice: without a LIMIT the planner hashes the whole join (a
    # LIMIT 1 made it choose a nested loop, quadratic on a million invoices).
    mismatch = f"""
        FROM {Invoice._meta.db_table} i
        LEFT JOIN (
            SELECT t.reference AS reference, SUM(e.amount_cents) AS total
            FROM {JournalEntry._meta.db_table} e
            JOIN {JournalTransaction._meta.db_table} t ON t.id = e.transaction_id
            WHERE e.book = %s AND t.kind = %s
            GROUP BY t.reference
        ) p ON p.reference = i.number
        WHERE (i.total_cents <> 0 OR p.total IS NOT NULL)
          AND (p.total IS NULL OR p.total <> i.total_cents)
    """  # noqa: S608 - table names from the models, values as parameters
    params = [Book.RECEIVABLE.value, TransactionKind.INVOICE.value]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(i.sequence) {mismatch}", params)
        first = cursor.fetchone()[0]
        broken = None
        if first is not None:
            cursor.execute(
                f"SELECT i.number, i.total_cents, p.total {mismatch} AND i.sequence = %s",
                [*params, first],
            )
            broken = cursor.fetchone()
    if broken is not None:
        return (
            f"invoice {broken[0]} totals {broken[1]} but the ledger's receivable "
            f"holds {broken[2] or 0} for it"
        )
    unreversed = (
        Invoice.objects.filter(status=InvoiceStatus.VOID)
        .filter(
            Q(
                number__in=JournalTransaction.objects.filter(
                    kind=TransactionKind.INVOICE, reversed_by__isnull=True
                ).values("reference")
            )
        )
        .values_list("number", flat=True)
        .first()
    )
    if unreversed is not None:
        return f"invoice {unreversed} is void but its posting was never reversed"
    return None


def no_charge_billed_on_a_void_invoice() -> str | None:
    stuck = (
        Adjustment.objects.filter(invoice__status=InvoiceStatus.VOID)
        .values_list("id", flat=True)
        .first()
    )
    if stuck is not None:
        return f"adjustment {stuck} is still billed on a void invoice"
    return None


BILLING_CHECKS = [
    ("invoice totals equal their lines", invoice_totals_equal_their_lines),
    ("amounts due add up", amounts_due_add_up),
    ("invoice numbers have no gaps", invoice_numbers_have_no_gaps),
    ("one invoice per account and cycle", one_invoice_per_account_and_cycle),
    ("every invoice is posted to the ledger", every_invoice_is_posted),
    ("no charge is billed on a void invoice", no_charge_billed_on_a_void_invoice),
]
