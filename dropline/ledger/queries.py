"""Reading the books: balances are sums of entries, never stored counters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Sum

from dropline.core import bulk
from dropline.ledger.models import Book, JournalEntry, JournalTransaction


def balance_cents(account_id: int) -> int:
    """What the customer account owes (positive) or has in credit (negative)."""
    total = JournalEntry.objects.filter(account_id=account_id, book=Book.RECEIVABLE).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


def balances_cents(account_ids: Sequence[int]) -> dict[int, int]:
    """The balances of ``account_ids`` in one query (0 for an account with no entries)."""
    rows = (
        JournalEntry.objects.filter(account_id__in=bulk.many(account_ids), book=Book.RECEIVABLE)
        .values("account_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("account_id", "total")
    )
    found = {account_id: int(total) for account_id, total in rows}
    return {account_id: found.get(account_id, 0) for account_id in account_ids}


@dataclass(frozen=True, slots=True)
class StatementRow:
    transaction_id: int
    effective_on: dt.date
    kind: str
    reference: str
    memo: str
    amount_cents: int  # what this moved on the account: charges positive, credits negative
    balance_cents: int  # the balance after it


def statement(
    account_id: int, *, since: dt.date | None = None, until: dt.date | None = None
) -> tuple[int, list[StatementRow]]:
    """The account's receivable movements in order, with the running balance, and the
    balance brought forward from before ``since``. Two queries."""
    entries = JournalEntry.objects.filter(account_id=account_id, book=Book.RECEIVABLE)
    opening = 0
    if since is not None:
        opening = int(
            entries.filter(transaction__effective_on__lt=since).aggregate(
                total=Sum("amount_cents")
            )["total"]
            or 0
        )
        entries = entries.filter(transaction__effective_on__gte=since)
    if until is not None:
        entries = entries.filter(transaction__effective_on__lte=until)
    rows = entries.order_by("transaction__effective_on", "transaction_id").values_list(
        "transaction_id",
        "transaction__effective_on",
        "transaction__kind",
        "transaction__reference",
        "transaction__memo",
        "amount_cents",
    )
    balance = opening
    result: list[StatementRow] = []
    for txn_id, effective_on, kind, reference, memo, amount in rows:
        balance += amount
        result.append(
            StatementRow(
                transaction_id=txn_id,
                effective_on=effective_on,
                kind=kind,
                reference=reference,
                memo=memo,
                amount_cents=amount,
                balance_cents=balance,
            )
        )
    return opening, result


@dataclass(frozen=True, slots=True)
class PostedEntry:
    book: str
    sub: str
    account_id: int | None
    amount_cents: int


@dataclass(frozen=True, slots=True)
class PostedTransaction:
    id: int
    kind: str
    reference: str
    memo: str
    effective_on: dt.date
    reverses_id: int | None
    entries: list[PostedEntry]


def transactions_for(reference: str) -> list[PostedTransaction]:
    """Every transaction posted under ``reference`` (an invoice number), with its
    entries, oldest first. Two queries."""
    txns = list(
        JournalTransaction.objects.filter(reference=reference)
        .order_by("posted_at", "id")
        .values_list("id", "kind", "reference", "memo", "effective_on", "reverses_id")
    )
    entries: dict[int, list[PostedEntry]] = {txn[0]: [] for txn in txns}
    for txn_id, book, sub, account_id, amount in JournalEntry.objects.filter(
        transaction_id__in=list(entries)
    ).values_list("transaction_id", "book", "sub", "account_id", "amount_cents"):
        entries[txn_id].append(
            PostedEntry(book=book, sub=sub, account_id=account_id, amount_cents=amount)
        )
    return [
        PostedTransaction(
            id=txn_id,
            kind=kind,
            reference=ref,
            memo=memo,
            effective_on=effective_on,
            reverses_id=reverses_id,
            entries=entries[txn_id],
        )
        for txn_id, kind, ref, memo, effective_on, reverses_id in txns
    ]
