"""How fast `dropline seed synthetic` fills a fresh database, against its floor.

    .venv/bin/python -m bench.seed_synthetic --accounts 100000
    .venv/bin/python -m bench.seed_synthetic --database-url postgres://postgres@127.0.0.1/postgres

The floor is measured in the same run: the very rows the command wrote are read back,
the tables emptied, and the rows put back into the same tables (same indexes and
constraints) by the database's fastest raw path: one ``executemany`` per table on
SQLite, ``COPY ... FROM STDIN`` on PostgreSQL. The ratio says how many times the floor
the command takes, generating the data included.

On SQLite the database is a file in a temporary directory. With ``--database-url`` a
PostgreSQL server is used: a throwaway database is created on it and dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from typing import Any

from bench.databases import throwaway_postgres

# Tables in insertion order (parents first), as (app label, model name).
TABLES = [
    ("customers", "ServiceAddress"),
    ("customers", "CustomerAccount"),
    ("accounts", "User"),
    ("account", "EmailAddress"),
    ("customers", "AccountMember"),
    ("subscriptions", "Subscription"),
    ("subscriptions", "SubscriptionAddOn"),
    ("network", "Equipment"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server to run on (a throwaway database is created there)",
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def configure(var_dir: str, database_url: str) -> None:
    """Point Django at the benchmark's database; must run before django.setup()."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "dropline.settings"
    os.environ["DROPLINE_DEMO"] = "1"
    os.environ["DROPLINE_VAR_DIR"] = var_dir
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DATABASE_POOL"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def dump(models: list[Any]) -> list[tuple[Any, list[str], list[tuple[Any, ...]]]]:
    """Every row of each model's table, as the database returns them."""
    from django.db import connection

    quote = connection.ops.quote_name
    dumped = []
    with connection.cursor() as cursor:
        for model in models:
            columns = [f.column for f in model._meta.concrete_fields]
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the models
                f"ORDER BY {quote(model._meta.pk.column)}"
            )
            dumped.append((model, columns, [tuple(row) for row in cursor.fetchall()]))
    return dumped


def empty(models: list[Any]) -> None:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(quote(m._meta.db_table) for m in models)
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            for model in reversed(models):
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def raw_insert(dumped: list[tuple[Any, list[str], list[tuple[Any, ...]]]]) -> float:
    """Put the rows back by the fastest raw path; returns the seconds it took."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    with transaction.atomic():
        for model, columns, rows in dumped:
            table = quote(model._meta.db_table)
            names = ", ".join(map(quote, columns))
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({names}) FROM STDIN"
                with raw.cursor() as cursor, cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
    return time.perf_counter() - started


def run(args: argparse.Namespace, database_url: str, label: str) -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    from dropline.seeding.synthetic import create_accounts

    call_command("migrate", verbosity=0, interactive=False)
    models = [apps.get_model(app, name) for app, name in TABLES]

    started = time.perf_counter()
    result = create_accounts(count=args.accounts, seed=args.seed, progress=not args.no_progress)
    seconds = time.perf_counter() - started

    dumped = dump(models)
    dumped_rows = sum(len(rows) for _, _, rows in dumped)
    if dumped_rows != result.rows:
        raise SystemExit(f"the tables hold {dumped_rows} rows, the command reported {result.rows}")
    empty(models)
    floor = raw_insert(dumped)
    back = sum(m.objects.count() for m in models)
    if back != result.rows:
        raise SystemExit(f"the floor put back {back} rows of {result.rows}")

    method = "COPY" if label == "PostgreSQL" else "executemany"
    print(f"seed synthetic on {label}, {os.cpu_count()} CPU(s), seed {args.seed}")
    print(f"  {result.accounts:,} accounts, {result.rows:,} rows in {len(TABLES)} tables")
    for what, took in (("create_accounts", seconds), (f"floor: raw {method}", floor)):
        print(
            f"  {what:<24} {took:8.2f} s {result.accounts / took:10,.0f} accounts/s"
            f" {result.rows / took:10,.0f} rows/s"
        )
    print(f"  ratio: {seconds / floor:.1f}x the floor")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.accounts < 1:
        raise SystemExit("--accounts must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        if not args.database_url:
            url = f"sqlite:///{var_dir}/bench.sqlite3"
            configure(var_dir, url)
            run(args, url, "SQLite")
            return
        with throwaway_postgres(args.database_url, "dropline_bench") as url:
            configure(var_dir, url)
            run(args, url, "PostgreSQL")


if __name__ == "__main__":
    main(sys.argv[1:])
