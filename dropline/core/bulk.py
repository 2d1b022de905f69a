"""Writing many rows at once without building a model instance per row.

Bulk paths (bill runs, usage ingest, fan-out) hand tuples to ``insert_rows``: on
PostgreSQL they go through ``COPY ... FROM STDIN``, elsewhere through one
``executemany``. Primary keys are reserved first with ``reserve_ids`` so rows that
point at each other (an invoice and its lines) can be written in one pass each.

Both run inside the caller's transaction: on a rollback, nothing was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``'s table, never handed out twice.

    PostgreSQL takes them from the table's identity sequence. SQLite has one writer
    at a time (Dropline opens its transactions with ``BEGIN IMMEDIATE``), so the next
    keys after the highest ever used are free until this transaction ends.
    """
    if count <= 0:
        return []
    table = _table(model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids needs a transaction on SQLite")
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is not None:
            highest = max(highest, row[0])
        return list(range(highest + 1, highest + 1 + count))


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write ``rows`` (tuples in the order of ``columns``, database column names) into
    ``model``'s table; returns how many were written."""
    table = _table(model)
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        batch = list(rows)
        if batch:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({column_list}) VALUES ({marks})",  # noqa: S608
                batch,
            )
        return len(batch)
