"""Whole tables of the test database, read and written in bulk.

Names of tables, columns and sequences come from the database's own catalogue and are
quoted, never from input, hence the queries built as strings. On PostgreSQL rows
travel as COPY's text format (every type as the database writes it; a partitioned
table through its parent), on SQLite as tuples through ``executemany``.
"""

# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection

Rows = list[Any]  # SQLite: tuples of values; PostgreSQL: lines of COPY's text format


def postgres() -> bool:
    return connection.vendor == "postgresql"


def cache_tables() -> set[str]:
    """The database cache's tables: kept apart, as a flush leaves them as they are."""
    return {
        str(cache["LOCATION"])
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("db.DatabaseCache")
    }


def table_names() -> list[str]:
    """Every table of the schema (a partitioned one through its parent only), but the
    database cache's."""
    return [name for name in all_tables() if name not in cache_tables()]


def all_tables() -> list[str]:
    with connection.cursor() as cursor:
        if postgres():
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
                " AND NOT c.relispartition ORDER BY c.relname"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        return [row[0] for row in cursor.fetchall()]


def row_counts(tables: Sequence[str]) -> dict[str, int]:
    """Each table's number of rows, in one query."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        return dict(cursor.fetchall())


def columns_of(tables: Sequence[str]) -> dict[str, list[str]]:
    """The columns a row is written with (PostgreSQL's generated ones left out)."""
    with connection.cursor() as cursor:
        if postgres():
            cursor.execute(
                "SELECT c.relname, a.attname FROM pg_attribute a"
                " JOIN pg_class c ON c.oid = a.attrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relname = ANY(%s)"
                " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
                " ORDER BY c.relname, a.attnum",
                [list(tables)],
            )
            found: dict[str, list[str]] = {}
            for table, column in cursor.fetchall():
                found.setdefault(table, []).append(column)
            return found
        return {
            t: [c.name for c in connection.introspection.get_table_description(cursor, t)]
            for t in tables
        }


def read_rows(table: str, columns: Sequence[str]) -> Rows:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if postgres():
            data = bytearray()
            query = f"COPY (SELECT {names} FROM {quote(table)}) TO STDOUT"
            with cursor.copy(query) as copy:
                for chunk in copy:
                    data += chunk
            return bytes(data).splitlines()
        cursor.execute(f"SELECT {names} FROM {quote(table)}")
        return [tuple(row) for row in cursor.fetchall()]


def write_rows(table: str, columns: Sequence[str], rows: Rows) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if postgres():
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                copy.write(b"\n".join(rows) + b"\n")
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",
                [tuple(_sqlite_value(v) for v in row) for row in rows],
            )


def _sqlite_value(value: Any) -> Any:
    """A time of day read back as ``datetime.time`` has no SQLite adapter: written as
    Django stores it, in ISO format."""
    return value.isoformat() if isinstance(value, dt.time) else value


def in_dependency_order(tables: Sequence[str]) -> list[str]:
    """Tables after those their models point to (the constraints are deferred, but a
    table outside Django's might not be)."""
    from django.apps import apps

    points_to: dict[str, set[str]] = {t: set() for t in tables}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table not in points_to:
            continue
        for field_ in model._meta.concrete_fields:
            related = field_.related_model
            if field_.remote_field is not None and related is not None and related != "self":
                target = related._meta.db_table
                if target in points_to and target != table:
                    points_to[table].add(target)
    ordered: list[str] = []
    placed: set[str] = set()

    def place(table: str, seen: frozenset[str]) -> None:
        if table in placed or table in seen:
            return
        for target in sorted(points_to[table]):
            place(target, seen | {table})
        placed.add(table)
        ordered.append(table)

    for table in sorted(tables):
        place(table, frozenset())
    return ordered


def read_sequences() -> list[tuple[str, int, bool]]:
    """PostgreSQL's sequences, or SQLite's AUTOINCREMENT counters (``sqlite_sequence``)."""
    with connection.cursor() as cursor:
        if not postgres():
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
            )
            if not cursor.fetchall():
                return []
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
            return [(name, seq, True) for name, seq in cursor.fetchall()]
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'S' ORDER BY c.relname"
        )
        names = [row[0] for row in cursor.fetchall()]
        if not names:
            return []
        quote = connection.ops.quote_name
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s, last_value, is_called FROM {quote(name)}" for name in names
            ),
            names,
        )
        return [(name, value, called) for name, value, called in cursor.fetchall()]


def set_sequences(values: list[tuple[str, int, bool]]) -> None:
    with connection.cursor() as cursor:
        if not postgres():
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.executemany(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                [(name, value) for name, value, _ in values],
            )
            return
        rows = ", ".join(["(%s::text, %s::bigint, %s::boolean)"] * len(values))
        cursor.execute(
            "SELECT setval(quote_ident(v.name)::regclass, v.value, v.called)"
            f" FROM (VALUES {rows}) AS v(name, value, called)",
            [part for value in values for part in value],
        )


def read_partitions() -> list[tuple[str, str, str]]:
    """(partition, parent, bounds) of every partition, to make them again."""
    if not postgres():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, p.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relispartition AND c.relkind IN ('r', 'p')"
            " ORDER BY c.relname"
        )
        return [tuple(row) for row in cursor.fetchall()]


def make_partitions(partitions: list[tuple[str, str, str]]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, parent, bounds in partitions:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {quote(name)} PARTITION OF {quote(parent)} {bounds}"
            )


def empty(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def cache_rows() -> dict[Any, tuple[Any, ...]]:
    """The database cache's rows by key (cache_key, value, expires)."""
    entries = {}
    with connection.cursor() as cursor:
        for table in sorted(cache_tables() & set(all_tables())):
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT cache_key, value, expires FROM {quote(table)}")
            entries.update({(table, row[0]): tuple(row) for row in cursor.fetchall()})
    return entries


def write_cache_rows(entries: dict[Any, tuple[Any, ...] | None]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for (table, key), row in entries.items():
            cursor.execute(f"DELETE FROM {quote(table)} WHERE cache_key = %s", [key])
            if row is not None:
                cursor.execute(
                    f"INSERT INTO {quote(table)} (cache_key, value, expires) VALUES (%s, %s, %s)",
                    list(row),
                )
