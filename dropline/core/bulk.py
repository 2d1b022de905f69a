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

from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from psycopg.errors import UniqueViolation


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def many(values: Sequence[Any], sql_type: str = "bigint") -> Any:
    """The right-hand side of an ``__in`` with many values (a chunk's thousand ids): on
    PostgreSQL one array parameter, since a thousand placeholders cost more to build,
    convert and send than the query itself; elsewhere the values as they are."""
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))  # noqa: S611
    return list(values)


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
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Write ``rows`` (tuples in the order of ``columns``, database column names) into
    ``model``'s table; returns how many were given.

    With ``ignore_conflicts`` a row that would break a unique constraint is left out
    (an idempotency key already recorded). On PostgreSQL the rows are first copied
    straight into the table in a savepoint; only if one of them is already there (a
    retried chunk, a person told in an earlier chunk) is that undone and the rows
    copied into a scratch table and moved with ``INSERT ... ON CONFLICT DO NOTHING``.
    """
    table = _table(model)
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not ignore_conflicts:
                return _copy(cursor, quote(table), column_list, rows)
            rows = rows if isinstance(rows, Sequence) else list(rows)
            try:
                # Most of the time nothing is there yet: straight into the table, as
                # fast as a raw COPY, in a savepoint to fall back on.
                with transaction.atomic():
                    return _copy(cursor, quote(table), column_list, rows)
            except UniqueViolation:
                pass
            scratch = quote(f"_bulk_{table}"[:63])
            cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {scratch} AS "  # noqa: S608
                f"SELECT {column_list} FROM {quote(table)} WITH NO DATA"
            )
            written = _copy(cursor, scratch, column_list, rows)
            cursor.execute(
                f"INSERT INTO {quote(table)} ({column_list}) "  # noqa: S608
                f"SELECT {column_list} FROM {scratch} ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {scratch}")
            return written
        batch = _adapt_datetimes(model, columns, rows)
        if batch:
            marks = ", ".join(["%s"] * len(columns))
            verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
            cursor.executemany(
                f"{verb} INTO {quote(table)} ({column_list}) VALUES ({marks})",
                batch,
            )
        return len(batch)


def _copy(cursor: Any, target: str, column_list: str, rows: Iterable[Sequence[Any]]) -> int:
    written = 0
    with cursor.cursor.copy(f"COPY {target} ({column_list}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _adapt_datetimes(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[Sequence[Any]]:
    """Rows with their date-times as the backend stores them (on SQLite, naive UTC text,
    as the ORM writes them, so that comparisons in SQL hold)."""
    by_column = {field.column: field for field in model._meta.concrete_fields}
    indexes = [
        i
        for i, column in enumerate(columns)
        if isinstance(by_column.get(column), models.DateTimeField)
    ]
    if not indexes:
        return list(rows)
    adapt = connection.ops.adapt_datetimefield_value
    # Bulk rows mostly share a few moments (the chunk's "now"): each adapted once.
    done: dict[Any, Any] = {None: None}
    adapted: list[Sequence[Any]] = []
    for row in rows:
        values = list(row)
        for i in indexes:
            value = values[i]
            if value not in done:
                done[value] = adapt(value)
            values[i] = done[value]
        adapted.append(values)
    return adapted
