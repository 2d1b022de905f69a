"""Staff's work on a dispute: assigning it, resolving it with a credit or rejecting it;
and the customer's withdrawing it.

A credit is posted to the ledger at once: Dr ``discounts:<the line's category>``, Cr
the account's receivable, kind ``dispute_credit``, reference the dispute number. The
dispute's row says what was decided; the ledger holds the money. Each step is one
transaction with its audit event; the customer is told the outcome.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.billing.settling import settle_invoices
from dropline.core import audit, clock
from dropline.ledger.models import Book, TransactionKind
from dropline.ledger.posting import Entry, Posting, post
from dropline.payments.disputes import notifying
from dropline.payments.disputes.models import Dispute, DisputeStatus
from dropline.payments.errors import PaymentError

MAX_TEXT = 4000


def _locked_open(dispute: Dispute) -> Dispute:
    locked = (
        Dispute.objects.select_for_update()
        .select_related("account", "invoice", "invoice_line")
        .get(pk=dispute.pk)
    )
    if not locked.is_open:
        raise PaymentError("dispute", _("This dispute is already closed."), "closed")
    return locked


def _text(value: str, field: str, missing: str) -> str:
    value = value.strip()
    if not value:
        raise PaymentError(field, missing, field)
    if len(value) > MAX_TEXT:
        raise PaymentError(
            field,
            _("Keep it to %(count)d characters or fewer.") % {"count": MAX_TEXT},
            field,
        )
    return value


def _refresh(dispute: Dispute, locked: Dispute) -> Dispute:
    for name in ("status", "assigned_to_id", "resolution", "credited_cents", "closed_at"):
        setattr(dispute, name, getattr(locked, name))
    return locked


def assign(
    *, dispute: Dispute, staff: User | None, actor: Any, request: HttpRequest | None = None
) -> Dispute:
    """Give ``dispute`` to ``staff`` (None: nobody); an open dispute goes into review."""
    with transaction.atomic():
        locked = _locked_open(dispute)
        locked.assigned_to = staff
        if staff is not None and locked.status == DisputeStatus.OPEN:
            locked.status = DisputeStatus.IN_REVIEW
        locked.save(update_fields=["assigned_to", "status"])
        audit.record(
            action="dispute.assigned",
            request=request,
            actor=actor,
            target=locked,
            account_number=locked.account.number,
            data={"assigned_to": staff.get_username() if staff is not None else ""},
        )
    return _refresh(dispute, locked)


def resolve_with_credit(
    *,
    dispute: Dispute,
    amount_cents: int,
    note: str,
    actor: Any,
    request: HttpRequest | None = None,
) -> Dispute:
    """Close ``dispute`` with a credit of ``amount_cents`` (1 cent up to the disputed
    amount), posted to the ledger now; ``note`` is the resolution the customer reads."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise PaymentError(
            "amount_cents", _("Enter a credit greater than zero."), "amount_not_positive"
        )
    note = _text(note, "note", _("Say what was decided, for the customer."))
    with transaction.atomic():
        locked = _locked_open(dispute)
        if amount_cents > locked.amount_cents:
            raise PaymentError(
                "amount_cents",
                _("The credit can be at most the disputed amount."),
                "over_disputed",
            )
        post(
            Posting(
                kind=TransactionKind.DISPUTE_CREDIT,
                reference=locked.number,
                memo=f"Dispute {locked.number} on invoice {locked.invoice.number}",
                effective_on=clock.today(),
                account_id=locked.account_id,
                currency=locked.currency,
                entries=(
                    Entry(
                        book=Book.DISCOUNTS,
                        sub=locked.invoice_line.category,
                        amount_cents=amount_cents,
                    ),
                    Entry(
                        book=Book.RECEIVABLE,
                        account_id=locked.account_id,
                        amount_cents=-amount_cents,
                    ),
                ),
            )
        )
        _close(locked, DisputeStatus.CREDITED, note, actor, credited_cents=amount_cents)
        # The credit may cover what is owed: the bills it covers are paid.
        settle_invoices(account_id=locked.account_id)
        audit.record(
            action="dispute.credited",
            request=request,
            actor=actor,
            target=locked,
            account_number=locked.account.number,
            data={"amount_cents": amount_cents, "note": note},
        )
        notifying.tell(locked, notifying.DISPUTE_RESOLVED)
    return _refresh(dispute, locked)


def reject(
    *, dispute: Dispute, reason: str, actor: Any, request: HttpRequest | None = None
) -> Dispute:
    """Close ``dispute`` without a credit; ``reason`` is what the customer reads."""
    reason = _text(reason, "reason", _("Say why, for the customer."))
    with transaction.atomic():
        locked = _locked_open(dispute)
        _close(locked, DisputeStatus.REJECTED, reason, actor)
        audit.record(
            action="dispute.rejected",
            request=request,
            actor=actor,
            target=locked,
            account_number=locked.account.number,
            data={"reason": reason},
        )
        notifying.tell(locked, notifying.DISPUTE_RESOLVED)
    return _refresh(dispute, locked)


def withdraw(*, dispute: Dispute, actor: Any, request: HttpRequest | None = None) -> Dispute:
    """The customer takes the dispute back: the amount is no longer held."""
    with transaction.atomic():
        locked = _locked_open(dispute)
        _close(locked, DisputeStatus.WITHDRAWN, "", actor)
        audit.record(
            action="dispute.withdrawn",
            request=request,
            actor=actor,
            target=locked,
            account_number=locked.account.number,
        )
    return _refresh(dispute, locked)


def _close(
    locked: Dispute, status: str, resolution: str, actor: Any, *, credited_cents: int = 0
) -> None:
    locked.status = status
    locked.resolution = resolution
    locked.credited_cents = credited_cents
    locked.closed_at = clock.now()
    locked.closed_by = actor if actor is not None and actor.is_authenticated else None
    locked.save(update_fields=["status", "resolution", "credited_cents", "closed_at", "closed_by"])
