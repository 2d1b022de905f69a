"""Reads of disputes, always scoped: a customer's through their account, staff's queue
through the permission the edge checked."""

from __future__ import annotations

from django.db.models import Sum

from dropline.customers.models import CustomerAccount
from dropline.payments.disputes.models import (
    OPEN_STATUSES,
    Dispute,
    DisputeAttachment,
    DisputeMessage,
)


def held_cents(*, account_id: int) -> int:
    """The disputed amount still open (open or in review) on the account: held out of
    autopay charges and of the past-due amount that late fees and suspension count."""
    total = Dispute.objects.filter(account_id=account_id, status__in=OPEN_STATUSES).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


def disputes_for(*, account: CustomerAccount) -> list[Dispute]:
    """The account's disputes, newest first, with their invoice and line."""
    return list(Dispute.objects.filter(account=account).select_related("invoice", "invoice_line"))


def dispute_for(*, account: CustomerAccount, dispute_id: int) -> Dispute | None:
    """The account's dispute ``dispute_id``; None for another account's (a 404)."""
    return (
        Dispute.objects.filter(account=account, pk=dispute_id)
        .select_related("invoice", "invoice_line", "account")
        .first()
    )


def customer_thread(*, dispute: Dispute) -> list[DisputeMessage]:
    """The messages the customer sees: never an internal note."""
    return list(
        dispute.messages.filter(internal=False)
        .select_related("author")
        .prefetch_related("attachments")
    )


def staff_thread(*, dispute: Dispute) -> list[DisputeMessage]:
    return list(dispute.messages.select_related("author").prefetch_related("attachments"))


def customer_attachment(
    *, account: CustomerAccount, dispute_id: int, attachment_id: int
) -> DisputeAttachment | None:
    """An attachment the customer may download: on their own dispute, on a message they
    can see; None otherwise (a 404)."""
    return (
        DisputeAttachment.objects.filter(
            pk=attachment_id,
            dispute_id=dispute_id,
            dispute__account=account,
            message__internal=False,
        )
        .select_related("dispute")
        .first()
    )
