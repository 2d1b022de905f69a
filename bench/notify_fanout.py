"""How fast an outage announcement fans out into the outbox, against its floor.

    .venv/bin/python -m bench.notify_fanout --accounts 100000
    .venv/bin/python -m bench.notify_fanout --database-url postgres://postgres@127.0.0.1/postgres

Builds a fresh database (migrations, ``create_accounts`` synthetic accounts, a verified
primary e-mail contact point for every holder), creates one announcement for every
service area and then times the fan-out of its first notice: ``fan_out_chunk`` called in
a loop, chunk after chunk, exactly as the ``fan_out_announcement`` task does without a
broker. Delivery is cut off where the product hands message ids to Celery
(``bulk_notify.enqueue_delivery`` only counts them), so no mail is sent and what is
measured is recording: reading the accounts, members, contacts, preferences and quiet
hours, rendering, building and inserting the message rows, and finding the ids to
deliver.

The floor is measured in the same run: the very rows the fan-out wrote are read back,
the table emptied, and the rows put back into the same table (same indexes and unique
key) by the database's fastest raw path, ``executemany`` on SQLite and ``COPY ... FROM
STDIN`` on PostgreSQL, in as many transactions as the fan-out had chunks. The ratio says
how many times the floor the fan-out takes.

On SQLite the database is a file in a temporary directory. With ``--database-url`` a
PostgreSQL server is used: a throwaway database is created on it and dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import tempfile
import time
from typing import Any

from bench import seed_synthetic
from bench.databases import throwaway_postgres


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--chunk", type=int, default=0, help="accounts per chunk (default: the product's CHUNK)"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server to run on (a throwaway database is created there)",
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def configure(var_dir: str, database_url: str) -> None:
    """As the seed benchmark does, and keep everything in-process: tasks run here, SMS
    stays in the simulator, e-mail goes to the console. Must run before django.setup()."""
    seed_synthetic.configure(var_dir, database_url)
    os.environ["EMAIL_URL"] = "console://"
    for name in ("CELERY_BROKER_URL", "SMS_GATEWAY", "REDIS_URL"):
        os.environ.pop(name, None)


def add_email_contacts() -> int:
    """A verified, primary e-mail contact point for every account holder (bulk)."""
    from django.db import transaction

    from dropline.core import clock
    from dropline.customers.models import AccountMember, MemberRole
    from dropline.notifications.models import ContactKind, ContactPoint

    now = clock.now()
    holders = AccountMember.objects.filter(role=MemberRole.HOLDER).values_list(
        "user_id", "user__email"
    )
    points = [
        ContactPoint(
            user_id=user_id,
            kind=ContactKind.EMAIL,
            address=email,
            is_primary=True,
            verified_at=now,
        )
        for user_id, email in holders.iterator(chunk_size=5000)
    ]
    with transaction.atomic():
        ContactPoint.objects.bulk_create(points, batch_size=5000)
    return len(points)


def fan_out(announcement_id: int, size: int) -> tuple[float, int, int]:
    """Run every chunk of the first notice; returns (seconds, chunks, ids handed to Celery).

    The last call finds no account left and marks the announcement sent; it is timed too
    but is not a chunk."""
    from dropline.notifications import announcements, bulk_notify

    queued = 0

    def count_only(message_ids: list[int]) -> None:
        nonlocal queued
        queued += len(message_ids)

    bulk_notify.enqueue_delivery = count_only
    chunks = 0
    cursor: int | None = 0
    started = time.perf_counter()
    while cursor is not None:
        cursor = announcements.fan_out_chunk(
            announcement_id=announcement_id,
            phase=announcements.INITIAL,
            after_account_id=cursor,
            size=size,
        )
        chunks += cursor is not None
    return time.perf_counter() - started, chunks, queued


def dump(model: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    from django.db import connection

    quote = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the model
            f"ORDER BY {quote(model._meta.pk.column)}"
        )
        return columns, [tuple(row) for row in cursor.fetchall()]


def empty(model: Any) -> None:
    from django.db import connection, transaction

    table = connection.ops.quote_name(model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def raw_insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]], parts: int) -> float:
    """Put the rows back by the fastest raw path, ``parts`` transactions; returns seconds."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(map(quote, columns))
    per_part = max(1, math.ceil(len(rows) / max(1, parts)))
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    for start in range(0, len(rows), per_part):
        batch = rows[start : start + per_part]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with (
                    raw.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
                ):
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
    return time.perf_counter() - started


def run(args: argparse.Namespace, label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from dropline.customers.models import ServiceArea
    from dropline.notifications import announcements
    from dropline.notifications.categories import Channel
    from dropline.notifications.models import Announcement, DeliveryAttempt, Message, MessageStatus
    from dropline.seeding.synthetic import create_accounts

    call_command("migrate", verbosity=0, interactive=False)

    started = time.perf_counter()
    create_accounts(count=args.accounts, seed=args.seed, progress=not args.no_progress)
    contacts = add_email_contacts()
    from django.db import connection

    with connection.cursor() as cursor:
        # as the autovacuum daemon would have by now: the planner's statistics for the
        # accounts, members and contacts just written (without them it scans whole tables)
        cursor.execute("ANALYZE")
    setup = time.perf_counter() - started

    from dropline.core import clock

    now = clock.now()
    notice = announcements.create_announcement(
        kind="outage",
        areas=ServiceArea.objects.all(),
        starts_at=now,
        ends_at=now + dt.timedelta(hours=4),
        title_en="Internet outage in your area",
        title_es="Corte de internet en su zona",
        body_en="A fibre cut is being repaired. We expect service back within four hours.",
        body_es="Estamos reparando un corte de fibra. El servicio volverá en unas cuatro horas.",
        created_by=None,
    )
    real_queue = announcements._queue
    announcements._queue = lambda *a: None  # we drive the chunks ourselves
    try:
        announcements.start_sending(announcement=notice)
    finally:
        announcements._queue = real_queue

    size = args.chunk or announcements.CHUNK
    seconds, chunks, queued = fan_out(notice.pk, size)

    notice = Announcement.objects.get(pk=notice.pk)
    messages = Message.objects.count()
    expected = 2 * contacts  # e-mail and in-app for every holder, no phones
    emails = Message.objects.filter(channel=Channel.EMAIL)
    if notice.accounts_done != notice.accounts_total or notice.accounts_total != args.accounts:
        raise SystemExit(f"reached {notice.accounts_done} of {notice.accounts_total} accounts")
    if messages != expected or queued != contacts:
        raise SystemExit(f"{messages} messages ({queued} queued), expected {expected}")
    if emails.exclude(status=MessageStatus.PENDING).exists() or DeliveryAttempt.objects.exists():
        raise SystemExit("something was delivered: the benchmark must only record")

    columns, rows = dump(Message)
    empty(Message)
    floor = raw_insert(Message, columns, rows, parts=chunks)
    if Message.objects.count() != messages:
        raise SystemExit("the floor did not put every row back")

    method = "COPY" if label == "PostgreSQL" else "executemany"
    print(f"announcement fan-out on {label}, {os.cpu_count()} CPU(s), seed {args.seed}")
    print(
        f"  {args.accounts:,} accounts ({setup:.0f} s to create), {messages:,} messages "
        f"(e-mail + in-app), {chunks} chunks of {size} accounts"
    )
    for what, took in (("fan_out_chunk loop", seconds), (f"floor: raw {method}", floor)):
        print(
            f"  {what:<24} {took:8.2f} s {messages / took:10,.0f} messages/s"
            f" {args.accounts / took:10,.0f} accounts/s"
        )
    print(f"  ratio: {seconds / floor:.1f}x the floor")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.accounts < 1:
        raise SystemExit("--accounts must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        if not args.database_url:
            configure(var_dir, f"sqlite:///{var_dir}/bench.sqlite3")
            run(args, "SQLite")
            return
        with throwaway_postgres(args.database_url, "dropline_bench_fanout") as url:
            configure(var_dir, url)
            run(args, "PostgreSQL")


if __name__ == "__main__":
    main(sys.argv[1:])
