"""Reads of disputes, always scoped: a customer's through their account, staff's queue
through the permission the edge checked."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from dropline.billing.models import InvoiceLine
from dropline.core import clock
from dropline.core.pagination import NumberedPage, numbered_page
from dropline.customers.models import CustomerAccount
from dropline.payments.disputes.models import (
    OPEN_STATUSES,
    Dispute,
    DisputeAttachment,
    DisputeMessage,
    DisputeStatus,
)

QUEUE_PAGE_SIZE = 50
QUEUE_MAX_PAGES = 40


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


def line_for(*, account: CustomerAccount, invoice_number: str, line_id: int) -> InvoiceLine | None:
    """The line ``line_id`` of the account's invoice ``invoice_number``; None for any
    other (another account's line is a 404)."""
    return (
        InvoiceLine.objects.filter(
            pk=line_id,
            invoice__account=account,
            invoice__number=invoice_number.strip().upper(),
        )
        .select_related("invoice")
        .first()
    )


def open_disputes_by_line(*, invoice_id: int) -> dict[int, int]:
    """The open dispute of each line of an invoice: line id to dispute id."""
    return dict(
        Dispute.objects.filter(invoice_id=invoice_id, status__in=OPEN_STATUSES).values_list(
            "invoice_line_id", "pk"
        )
    )


# Staff ---------------------------------------------------------------------------------

STATUS_FILTER_OPEN = "open"  # open and in review
STATUS_FILTER_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "none"


@dataclass(frozen=True)
class QueueFilters:
    status: str = STATUS_FILTER_OPEN  # "open", "all" or one DisputeStatus
    assignee: str = ""  # "", "me", "none"


def _queue_rows(filters: QueueFilters, staff_id: int) -> QuerySet[Dispute]:
    rows = Dispute.objects.select_related("account", "invoice", "assigned_to")
    if filters.status == STATUS_FILTER_OPEN:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.status in DisputeStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.assignee == ASSIGNEE_ME:
        rows = rows.filter(assigned_to_id=staff_id)
    elif filters.assignee == ASSIGNEE_NOBODY:
        rows = rows.filter(assigned_to__isnull=True)
    # Open ones first, the most overdue first; closed ones after, newest first.
    return rows.annotate(
        closed=Case(
            When(status__in=OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("closed", "due_on", "-opened_at", "-id")


def queue(*, filters: QueueFilters, staff_id: int, page: str | int | None) -> NumberedPage[Dispute]:
    """The disputes queue for staff: open ones first by due date (overdue at the top)."""
    return numbered_page(
        _queue_rows(filters, staff_id),
        number=page,
        size=QUEUE_PAGE_SIZE,
        max_pages=QUEUE_MAX_PAGES,
    )


def open_past_due_count() -> int:
    """Open disputes whose answer is overdue (the back-office home's tile)."""
    return Dispute.objects.filter(status__in=OPEN_STATUSES, due_on__lt=clock.today()).count()


def staff_dispute(*, dispute_id: int) -> Dispute | None:
    return (
        Dispute.objects.filter(pk=dispute_id)
        .select_related("account", "invoice", "invoice_line", "assigned_to", "opened_by")
        .first()
    )


def staff_attachment(*, dispute_id: int, attachment_id: int) -> DisputeAttachment | None:
    return DisputeAttachment.objects.filter(pk=attachment_id, dispute_id=dispute_id).first()


def account_disputes(*, account: CustomerAccount, limit: int = 10) -> list[Dispute]:
    """The account's latest disputes, for the customer hub."""
    return list(
        Dispute.objects.filter(account=account).select_related("invoice", "assigned_to")[:limit]
    )
