"""Opening a dispute of one charge on the account's own bill.

Only a line that charges (amount above zero) of a bill that stands (not void), issued
within ``DROPLINE_DISPUTE_WINDOW_DAYS``, and only one open dispute per line. The first
message is the customer's description, with its files. Staff answer by the due date,
``DROPLINE_DISPUTE_SLA_DAYS`` business (or calendar) days after opening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.billing.models import InvoiceLine, InvoiceStatus
from dropline.core import audit, clock, sequences
from dropline.customers.models import CustomerAccount
from dropline.payments.disputes import attachments, notifying
from dropline.payments.disputes.models import (
    OPEN_STATUSES,
    Dispute,
    DisputeAttachment,
    DisputeMessage,
    DisputeReason,
)
from dropline.payments.errors import PaymentError

MAX_DESCRIPTION = 4000


def due_on(opened: dt.date) -> dt.date:
    """The day staff answer by: the SLA's days after ``opened``, counting only Monday to
    Friday when the SLA is in business days."""
    days = settings.DROPLINE_DISPUTE_SLA_DAYS
    if not settings.DROPLINE_DISPUTE_SLA_BUSINESS_DAYS:
        return opened + dt.timedelta(days=days)
    day = opened
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def earliest_bill_date(today: dt.date) -> dt.date:
    """The oldest bill date that may still be disputed."""
    return today - dt.timedelta(days=settings.DROPLINE_DISPUTE_WINDOW_DAYS)


def disputable_reason(*, account: CustomerAccount, line: InvoiceLine) -> str | None:
    """Why ``line`` cannot be disputed, in the reader's language; None when it can."""
    invoice = line.invoice
    if invoice.account_id != account.pk:
        return _("That charge is not on this account's bills.")
    if invoice.status == InvoiceStatus.VOID:
        return _("This bill was voided; dispute the bill that replaced it.")
    if line.amount_cents <= 0:
        return _("Only a charge can be disputed, not a credit or a discount.")
    if invoice.issued_on < earliest_bill_date(clock.today()):
        return _("This bill is too old to dispute online. Call us about it.")
    if Dispute.objects.filter(invoice_line=line, status__in=OPEN_STATUSES).exists():
        return _("This charge already has an open dispute.")
    return None


def _user_or_none(actor: Any) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _check_amount(amount_cents: int, line: InvoiceLine) -> None:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise PaymentError("amount_cents", _("Enter the amount in dollars and cents."), "invalid")
    if amount_cents <= 0:
        raise PaymentError(
            "amount_cents", _("Enter an amount greater than zero."), "amount_not_positive"
        )
    if amount_cents > line.amount_cents:
        raise PaymentError(
            "amount_cents",
            _("You can dispute at most the amount of the charge."),
            "over_line_amount",
        )


def open_dispute(
    *,
    account: CustomerAccount,
    invoice_line: InvoiceLine,
    amount_cents: int,
    reason: str,
    description: str,
    files: Sequence[attachments.UploadLike] = (),
    actor: Any,
    request: HttpRequest | None = None,
) -> Dispute:
    """Open a dispute of ``invoice_line`` for ``amount_cents`` (at most the line's amount).

    Refusals (``PaymentError``): ``not_disputable`` (another account's line, a void or
    too old bill, a credit, a line already disputed), ``amount_not_positive``,
    ``over_line_amount``, ``reason``, ``description``, and the files' ``file_type``,
    ``file_too_large``, ``too_many_files``. Nothing is written when refused.
    """
    refusal = disputable_reason(account=account, line=invoice_line)
    if refusal is not None:
        raise PaymentError("invoice_line", refusal, "not_disputable")
    _check_amount(amount_cents, invoice_line)
    if reason not in DisputeReason.values:
        raise PaymentError("reason", _("Choose the reason for the dispute."), "reason")
    description = description.strip()
    if not description:
        raise PaymentError(
            "description", _("Tell us what is wrong with this charge."), "description"
        )
    if len(description) > MAX_DESCRIPTION:
        raise PaymentError(
            "description",
            _("Keep the description to %(count)d characters or fewer.")
            % {"count": MAX_DESCRIPTION},
            "description",
        )
    person = _user_or_none(actor)
    now = clock.now()
    with attachments.staged_files(files=files) as staged:
        try:
            with transaction.atomic():
                number = f"D{sequences.reserve(name='dispute')[0]:09d}"
                dispute = Dispute.objects.create(
                    number=number,
                    account=account,
                    invoice=invoice_line.invoice,
                    invoice_line=invoice_line,
                    amount_cents=amount_cents,
                    currency=invoice_line.invoice.currency,
                    reason=reason,
                    description=description,
                    due_on=due_on(clock.today()),
                    opened_by=person,
                    opened_at=now,
                )
                message = DisputeMessage.objects.create(
                    dispute=dispute, author=person, body=description, created_at=now
                )
                save_attachments(dispute=dispute, message=message, staged=staged)
                audit.record(
                    action="dispute.opened",
                    request=request,
                    actor=person,
                    target=dispute,
                    account_number=account.number,
                    data={
                        "invoice": invoice_line.invoice.number,
                        "line": invoice_line.pk,
                        "amount_cents": amount_cents,
                        "reason": reason,
                        "files": len(staged),
                    },
                )
                notifying.tell(dispute, notifying.DISPUTE_OPENED)
        except IntegrityError as exc:
            # Two requests for the same line at once: the constraint keeps one.
            raise PaymentError(
                "invoice_line", _("This charge already has an open dispute."), "not_disputable"
            ) from exc
    return dispute


def save_attachments(
    *, dispute: Dispute, message: DisputeMessage, staged: Sequence[attachments.Staged]
) -> list[DisputeAttachment]:
    """The rows of ``staged`` files on ``message``, and the files in their final place."""
    now = clock.now()
    rows = DisputeAttachment.objects.bulk_create(
        [
            DisputeAttachment(
                dispute=dispute,
                message=message,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                storage_key=item.storage_key,
                created_at=now,
            )
            for item in staged
        ]
    )
    attachments.keep(staged)
    return rows
