"""Issuing invoices: rate, number, write and post, for many accounts at once.

``issue_invoices`` is the bill run's unit of work and the only writer of invoices.
For a batch of accounts whose cycle starts on one day it reads the histories (eight
queries), rates each account with ``rating.rate``, reserves consecutive invoice
numbers, and writes the invoices, their lines and their ledger postings through the
database's bulk path: a fixed number of queries per batch, not per account. It runs
in one transaction: a crash leaves nothing behind, and the numbers it reserved are
released with it, so issued numbers have no gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Value, When

from dropline.billing.history import AccountHistory, load_histories
from dropline.billing.lines import RatedLine
from dropline.billing.models import (
    Adjustment,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
)
from dropline.billing.rating import rate
from dropline.core import bulk, clock, read_models, sequences
from dropline.customers.cycles import cycle_starting_on
from dropline.ledger.models import Book, TransactionKind
from dropline.ledger.posting import Entry, Posting, post_many
from dropline.ledger.queries import balances_cents

INVOICE_SEQUENCE = "invoice"

INVOICE_COLUMNS = (
    "id",
    "account_id",
    "number",
    "sequence",
    "period_start",
    "period_end",
    "issued_on",
    "due_on",
    "total_cents",
    "previous_balance_cents",
    "amount_due_cents",
    "currency",
    "language",
    "status",
    "bill_run_id",
    "replaces_id",
    "created_at",
)
LINE_COLUMNS = (
    "invoice_id",
    "position",
    "kind",
    "category",
    "item_key",
    "group_key",
    "label",
    "label_es",
    "period_start",
    "period_end",
    "quantity",
    "amount_cents",
    "taxable",
    "jurisdiction_code",
    "percent",
)


class SkipReason:
    """Why an account was not billed (shown in a bill run's summary)."""

    NOT_FOUND = "The account no longer exists."
    ALREADY_BILLED = "Already billed for this cycle."
    NOT_ITS_CYCLE = "Its bill cycle does not start on this day."
    NOTHING_TO_BILL = "Nothing to bill: no services, charges or credits."


@dataclass
class IssueOutcome:
    """What a batch did: invoices written, accounts skipped and failed (with reasons)."""

    invoice_ids: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


def invoice_number(sequence: int) -> str:
    return f"INV-{sequence:08d}"


@dataclass(frozen=True, slots=True)
class _Draft:
    history: AccountHistory
    period_end: dt.date
    lines: list[RatedLine]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def _ledger_book(line: RatedLine) -> tuple[str, str]:
    """Where a line's other side goes: tax payable per tax, discounts, or revenue, per
    category."""
    if line.kind == LineKind.TAX:
        return Book.TAX_PAYABLE, line.item_key.removeprefix("tax:")
    if line.kind in (LineKind.DISCOUNT, LineKind.CREDIT):
        return Book.DISCOUNTS, line.category
    if line.kind == LineKind.USAGE and line.amount_cents < 0:  # a courtesy credit
        return Book.DISCOUNTS, line.category
    return Book.REVENUE, line.category


def invoice_posting(
    *, account_id: int, number: str, issued_on: dt.date, currency: str, lines: list[RatedLine]
) -> Posting | None:
    """The ledger transaction of an invoice: the receivable takes the total, each line's
    other side goes to its book. None when nothing moves (every line nets to zero)."""
    # Summed per book first: a bill run makes a million of these, one Entry per book.
    total = 0
    sums: dict[tuple[str, str], int] = {}
    for line in lines:
        total += line.amount_cents
        key = _ledger_book(line)
        sums[key] = sums.get(key, 0) - line.amount_cents
    # Each (book, sub) once already: what ``combine`` would do is only to leave out zeros.
    combined = tuple(
        [Entry(book=Book.RECEIVABLE, account_id=account_id, amount_cents=total)] if total else []
    ) + tuple(
        Entry(book=book, sub=sub, amount_cents=amount)
        for (book, sub), amount in sums.items()
        if amount
    )
    if not combined:
        return None
    return Posting(
        kind=TransactionKind.INVOICE,
        reference=number,
        memo=f"Invoice {number}",
        effective_on=issued_on,
        entries=combined,
        account_id=account_id,
        currency=currency,
    )


def _draft(history: AccountHistory, cycle_start: dt.date) -> _Draft | str:
    cycle = cycle_starting_on(history.bill_cycle_day, cycle_start)
    if cycle is None:
        return SkipReason.NOT_ITS_CYCLE
    lines = rate(history, cycle)
    if not lines:
        return SkipReason.NOTHING_TO_BILL
    return _Draft(history=history, period_end=cycle.end, lines=lines)


def issue_invoices(
    *,
    account_ids: Sequence[int],
    cycle_start: dt.date,
    bill_run_id: int | None = None,
    issued_on: dt.date | None = None,
    replaces: dict[int, int] | None = None,
) -> IssueOutcome:
    """Bill ``account_ids`` for their cycles starting on ``cycle_start``, in one transaction.

    An account already billed for that cycle is skipped, so running a batch again adds
    nothing. A failure to rate one account is recorded and does not stop the others.
    ``replaces`` maps an account to the voided invoice its new one replaces.
    """
    outcome = IssueOutcome()
    ids = sorted(set(account_ids))
    if not ids:
        return outcome
    day = issued_on or clock.today()
    due_on = day + dt.timedelta(days=settings.DROPLINE_PAYMENT_TERMS_DAYS)
    now = clock.now()
    with transaction.atomic():
        billed = set(
            Invoice.objects.filter(account_id__in=bulk.many(ids), period_start=cycle_start)
            .exclude(status=InvoiceStatus.VOID)
            .values_list("account_id", flat=True)
        )
        histories = load_histories([i for i in ids if i not in billed], cycle_start=cycle_start)
        drafts: list[_Draft] = []
        for account_id in ids:
            if account_id in billed:
                outcome.skipped[account_id] = SkipReason.ALREADY_BILLED
                continue
            history = histories.get(account_id)
            if history is None:
                outcome.skipped[account_id] = SkipReason.NOT_FOUND
                continue
            try:
                draft = _draft(history, cycle_start)
            except Exception as exc:  # one account must not stop the others
                outcome.failed[account_id] = f"Could not be rated: {exc}"[:300]
                continue
            if isinstance(draft, str):
                outcome.skipped[account_id] = draft
            else:
                drafts.append(draft)
        if not drafts:
            return outcome
        _write(
            drafts,
            cycle_start=cycle_start,
            issued_on=day,
            due_on=due_on,
            now=now,
            bill_run_id=bill_run_id,
            replaces=replaces or {},
            outcome=outcome,
        )
    return outcome


def _write(
    drafts: list[_Draft],
    *,
    cycle_start: dt.date,
    issued_on: dt.date,
    due_on: dt.date,
    now: dt.datetime,
    bill_run_id: int | None,
    replaces: dict[int, int],
    outcome: IssueOutcome,
) -> None:
    balances = balances_cents([d.history.account_id for d in drafts])
    numbers = sequences.reserve(name=INVOICE_SEQUENCE, count=len(drafts))
    invoice_ids = bulk.reserve_ids(Invoice, len(drafts))
    invoice_rows = []
    line_rows = []
    postings = []
    billed_adjustments: dict[int, int] = {}
    for invoice_id, sequence, draft in zip(invoice_ids, numbers, drafts, strict=True):
        history = draft.history
        number = invoice_number(sequence)
        total = draft.total_cents
        previous = balances[history.account_id]
        invoice_rows.append(
            (
                invoice_id,
                history.account_id,
                number,
                sequence,
                cycle_start,
                draft.period_end,
                issued_on,
                due_on,
                total,
                previous,
                previous + total,
                history.currency,
                history.language,
                InvoiceStatus.OPEN.value,
                bill_run_id,
                replaces.get(history.account_id),
                now,
            )
        )
        for position, line in enumerate(draft.lines):
            line_rows.append(
                (
                    invoice_id,
                    position,
                    line.kind,
                    line.category,
                    line.item_key,
                    line.group_key,
                    line.label[:120],
                    line.label_es[:120],
                    line.period_start,
                    line.period_end,
                    line.quantity,
                    line.amount_cents,
                    line.taxable,
                    line.jurisdiction_code,
                    line.percent,
                )
            )
            if line.item_key.startswith("adj:"):
                billed_adjustments[int(line.item_key[4:])] = invoice_id
        posting = invoice_posting(
            account_id=history.account_id,
            number=number,
            issued_on=issued_on,
            currency=history.currency,
            lines=draft.lines,
        )
        if posting is not None:
            postings.append(posting)
        outcome.invoice_ids.append(invoice_id)
    bulk.insert_rows(Invoice, INVOICE_COLUMNS, invoice_rows)
    bulk.insert_rows(InvoiceLine, LINE_COLUMNS, line_rows)
    read_models.accounts_changed(d.history.account_id for d in drafts)
    post_many(postings)
    if billed_adjustments:
        Adjustment.objects.filter(id__in=list(billed_adjustments), invoice__isnull=True).update(
            invoice_id=Case(
                *(When(id=adj, then=Value(inv)) for adj, inv in billed_adjustments.items())
            )
        )
