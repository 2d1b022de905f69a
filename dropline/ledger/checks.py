"""The invariants ``dropline ledger check`` verifies.

The ledger's own checks are here; a domain that posts to the ledger (billing, later
payments) registers its checks with ``register`` from its ``AppConfig.ready``, so
this module never imports the domains above it. Each check returns a description of
the first thing it found broken, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import Count, Sum

from dropline.ledger.models import Book, JournalEntry, JournalTransaction

Check = Callable[[], str | None]
_registered: list[tuple[str, Check]] = []


def register(name: str, check: Check) -> None:
    if all(existing != name for existing, _ in _registered):
        _registered.append((name, check))


def every_transaction_balances() -> str | None:
    row = (
        JournalEntry.objects.values("transaction_id")
        .annotate(total=Sum("amount_cents"))
        .exclude(total=0)
        .order_by("transaction_id")
        .values_list("transaction_id", "total")
        .first()
    )
    if row is not None:
        return f"journal transaction {row[0]} does not balance: its entries sum to {row[1]}"
    return None


def every_transaction_has_entries() -> str | None:
    row = (
        JournalTransaction.objects.annotate(n=Count("entries"))
        .filter(n__lt=2)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if row is not None:
        return f"journal transaction {row} has fewer than two entries"
    return None


def reversals_mirror_their_originals() -> str | None:
    """A reversal negates its original exactly, book by book: the entries of each pair,
    keyed by the original's id, sum to zero per book. One grouped query for all pairs."""
    entries = JournalEntry._meta.db_table
    txns = JournalTransaction._meta.db_table
    sql = f"""
        SELECT pair FROM (
            SELECT t.reverses_id AS pair, e.book, e.sub, e.account_id, e.amount_cents
            FROM {entries} e JOIN {txns} t ON t.id = e.transaction_id
            WHERE t.reverses_id IS NOT NULL
            UNION ALL
            SELECT t.id AS pair, e.book, e.sub, e.account_id, e.amount_cents
            FROM {entries} e JOIN {txns} t ON t.id = e.transaction_id
            WHERE t.id IN (SELECT reverses_id FROM {txns} WHERE reverses_id IS NOT NULL)
        ) paired
        GROUP BY pair, book, sub, account_id
        HAVING SUM(amount_cents) <> 0
        ORDER BY pair
        LIMIT 1
    """  # noqa: S608 - table names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = cursor.fetchone()
    if found is None:
        return None
    original_id = found[0]
    reversal_id = JournalTransaction.objects.filter(reverses_id=original_id).values_list(
        "id", flat=True
    )[0]
    return f"journal transaction {reversal_id} does not reverse {original_id} exactly"


def the_books_sum_to_zero() -> str | None:
    total = JournalEntry.objects.aggregate(total=Sum("amount_cents"))["total"] or 0
    if total != 0:
        return f"the journal's entries sum to {total}, not 0"
    return None


def receivables_name_an_account() -> str | None:
    orphan = (
        JournalEntry.objects.filter(book=Book.RECEIVABLE, account__isnull=True)
        .values_list("transaction_id", flat=True)
        .first()
    )
    if orphan is not None:
        return f"journal transaction {orphan} has a receivable entry without an account"
    return None


def ledger_is_append_only() -> str | None:
    """The database refuses changes to posted rows (the triggers are in place)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'ledger_append_only_%'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'ledger_append_only_%'"
            )
        found = cursor.fetchone()[0]
    if found < 2:
        return "the ledger's append-only triggers are missing (run migrate)"
    return None


LEDGER_CHECKS: list[tuple[str, Check]] = [
    ("the ledger refuses changes", ledger_is_append_only),
    ("every journal transaction balances", every_transaction_balances),
    ("every journal transaction has entries", every_transaction_has_entries),
    ("receivable entries name an account", receivables_name_an_account),
    ("reversals mirror their originals", reversals_mirror_their_originals),
    ("the books sum to zero", the_books_sum_to_zero),
]


def all_checks() -> list[tuple[str, Check]]:
    return [*LEDGER_CHECKS, *_registered]


def run_checks() -> list[tuple[str, str | None]]:
    """Every check in order with its finding (``None`` when it holds)."""
    return [(name, check()) for name, check in all_checks()]
