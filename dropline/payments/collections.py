"""The collections list for staff: accounts with a bill past its due date, how many days,
what is past due and what is held by open disputes, the step dunning reached, any
extension, and whether autopay is on.

Read in a fixed number of queries whatever the number of accounts (the edge checked the
staff member's permission). Staff suspend and restore through ``subscriptions.suspension``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core import bulk
from dropline.customers.models import AccountStatus, CustomerAccount
from dropline.ledger.queries import balances_cents
from dropline.payments.disputes.models import OPEN_STATUSES, Dispute
from dropline.payments.models import (
    AutopayEnrolment,
    DunningStep,
    DunningStepKind,
    PaymentExtension,
)

MAX_ROWS = 500
# The step each account has reached, later steps winning.
_STEP_ORDER = [
    DunningStepKind.REMINDER,
    DunningStepKind.OVERDUE,
    DunningStepKind.LATE_FEE,
    DunningStepKind.WARNING,
    DunningStepKind.SUSPENDED,
    DunningStepKind.RESTORED,
]


@dataclass(frozen=True)
class CollectionFilters:
    step: str = ""  # a DunningStepKind, "none" (no step yet) or "" (any)
    min_days: int = 0
    autopay: str = ""  # "yes", "no" or "" (either)
    account_number: str = ""


@dataclass(frozen=True)
class CollectionRow:
    account_id: int
    account_number: str
    account_name: str
    account_status: str
    invoice_number: str
    due_on: dt.date
    days_past_due: int
    past_due_cents: int  # owed of the bills past due, before the disputed amount
    held_cents: int  # open disputes
    currency: str
    step: str  # the latest DunningStepKind, or ""
    extension_until: dt.date | None
    on_autopay: bool

    @property
    def counted_cents(self) -> int:
        """What late fees and suspension count: past due less held."""
        return max(0, self.past_due_cents - self.held_cents)

    @property
    def step_label(self) -> str:
        return str(DunningStepKind(self.step).label) if self.step else ""


def past_due(*, today: dt.date, filters: CollectionFilters | None = None) -> list[CollectionRow]:
    """Accounts with an open bill due before ``today`` and something still past due,
    most days past due first (at most ``MAX_ROWS``)."""
    filters = filters or CollectionFilters()
    bills = Invoice.objects.filter(status=InvoiceStatus.OPEN, due_on__lt=today)
    if filters.account_number:
        bills = bills.filter(account__number=filters.account_number)
    oldest: dict[int, dict[str, Any]] = {}
    for found in bills.order_by("due_on", "id").values(
        "id",
        "account_id",
        "number",
        "due_on",
        "currency",
        "account__number",
        "account__name",
        "account__status",
    ):
        oldest.setdefault(int(found["account_id"]), dict(found))
    if not oldest:
        return []
    ids = list(oldest)
    many = bulk.many(ids)
    balances = balances_cents(ids)
    not_yet_due = dict(
        Invoice.objects.filter(account_id__in=many, due_on__gte=today)
        .exclude(status=InvoiceStatus.VOID)
        .values("account_id")
        .annotate(total=Sum("total_cents"))
        .values_list("account_id", "total")
    )
    held = dict(
        Dispute.objects.filter(account_id__in=many, status__in=OPEN_STATUSES)
        .values("account_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("account_id", "total")
    )
    rank = {str(step): index for index, step in enumerate(_STEP_ORDER)}
    steps: dict[int, str] = {}
    for account_id, step in DunningStep.objects.filter(account_id__in=many).values_list(
        "account_id", "step"
    ):
        current = steps.get(account_id)
        if current is None or rank[step] >= rank[current]:
            steps[account_id] = step
    extensions = dict(
        PaymentExtension.objects.filter(
            invoice_id__in=bulk.many([int(bill["id"]) for bill in oldest.values()])
        ).values_list("account_id", "until")
    )
    on_autopay = set(
        AutopayEnrolment.objects.filter(account_id__in=many, cancelled_at__isnull=True).values_list(
            "account_id", flat=True
        )
    )
    rows: list[CollectionRow] = []
    for account_id, bill in oldest.items():
        owed = balances.get(account_id, 0) - int(not_yet_due.get(account_id) or 0)
        if owed <= 0:
            continue
        due_on = bill["due_on"]
        assert isinstance(due_on, dt.date)
        entry = CollectionRow(
            account_id=account_id,
            account_number=str(bill["account__number"]),
            account_name=str(bill["account__name"]),
            account_status=str(bill["account__status"]),
            invoice_number=str(bill["number"]),
            due_on=due_on,
            days_past_due=(today - due_on).days,
            past_due_cents=owed,
            held_cents=int(held.get(account_id) or 0),
            currency=str(bill["currency"]),
            step=steps.get(account_id, ""),
            extension_until=extensions.get(account_id),
            on_autopay=account_id in on_autopay,
        )
        if _kept(entry, filters):
            rows.append(entry)
    rows.sort(key=lambda kept: (-kept.days_past_due, kept.account_number))
    return rows[:MAX_ROWS]


def _kept(row: CollectionRow, filters: CollectionFilters) -> bool:
    if row.days_past_due < filters.min_days:
        return False
    if filters.autopay == "yes" and not row.on_autopay:
        return False
    if filters.autopay == "no" and row.on_autopay:
        return False
    if filters.step == "none":
        return not row.step
    return not filters.step or row.step == filters.step


def suspended_count() -> int:
    """Accounts whose services are suspended (the back-office home's tile)."""
    return CustomerAccount.objects.filter(status=AccountStatus.SUSPENDED).count()
