"""Invoices paid and reopened as the account's balance moves.

Billing never knows about payments: whatever moved the receivable (a payment, a return,
a refund, a credit) calls ``settle_invoices`` in its own transaction afterwards. The
balance is the ledger's SUM; when it is covered (0 or a credit), every unpaid invoice
is paid; when a reversal makes it owing again, the latest paid invoice reopens.
"""

from __future__ import annotations

from dataclasses import dataclass

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core import read_models
from dropline.ledger.queries import balance_cents


@dataclass(frozen=True, slots=True)
class Settled:
    paid: int  # invoices marked paid
    reopened: int  # invoices reopened


def settle_invoices(*, account_id: int) -> Settled:
    """Bring the account's invoices' status in line with its balance (two or three queries)."""
    read_models.accounts_changed([account_id])
    balance = balance_cents(account_id)
    invoices = Invoice.objects.filter(account_id=account_id)
    if balance <= 0:
        paid = invoices.filter(status=InvoiceStatus.OPEN).update(status=InvoiceStatus.PAID)
        return Settled(paid=paid, reopened=0)
    latest = (
        invoices.exclude(status=InvoiceStatus.VOID)
        .order_by("-sequence")
        .values_list("pk", "status")
        .first()
    )
    if latest is not None and latest[1] == InvoiceStatus.PAID:
        invoices.filter(pk=latest[0]).update(status=InvoiceStatus.OPEN)
        return Settled(paid=0, reopened=1)
    return Settled(paid=0, reopened=0)
