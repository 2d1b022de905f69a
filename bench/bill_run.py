"""How fast a bill run bills, against the raw write of the same rows.

    .venv/bin/python -m bench.bill_run --accounts 100000
    .venv/bin/python -m bench.bill_run --accounts 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.bill_run --accounts 5000 --profile 25
    .venv/bin/python -m bench.bill_run --existing postgres://postgres@127.0.0.1:5432/COPY_OF_DATA

The benchmark starts from a fresh database: SQLite in a temporary directory, or a
throwaway database on the PostgreSQL server that ``--database-url`` (or a PostgreSQL
``DATABASE_URL``) names, dropped at the end. It runs ``migrate``, creates the accounts
with ``dropline seed synthetic``'s ``create_accounts`` (1-4 services, add-ons, rented
equipment, some promotions), moves them all to anchor day 1 (one UPDATE), gives each
holder a verified e-mail contact, and loads an Iowa tax table (state sales tax, a 911
fee per mobile line, a regulatory recovery fee, a county and a city franchise fee).

Timed: ``run_bill_run(run_on=<the next 1st>, in_process=True)``, as ``dropline bill-run
--in-process`` runs it: chunks of 1,000 accounts, each one transaction that reads the
histories, rates, numbers, writes invoices, lines and ledger postings, records the
"your bill is ready" messages (e-mail and in-app) and marks the chunk done. Delivery
is cut where the product hands message ids to Celery (they are only counted), so no
mail is sent. The time spent recording notices is measured apart (notices/s).

The **floor** is measured in the same run on the same rows: every invoice, line,
journal transaction and journal entry the run wrote is read back and written into
scratch copies of those tables (same columns and indexes) by the database's fastest
raw path, ``COPY ... FROM STDIN`` on PostgreSQL and one ``executemany`` per table on
SQLite, in one transaction per 1,000 invoices as the run does. The ratio says how many
times the floor the run takes.

With ``--existing URL`` the run is made in that database as it is (a copy of a seeded
one: the run writes), nothing created: the day billed is the one after the latest bill
run (``--day`` to choose), with the accounts whose cycle starts then; ``--same-day``
first moves every account to that day's anchor (one UPDATE), so all are billed. The
Iowa tax table is loaded when the database has none. The floor reads back only that
run's rows.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench import notify_fanout
from bench.databases import throwaway_postgres

# The tables the floor writes, with the column that ties their rows to an invoice chunk.
FLOOR_TABLES = [
    ("billing", "Invoice"),
    ("billing", "InvoiceLine"),
    ("ledger", "JournalTransaction"),
    ("ledger", "JournalEntry"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "",
        help="a PostgreSQL server to run on (a throwaway database is created there)",
    )
    parser.add_argument(
        "--existing", default="", help="bill in this database as it is (it is written to)"
    )
    parser.add_argument("--day", default="", help="with --existing: the day to bill (ISO)")
    parser.add_argument("--skip-checks", action="store_true", help="no ledger check after")
    parser.add_argument(
        "--same-day", action="store_true", help="with --existing: bill every account that day"
    )
    parser.add_argument(
        "--profile", type=int, default=0, help="print the N costliest functions of the run"
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def tax_table() -> None:
    """A believable table for the synthetic accounts' places in Iowa."""
    from decimal import Decimal

    from dropline.billing.models import Jurisdiction, TaxRate

    since = dt.date(2020, 1, 1)
    iowa = Jurisdiction.objects.create(code="ia", name="State of Iowa", state="IA")
    johnson = Jurisdiction.objects.create(
        code="ia-johnson", name="Johnson County", state="IA", county="Johnson"
    )
    riverbend = Jurisdiction.objects.create(
        code="ia-riverbend",
        name="City of Riverbend",
        state="IA",
        county="Johnson",
        city="Riverbend",
    )
    taxed = ["tv", "equipment", "mobile"]
    rates = [
        (iowa, "sales-tax", "sales_tax", "Iowa sales tax", taxed, Decimal("6"), None),
        (iowa, "e911", "line_fee", "911 fee", ["mobile"], None, 100),
        (iowa, "regulatory", "regulatory_recovery", "Regulatory recovery fee", ["internet"],
         Decimal("2.5"), None),
        (johnson, "local-option", "sales_tax", "Johnson County local option tax",
         ["tv", "equipment"], Decimal("1"), None),
        (riverbend, "franchise", "franchise_fee", "Riverbend franchise fee", ["tv"],
         Decimal("5"), None),
    ]  # fmt: skip
    for jurisdiction, code, kind, name, applies_to, percent, amount in rates:
        TaxRate.objects.create(
            jurisdiction=jurisdiction,
            code=code,
            kind=kind,
            name=name,
            applies_to=applies_to,
            percent=percent,
            amount_cents=amount,
            effective_from=since,
        )


def prepare(args: argparse.Namespace) -> dt.date:
    """Accounts, contacts and taxes; returns the day to bill (the next 1st)."""
    from django.core.management import call_command
    from django.db import connection

    from dropline.core import clock
    from dropline.customers.models import CustomerAccount
    from dropline.seeding.synthetic import create_accounts

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    create_accounts(count=args.accounts, seed=args.seed, progress=not args.no_progress)
    CustomerAccount.objects.update(bill_cycle_day=1)
    notify_fanout.add_email_contacts()
    tax_table()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics, as a database in service has them
    print(f"  prepared {args.accounts:,} accounts in {time.perf_counter() - started:.1f} s")
    today = clock.today()
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


class Stopwatch:
    """Wraps a function to add up the time spent in it and what it returned."""

    def __init__(self, function: Callable[..., int]) -> None:
        self.function = function
        self.seconds = 0.0
        self.total = 0

    def __call__(self, **kwargs: Any) -> int:
        started = time.perf_counter()
        result = self.function(**kwargs)
        self.seconds += time.perf_counter() - started
        self.total += result
        return result


def bill(args: argparse.Namespace, day: dt.date) -> tuple[Any, float, Stopwatch, int]:
    from tqdm import tqdm

    from dropline.billing import bill_runs
    from dropline.core import clock
    from dropline.notifications import bulk_notify

    queued: list[int] = []
    bulk_notify.enqueue_delivery = queued.extend  # type: ignore[assignment]
    notices = Stopwatch(bill_runs.notify_bills_ready)
    bill_runs.notify_bills_ready = notices
    bar = tqdm(unit="acct", desc="bill run", disable=args.no_progress)

    def progress(run: Any) -> None:
        bar.total = run.accounts_total
        bar.n = run.billed + run.skipped + run.failed
        bar.refresh()

    profiler = cProfile.Profile() if args.profile else None
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    with clock.frozen(noon):
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        run = bill_runs.run_bill_run(
            run_on=day, progress=progress, in_process=True, chunk_size=args.chunk_size
        )
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - started
    bar.close()
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        out.write("\n")
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    return run, seconds, notices, len(queued)


def scratch_tables(models: list[Any]) -> dict[Any, str]:
    """An empty copy of each model's table, with its indexes, named ``scratch_<table>``."""
    from django.db import connection

    quote = connection.ops.quote_name
    names = {}
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            scratch = f"scratch_{table}"
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE {quote(scratch)} (LIKE {quote(table)} INCLUDING ALL)")
            else:
                cursor.execute(
                    "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL"
                    " AND type IN ('table', 'index')"
                    " ORDER BY type DESC",
                    [table],
                )
                for _kind, sql in cursor.fetchall():
                    ddl = sql.replace(f'"{table}"', f'"{scratch}"').replace(
                        'INDEX "', 'INDEX "scratch_'
                    )
                    cursor.execute(ddl)
            names[model] = scratch
    return names


def run_rows(models: list[Any], run_id: int) -> list[tuple[Any, list[str], list[tuple[Any, ...]]]]:
    """The invoices, lines, journal transactions and entries of the run, by id."""
    from django.db import connection

    quote = connection.ops.quote_name
    invoice, txn = quote(models[0]._meta.db_table), quote(models[2]._meta.db_table)
    invoices = f"SELECT id FROM {invoice} WHERE bill_run_id = %s"  # noqa: S608 - model names
    numbers = f"SELECT number FROM {invoice} WHERE bill_run_id = %s"  # noqa: S608
    txns = f"SELECT id FROM {txn} WHERE kind = 'invoice' AND reference IN ({numbers})"  # noqa: S608
    where = [
        "bill_run_id = %s",
        f"invoice_id IN ({invoices})",
        f"kind = 'invoice' AND reference IN ({numbers})",
        f"transaction_id IN ({txns})",
    ]
    dumped = []
    with connection.cursor() as cursor:
        for model, condition in zip(models, where, strict=True):
            columns = [f.column for f in model._meta.concrete_fields]
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the models
                f"WHERE {condition} ORDER BY {quote(model._meta.pk.column)}",
                [run_id],
            )
            dumped.append((model, columns, [tuple(row) for row in cursor.fetchall()]))
    return dumped


def floor(run_id: int, chunk_size: int) -> tuple[float, dict[str, int]]:
    """The run's rows written again into scratch tables by the raw path, a transaction
    per ``chunk_size`` invoices; returns the seconds it took and the rows per table."""
    from django.apps import apps
    from django.db import connection, transaction

    models = [apps.get_model(app, name) for app, name in FLOOR_TABLES]
    scratch = scratch_tables(models)
    dumped = {model: (columns, rows) for model, columns, rows in run_rows(models, run_id)}
    invoice, line, txn, entry = models
    # Group every row by the chunk of its invoice, as the run wrote them.
    inv_columns, inv_rows = dumped[invoice]
    position = {r[0]: i // chunk_size for i, r in enumerate(inv_rows)}
    number_chunk = {r[inv_columns.index("number")]: position[r[0]] for r in inv_rows}
    txn_columns, txn_rows = dumped[txn]
    txn_chunk = {r[0]: number_chunk[r[txn_columns.index("reference")]] for r in txn_rows}
    chunks = max(position.values(), default=-1) + 1
    grouped: dict[Any, list[list[tuple[Any, ...]]]] = {
        m: [[] for _ in range(chunks)] for m in models
    }
    for r in inv_rows:
        grouped[invoice][position[r[0]]].append(r)
    line_columns, line_rows = dumped[line]
    for r in line_rows:
        grouped[line][position[r[line_columns.index("invoice_id")]]].append(r)
    for r in txn_rows:
        grouped[txn][txn_chunk[r[0]]].append(r)
    entry_columns, entry_rows = dumped[entry]
    for r in entry_rows:
        grouped[entry][txn_chunk[r[entry_columns.index("transaction_id")]]].append(r)

    quote = connection.ops.quote_name
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    for index in range(chunks):
        with transaction.atomic():
            for model in models:
                columns = dumped[model][0]
                names = ", ".join(map(quote, columns))
                rows = grouped[model][index]
                if connection.vendor == "postgresql":
                    with (
                        raw.cursor() as cursor,
                        cursor.copy(f"COPY {quote(scratch[model])} ({names}) FROM STDIN") as copy,
                    ):
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" * len(columns))
                    raw.executemany(
                        f"INSERT INTO {quote(scratch[model])} ({names}) VALUES ({marks})",  # noqa: S608
                        rows,
                    )
    seconds = time.perf_counter() - started
    counts = {m._meta.db_table: sum(len(c) for c in grouped[m]) for m in models}
    return seconds, counts


def prepare_existing(args: argparse.Namespace) -> dt.date:
    """The day to bill in an existing database, its tax table loaded when it has none."""
    from django.db import connection
    from django.db.models import Max

    from dropline.billing.models import BillRun, Jurisdiction
    from dropline.core import clock
    from dropline.customers.models import CustomerAccount

    if not Jurisdiction.objects.exists():
        tax_table()
    if args.day:
        day = dt.date.fromisoformat(args.day)
    else:
        latest = BillRun.objects.aggregate(latest=Max("run_on"))["latest"]
        day = (latest or clock.today()) + dt.timedelta(days=1)
    if args.same_day:
        started = time.perf_counter()
        CustomerAccount.objects.update(bill_cycle_day=day.day)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        took = time.perf_counter() - started
        print(f"  every account moved to anchor day {day.day} in {took:.1f} s")
    return day


def run(args: argparse.Namespace, label: str) -> None:
    import django

    django.setup()
    from django.db import connection

    from dropline.billing.models import BillRunStatus, Invoice
    from dropline.ledger.checks import run_checks

    print(f"bill run on {label}, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    day = prepare_existing(args) if args.existing else prepare(args)
    run_, seconds, notices, queued = bill(args, day)
    if run_.status != BillRunStatus.COMPLETED or run_.failed:
        raise SystemExit(f"the run did not complete: {run_.status}, {run_.failed} failed")
    invoices = Invoice.objects.filter(bill_run=run_).count()
    if invoices != run_.billed:
        raise SystemExit(f"{invoices} invoices written, the run says {run_.billed}")
    print(f"  {invoices:,} invoices, day {day}, chunks of {args.chunk_size}")
    print(f"  bill run            {seconds:8.2f} s {invoices / seconds:10,.0f} invoices/s")
    print(
        f"    of which notices  {notices.seconds:8.2f} s {notices.total / notices.seconds:10,.0f}"
        f" notices/s ({notices.total:,} messages, {queued:,} e-mails queued for delivery)"
        if notices.seconds
        else "    no notices"
    )
    floor_seconds, counts = floor(run_.pk, args.chunk_size)
    method = "COPY" if label == "PostgreSQL" else "executemany"
    rows = sum(counts.values())
    print("  rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    print(f"  bill run            {rows / seconds:10,.0f} rows/s")
    print(
        f"  floor: raw {method:<11}{floor_seconds:6.2f} s {invoices / floor_seconds:10,.0f}"
        f" invoices/s {rows / floor_seconds:10,.0f} rows/s"
    )
    print(f"  ratio: {seconds / floor_seconds:.1f}x the floor")
    if args.skip_checks:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after the run
    started = time.perf_counter()
    broken = [f"{name}: {finding}" for name, finding in run_checks() if finding]
    if broken:
        raise SystemExit(f"ledger check failed: {broken[0]}")
    print(f"  every ledger check holds ({time.perf_counter() - started:.1f} s)")


def run_on_fresh_database(
    args: argparse.Namespace, prefix: str, run: Callable[[argparse.Namespace, str], None]
) -> None:
    """``run(args, database_name)`` on a new SQLite file, or on a throwaway PostgreSQL
    database ``<prefix>_<pid>`` when ``--database-url`` is given."""
    if args.accounts < 1:
        raise SystemExit("--accounts must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        if not args.database_url:
            notify_fanout.configure(var_dir, f"sqlite:///{var_dir}/bench.sqlite3")
            run(args, "SQLite")
            return
        with throwaway_postgres(args.database_url, prefix) as url:
            notify_fanout.configure(var_dir, url)
            run(args, "PostgreSQL")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.existing:
        with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
            notify_fanout.configure(var_dir, args.existing)
            run(args, "PostgreSQL" if args.existing.startswith("postgres") else "SQLite")
        return
    run_on_fresh_database(args, "dropline_bench_bill_run", run)


if __name__ == "__main__":
    main(sys.argv[1:])
