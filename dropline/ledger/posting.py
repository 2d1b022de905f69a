"""Posting to the journal: balanced transactions, written in bulk, corrected by reversal.

Callers describe a transaction as a ``Posting`` of ``Entry`` values; ``post_many``
checks every one balances and writes all of them with a fixed number of queries, in
the caller's transaction (an invoice and its posting commit together or not at all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from dropline.core import bulk, clock, read_models
from dropline.ledger.errors import UnbalancedPostingError
from dropline.ledger.models import Book, JournalEntry, JournalTransaction, TransactionKind


@dataclass(frozen=True, slots=True)
class Entry:
    """An amount on a book: debits positive, credits negative."""

    book: str
    amount_cents: int
    sub: str = ""
    account_id: int | None = None


@dataclass(frozen=True, slots=True)
class Posting:
    kind: str
    reference: str
    effective_on: dt.date
    entries: tuple[Entry, ...]
    account_id: int | None = None
    memo: str = ""
    currency: str = "USD"
    reverses_id: int | None = None
    posted_at: dt.datetime | None = field(default=None, compare=False)


def _check(posting: Posting) -> None:
    if not posting.entries:
        raise UnbalancedPostingError(f"{posting.reference}: a transaction needs entries")
    total = sum(entry.amount_cents for entry in posting.entries)
    if total != 0:
        raise UnbalancedPostingError(f"{posting.reference}: entries sum to {total}, not 0")
    for entry in posting.entries:
        if entry.book == Book.RECEIVABLE and entry.account_id is None:
            raise UnbalancedPostingError(
                f"{posting.reference}: a receivable entry names no account"
            )


def combine(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """One entry per (book, sub, account), zero amounts dropped, in first-seen order."""
    sums: dict[tuple[str, str, int | None], int] = {}
    for entry in entries:
        key = (entry.book, entry.sub, entry.account_id)
        sums[key] = sums.get(key, 0) + entry.amount_cents
    return tuple(
        Entry(book=book, sub=sub, account_id=account_id, amount_cents=amount)
        for (book, sub, account_id), amount in sums.items()
        if amount != 0
    )


def post_many(postings: Sequence[Posting]) -> list[int]:
    """Write ``postings`` (each checked to balance); returns their transaction ids in order.

    Three queries whatever the number: reserve ids, copy transactions, copy entries.
    """
    for posting in postings:
        _check(posting)
    if not postings:
        return []
    now = clock.now()
    with transaction.atomic():
        ids = bulk.reserve_ids(JournalTransaction, len(postings))
        bulk.insert_rows(
            JournalTransaction,
            (
                "id",
                "kind",
                "account_id",
                "reference",
                "memo",
                "currency",
                "effective_on",
                "posted_at",
                "reverses_id",
            ),
            (
                (
                    txn_id,
                    p.kind,
                    p.account_id,
                    p.reference,
                    p.memo[:200],
                    p.currency,
                    p.effective_on,
                    p.posted_at or now,
                    p.reverses_id,
                )
                for txn_id, p in zip(ids, postings, strict=True)
            ),
        )
        bulk.insert_rows(
            JournalEntry,
            ("transaction_id", "book", "sub", "account_id", "amount_cents"),
            (
                (txn_id, e.book, e.sub, e.account_id, e.amount_cents)
                for txn_id, p in zip(ids, postings, strict=True)
                for e in p.entries
            ),
        )
    touched = {p.account_id for p in postings} | {e.account_id for p in postings for e in p.entries}
    read_models.accounts_changed(account_id for account_id in touched if account_id is not None)
    return ids


def post(posting: Posting) -> int:
    return post_many([posting])[0]


def reversal(
    transaction_id: int, *, kind: str = TransactionKind.CREDIT_NOTE, reference: str, memo: str
) -> Posting:
    """The posting that undoes ``transaction_id``: every entry negated, pointing back at it."""
    original = JournalTransaction.objects.get(pk=transaction_id)
    entries = tuple(
        Entry(book=book, sub=sub, account_id=account_id, amount_cents=-amount)
        for book, sub, account_id, amount in original.entries.values_list(
            "book", "sub", "account_id", "amount_cents"
        )
    )
    return Posting(
        kind=kind,
        reference=reference,
        memo=memo,
        effective_on=clock.today(),
        entries=entries,
        account_id=original.account_id,
        currency=original.currency,
        reverses_id=original.pk,
    )
