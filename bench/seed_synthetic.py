"""How fast `dropline seed synthetic` fills a fresh database, against its floor.

    .venv/bin/python -m bench.seed_synthetic --accounts 100000
    .venv/bin/python -m bench.seed_synthetic --database-url postgres://postgres@127.0.0.1/postgres
    .venv/bin/python -m bench.seed_synthetic --accounts 20000 --bill-months 0  # accounts only

Two parts are timed, as the command runs them: ``create_accounts`` (the accounts and
their 8 tables) and ``add_history`` (saved cards, usage roll-ups, ``--bill-months`` of
bills by the bill run with the payments between them, tickets).

The floors are measured in the same run on the very rows the command wrote, read back:
the accounts' tables are emptied and the rows put back into the same tables (same
indexes and constraints); the history's rows are written into scratch copies of their
tables (same columns and indexes, no foreign keys: the ledger's tables refuse deletes).
Both by the database's fastest raw path: one ``executemany`` per table on SQLite,
``COPY ... FROM STDIN`` on PostgreSQL. Each ratio says how many times its floor the
part takes, generating (and for bills, rating) the data included.

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
# What ``add_history`` writes, parents first.
HISTORY_TABLES = [
    ("notifications", "ContactPoint"),
    ("payments", "GatewayCustomer"),
    ("payments", "SimulatedMethod"),
    ("payments", "PaymentMethod"),
    ("usage", "UsageCycle"),
    ("usage", "UsageDay"),
    ("billing", "BillRun"),
    ("billing", "BillRunChunk"),
    ("billing", "Invoice"),
    ("billing", "InvoiceLine"),
    ("ledger", "JournalTransaction"),
    ("ledger", "JournalEntry"),
    ("notifications", "Message"),
    ("payments", "Payment"),
    ("helpdesk", "Ticket"),
    ("helpdesk", "TicketMessage"),
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
    parser.add_argument("--bill-months", type=int, default=1)
    parser.add_argument("--usage-days", type=int, default=3)
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


def raw_insert(
    dumped: list[tuple[Any, list[str], list[tuple[Any, ...]]]], into: dict[Any, str] | None = None
) -> float:
    """Put the rows back (or into the tables ``into`` names) by the fastest raw path;
    returns the seconds it took."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    with transaction.atomic():
        for model, columns, rows in dumped:
            table = quote((into or {}).get(model, model._meta.db_table))
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
    from django.db import connection

    from bench.bill_run import scratch_tables
    from dropline.seeding.synthetic import create_accounts
    from dropline.seeding.synthetic_history import account_id_range, add_history

    call_command("migrate", verbosity=0, interactive=False)
    models = [apps.get_model(app, name) for app, name in TABLES]
    history_models = [apps.get_model(app, name) for app, name in HISTORY_TABLES]
    load = os.getloadavg()[0]

    started = time.perf_counter()
    result = create_accounts(count=args.accounts, seed=args.seed, progress=not args.no_progress)
    seconds = time.perf_counter() - started
    # The accounts' floor first, while nothing points at their rows yet.
    dumped = dump(models)
    dumped_rows = sum(len(rows) for _, _, rows in dumped)
    if dumped_rows != result.rows:
        raise SystemExit(f"the tables hold {dumped_rows} rows, the command reported {result.rows}")
    empty(models)
    floor = raw_insert(dumped)
    back = sum(m.objects.count() for m in models)
    if back != result.rows:
        raise SystemExit(f"the floor put back {back} rows of {result.rows}")
    del dumped

    ids = account_id_range(0)
    assert ids is not None
    steps: list[tuple[str, float]] = []
    mark = time.perf_counter()

    def report(what: str) -> None:
        nonlocal mark
        steps.append((what, time.perf_counter() - mark))
        mark = time.perf_counter()

    history_started = mark
    add_history(
        first_account_id=ids[0],
        last_account_id=ids[1],
        seed=args.seed,
        bill_months=args.bill_months,
        usage_days=args.usage_days,
        progress=not args.no_progress,
        report=report,
    )
    history_seconds = time.perf_counter() - history_started

    history = dump(history_models)
    history_rows = sum(len(rows) for _, _, rows in history)
    scratch = scratch_tables(history_models)
    history_floor = raw_insert(history, into=scratch)
    del history
    with connection.cursor() as cursor:
        for name in scratch.values():
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")

    method = "COPY" if label == "PostgreSQL" else "executemany"
    print(f"seed synthetic on {label}, {os.cpu_count()} CPU(s), seed {args.seed}, load {load:.1f}")
    print(f"  {result.accounts:,} accounts, {result.rows:,} rows in {len(TABLES)} tables")
    for what, took in (("create_accounts", seconds), (f"floor: raw {method}", floor)):
        print(
            f"  {what:<24} {took:8.2f} s {result.accounts / took:10,.0f} accounts/s"
            f" {result.rows / took:10,.0f} rows/s"
        )
    print(f"  ratio: {seconds / floor:.1f}x the floor")
    print(
        f"  history: {args.bill_months} month(s) of bills, {args.usage_days} day(s) of usage,"
        f" {history_rows:,} rows in {len(HISTORY_TABLES)} tables"
    )
    for what, took in steps:
        print(f"    {what:<50} {took:8.2f} s")
    for what, took in (("add_history", history_seconds), (f"floor: raw {method}", history_floor)):
        print(f"  {what:<24} {took:8.2f} s {history_rows / took:10,.0f} rows/s")
    print(f"  ratio: {history_seconds / history_floor:.1f}x the floor")
    total = seconds + history_seconds
    print(
        f"  whole seed {total:.1f} s, floors {floor + history_floor:.1f} s:"
        f" {total / (floor + history_floor):.1f}x"
    )


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
