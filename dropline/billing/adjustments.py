"""Staff corrections: one-time charges and credits, and void-and-reissue.

A charge or credit is entered with a reason and billed in arrears on the account's
next invoice. A wrong invoice is never edited: voiding it posts a credit note that
reverses its ledger transaction exactly, releases its charges and credits, and the
same cycle is billed again as a new invoice that says which one it replaces, and
the customer is told the corrected bill is ready. Each is one transaction and one
audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.billing.errors import AdjustmentError, InvoiceError
from dropline.billing.invoicing import issue_invoices
from dropline.billing.models import (
    Adjustment,
    AdjustmentKind,
    ChargeCategory,
    Invoice,
    InvoiceStatus,
)
from dropline.billing.notifying import notify_bills_ready
from dropline.core import audit, clock, read_models
from dropline.customers.models import CustomerAccount
from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.ledger.posting import post, reversal

MAX_ADJUSTMENT_CENTS = 1_000_000  # $10,000: anything larger is a typing mistake


def enter_adjustment(
    *,
    account: CustomerAccount,
    kind: str,
    amount_cents: int,
    description: str,
    reason: str,
    category: str = ChargeCategory.FEES,
    description_es: str = "",
    taxable: bool = False,
    occurred_on: dt.date | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Adjustment:
    """Record a one-time charge or a credit for the account's next bill."""
    if kind not in AdjustmentKind.values:
        raise AdjustmentError("kind", _("Choose a one-time charge or a credit."))
    if category not in ChargeCategory.values:
        raise AdjustmentError("category", _("Choose what the charge or credit is for."))
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise AdjustmentError("amount_cents", _("Enter the amount in whole cents."))
    if amount_cents <= 0:
        raise AdjustmentError("amount_cents", _("Enter an amount greater than zero."))
    if amount_cents > MAX_ADJUSTMENT_CENTS:
        raise AdjustmentError("amount_cents", _("Enter an amount of $10,000.00 or less."))
    description = description.strip()
    if not description:
        raise AdjustmentError("description", _("Enter the words the customer will see."))
    reason = reason.strip()
    if not reason:
        raise AdjustmentError("reason", _("Say why, for the account's history."))
    today = clock.today()
    day = occurred_on or today
    if day > today:
        raise AdjustmentError("occurred_on", _("The date cannot be in the future."))
    with transaction.atomic():
        adjustment = Adjustment.objects.create(
            account=account,
            kind=kind,
            category=category,
            description=description[:120],
            description_es=description_es.strip()[:120],
            amount_cents=amount_cents,
            currency=account.currency,
            taxable=taxable,
            occurred_on=day,
            reason=reason,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=clock.now(),
        )
        audit.record(
            action=f"billing.{kind}_entered",
            request=request,
            actor=actor,
            target=adjustment,
            account_number=account.number,
            data={"amount_cents": amount_cents, "description": description, "reason": reason},
        )
    return adjustment


def void_invoice(
    *,
    invoice: Invoice,
    reason: str,
    reissue: bool = True,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Invoice | None:
    """Void ``invoice`` by reversal and, unless told not to, bill its cycle again.

    Only an account's latest invoice can be voided: a later bill has already trued up
    this one's period, so the later one is voided first. Returns the new invoice.
    """
    reason = reason.strip()
    if not reason:
        raise InvoiceError(_("Say why the invoice is being voided."))
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status == InvoiceStatus.VOID:
            raise InvoiceError(_("This invoice is already void."))
        later = (
            Invoice.objects.filter(
                account_id=locked.account_id, period_start__gt=locked.period_start
            )
            .exclude(status=InvoiceStatus.VOID)
            .order_by("period_start")
            .values_list("number", flat=True)
            .first()
        )
        if later is not None:
            raise InvoiceError(
                _("Invoice %(later)s came after this one; void it first.") % {"later": later}
            )
        original = (
            JournalTransaction.objects.filter(
                reference=locked.number, kind=TransactionKind.INVOICE, reversed_by__isnull=True
            )
            .values_list("pk", flat=True)
            .first()
        )
        if original is not None:
            post(
                reversal(
                    original,
                    kind=TransactionKind.CREDIT_NOTE,
                    reference=locked.number,
                    memo=f"Void of invoice {locked.number}: {reason}",
                )
            )
        Invoice.objects.filter(pk=locked.pk).update(status=InvoiceStatus.VOID)
        read_models.accounts_changed([locked.account_id])
        Adjustment.objects.filter(invoice_id=locked.pk).update(invoice=None)
        account_number = locked.account.number
        audit.record(
            action="billing.invoice_voided",
            request=request,
            actor=actor,
            target=locked,
            account_number=account_number,
            data={"number": locked.number, "reason": reason, "reissue": reissue},
        )
        if not reissue:
            return None
        outcome = issue_invoices(
            account_ids=[locked.account_id],
            cycle_start=locked.period_start,
            replaces={locked.account_id: locked.pk},
        )
        if not outcome.invoice_ids:
            problem = next(iter({**outcome.skipped, **outcome.failed}.values()), "")
            raise InvoiceError(
                _("The cycle could not be billed again: %(problem)s") % {"problem": problem}
            )
        replacement = Invoice.objects.get(pk=outcome.invoice_ids[0])
        notify_bills_ready(invoice_ids=outcome.invoice_ids)
        audit.record(
            action="billing.invoice_reissued",
            request=request,
            actor=actor,
            target=replacement,
            account_number=account_number,
            data={"number": replacement.number, "replaces": locked.number},
        )
        return replacement
