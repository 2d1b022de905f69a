"""How fast a plan's new price is applied to its subscribers, against the raw write of
the same rows.

    .venv/bin/python -m bench.price_change --accounts 100000
    .venv/bin/python -m bench.price_change --accounts 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres

The benchmark starts from a fresh database: SQLite in a temporary directory, or a
throwaway database on the PostgreSQL server that ``--database-url`` (or a PostgreSQL
``DATABASE_URL``) names, dropped at the end. It runs ``migrate``, creates the accounts
with ``dropline seed synthetic``'s ``create_accounts``, moves every internet service to
one plan (one UPDATE) and gives each holder a verified e-mail contact.

Timed: ``subscriptions.repricing.schedule(..., applies_to_subscribers=True)`` (the
schedule and its chunks, one transaction) and ``run_apply`` in this process, as
``dropline catalog schedule-price --apply-to-subscribers`` runs them: chunks of 1,000
services, each one transaction that reads the services and their prices before the
day, writes their dated ``SubscriptionPrice`` rows (and each first row the service
lacked) with ``core.bulk.insert_rows``, records the "your price changes" messages
(e-mail and in-app) with ``notify_many`` and marks the chunk done. Delivery is cut
where the product hands message ids to Celery (they are only counted).

The **floor** is measured in the same run on the same rows: every price row and
message the job wrote is read back and written into scratch copies of those tables
(same columns and indexes) by the database's fastest raw path, ``COPY ... FROM STDIN``
on PostgreSQL and one ``executemany`` per table on SQLite, in one transaction per chunk
of services as the job does. The ratio says how many times the floor the job takes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from typing import Any

from bench import notify_fanout
from bench.bill_run import Stopwatch, run_on_fresh_database, scratch_tables

PLAN_CODE = "bench-internet"
OLD_CENTS = 6500
NEW_CENTS = 6999


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
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace) -> Any:
    """Accounts, one internet plan for all their internet services, contacts; returns
    the plan."""
    from django.core.management import call_command
    from django.db import connection

    from dropline.catalog.models import Plan
    from dropline.seeding.synthetic import create_accounts
    from dropline.subscriptions.models import Subscription

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    create_accounts(count=args.accounts, seed=args.seed, progress=not args.no_progress)
    plan = Plan.objects.create(
        code=PLAN_CODE, kind="internet", name="Bench Internet", monthly_price_cents=OLD_CENTS
    )
    Subscription.objects.filter(plan__kind="internet").update(
        plan=plan, monthly_price_cents=OLD_CENTS
    )
    notify_fanout.add_email_contacts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  prepared {args.accounts:,} accounts in {time.perf_counter() - started:.1f} s")
    return plan


def apply(args: argparse.Namespace, plan: Any) -> tuple[Any, float, int, Stopwatch]:
    from tqdm import tqdm

    from dropline.core import clock
    from dropline.notifications import bulk_notify
    from dropline.subscriptions import repricing
    from dropline.subscriptions.repricing import run_apply, schedule

    queued: list[int] = []
    bulk_notify.enqueue_delivery = queued.extend  # type: ignore[assignment]
    notices = Stopwatch(repricing.notify_many)
    repricing.notify_many = notices
    bar = tqdm(unit="chunk", desc="applying", disable=args.no_progress)

    def progress(current: Any) -> None:
        bar.total = current.chunks_total
        bar.n = current.chunks_done
        bar.refresh()

    today = clock.today()
    with clock.frozen(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)):
        started = time.perf_counter()
        scheduled = schedule(
            item=plan,
            effective_on=today + dt.timedelta(days=45),
            monthly_price_cents=NEW_CENTS,
            reason="Network investment",
            applies_to_subscribers=True,
            chunk_size=args.chunk_size,
            queue=False,
        )
        done = run_apply(schedule=scheduled, progress=progress)
        seconds = time.perf_counter() - started
    bar.close()
    return done, seconds, len(queued), notices


def floor(scheduled: Any, chunk_size: int, after_id: int) -> tuple[float, dict[str, int]]:
    """The job's rows (price rows after ``after_id``, its messages) written again into
    scratch tables by the raw path, one transaction per chunk of ``chunk_size``
    services; returns the seconds and the rows per table."""
    from django.db import connection, transaction

    from bench.notify_fanout import dump
    from dropline.notifications.models import Message
    from dropline.subscriptions.models import SubscriptionPrice

    scratch = scratch_tables([SubscriptionPrice, Message])
    price_columns, price_rows = dump(SubscriptionPrice)
    message_columns, message_rows = dump(Message)
    price_rows = [row for row in price_rows if row[0] > after_id]
    service_at = price_columns.index("subscription_id")
    services = sorted({row[service_at] for row in price_rows})
    chunk_of = {service: i // chunk_size for i, service in enumerate(services)}
    subject_at = message_columns.index("subject_key")
    prefix = f"price_change:{scheduled.pk}:"
    message_rows = [row for row in message_rows if str(row[subject_at]).startswith(prefix)]
    chunks = max(chunk_of.values(), default=-1) + 1
    grouped: dict[Any, list[list[tuple[Any, ...]]]] = {
        SubscriptionPrice: [[] for _ in range(chunks)],
        Message: [[] for _ in range(chunks)],
    }
    for row in price_rows:
        grouped[SubscriptionPrice][chunk_of[row[service_at]]].append(row)
    for row in message_rows:
        service = int(str(row[subject_at]).rsplit(":", 1)[1])
        grouped[Message][chunk_of[service]].append(row)
    columns = {SubscriptionPrice: price_columns, Message: message_columns}

    quote = connection.ops.quote_name
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    for index in range(chunks):
        with transaction.atomic():
            for model in (SubscriptionPrice, Message):
                names = ", ".join(map(quote, columns[model]))
                rows = grouped[model][index]
                if connection.vendor == "postgresql":
                    with (
                        raw.cursor() as cursor,
                        cursor.copy(f"COPY {quote(scratch[model])} ({names}) FROM STDIN") as copy,
                    ):
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" * len(columns[model]))
                    raw.executemany(
                        f"INSERT INTO {quote(scratch[model])} ({names}) VALUES ({marks})",  # noqa: S608
                        rows,
                    )
    seconds = time.perf_counter() - started
    counts = {m._meta.db_table: sum(len(c) for c in grouped[m]) for m in grouped}
    return seconds, counts


def run(args: argparse.Namespace, label: str) -> None:
    import django

    django.setup()
    from dropline.catalog.models import ApplyStatus
    from dropline.subscriptions.models import SubscriptionPrice

    print(
        f"price change on {label}, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}"
    )
    plan = prepare(args)
    last = SubscriptionPrice.objects.order_by("-id").values_list("id", flat=True).first()
    done, seconds, queued, notices = apply(args, plan)
    if done.apply_status != ApplyStatus.DONE:
        raise SystemExit(f"the job did not complete: {done.apply_status}")
    dated = SubscriptionPrice.objects.filter(effective_on=done.effective_on).count()
    if dated != done.services_changed:
        raise SystemExit(f"{dated} dated prices written, the job says {done.services_changed}")
    print(
        f"  {done.services_changed:,} services on the plan changed, "
        f"chunks of {args.chunk_size}, {done.notices:,} messages ({queued:,} queued)"
    )
    floor_seconds, counts = floor(done, args.chunk_size, last or 0)
    rows = sum(counts.values())
    method = "COPY" if label == "PostgreSQL" else "executemany"
    print("  rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    print(
        f"  price change        {seconds:8.2f} s {done.services_changed / seconds:10,.0f}"
        f" services/s {rows / seconds:10,.0f} rows/s"
    )
    if notices.seconds:
        print(
            f"    of which notices  {notices.seconds:8.2f} s"
            f" {notices.total / notices.seconds:10,.0f} messages/s"
        )
    print(
        f"  floor: raw {method:<11}{floor_seconds:6.2f} s"
        f" {done.services_changed / floor_seconds:10,.0f} services/s"
        f" {rows / floor_seconds:10,.0f} rows/s"
    )
    print(f"  ratio: {seconds / floor_seconds:.1f}x the floor")


def main(argv: list[str] | None = None) -> None:
    run_on_fresh_database(parse_args(argv), "dropline_bench_price_change", run)


if __name__ == "__main__":
    main(sys.argv[1:])
