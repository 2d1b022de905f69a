"""How fast the evening's visit reminders go into the outbox, against their floor.

    .venv/bin/python -m bench.visit_reminders --visits 5000
    .venv/bin/python -m bench.visit_reminders --database-url postgres://postgres@127.0.0.1/postgres

Builds a fresh database (migrations, one synthetic account per visit, a verified primary
e-mail address and mobile number for every holder), books one scheduled visit for
tomorrow per account (written in bulk, each with its ``booked`` event, in the arrival
windows of its service area), and then times one run of
``reminders.send_due_reminders`` at the evening reminder's hour, as the beat runs it.
Every household is told by e-mail, SMS and in the portal. Delivery is cut off where the
product hands message ids to Celery (``enqueue_delivery`` only counts them), so nothing
is sent and what is measured is recording: finding the visits due, leaving out those
already reminded, rendering, writing the messages and the ``reminded`` events. A second
run at the same moment is timed too: it must send nothing.

The floor is measured in the same run: the very messages the run wrote are read back,
the table emptied, and the rows put back into the same table (same indexes and unique
key) by the database's fastest raw path, ``executemany`` on SQLite and ``COPY ... FROM
STDIN`` on PostgreSQL, in one transaction per thousand visits. The ratio says how many
times the floor the reminders take.

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

from bench.databases import throwaway_postgres
from bench.notify_fanout import configure, dump, empty, raw_insert

VISITS_PER_TRANSACTION = 1000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--visits", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server to run on (a throwaway database is created there)",
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def add_contacts() -> int:
    """A verified, primary e-mail address and mobile number for every account holder
    (bulk); returns the holders."""
    from django.db import transaction

    from dropline.core import clock
    from dropline.customers.models import AccountMember, MemberRole
    from dropline.notifications.models import ContactKind, ContactPoint

    now = clock.now()
    holders = list(
        AccountMember.objects.filter(role=MemberRole.HOLDER)
        .order_by("user_id")
        .values_list("user_id", "user__email")
    )
    points = []
    for user_id, email in holders:
        for kind, address in (
            (ContactKind.EMAIL, email),
            (ContactKind.PHONE, f"+1555{user_id:07d}"),
        ):
            points.append(
                ContactPoint(
                    user_id=user_id, kind=kind, address=address, is_primary=True, verified_at=now
                )
            )
    with transaction.atomic():
        ContactPoint.objects.bulk_create(points, batch_size=5000)
    return len(holders)


def book_visits(day: dt.date, booked_at: dt.datetime) -> int:
    """One scheduled visit on ``day`` for every account, in its area's arrival windows,
    each with the ``booked`` event of ``booked_at`` (bulk); returns the visits."""
    from django.db import transaction

    from dropline.customers.models import CustomerAccount
    from dropline.field.models import (
        Appointment,
        AppointmentEvent,
        AppointmentEventKind,
        VisitReason,
        VisitWindow,
    )
    from dropline.field.windows import local_moment

    accounts = list(
        CustomerAccount.objects.order_by("pk").values_list(
            "pk", "service_address_id", "service_address__service_area_id"
        )
    )
    hours = [(8, 10), (10, 12), (12, 14), (14, 16), (16, 18)]
    areas = sorted({area_id for _, _, area_id in accounts})
    reasons = list(VisitReason.values)
    with transaction.atomic():
        windows = VisitWindow.objects.bulk_create(
            VisitWindow(
                area_id=area_id,
                date=day,
                starts_at=local_moment(day, dt.time(start)),
                ends_at=local_moment(day, dt.time(end)),
                capacity=len(accounts),
                booked=0,
            )
            for area_id in areas
            for start, end in hours
        )
        by_area: dict[int, list[VisitWindow]] = {}
        for window in windows:
            by_area.setdefault(window.area_id, []).append(window)
        visits = Appointment.objects.bulk_create(
            (
                Appointment(
                    number=f"V-B{i:07d}",
                    account_id=account_id,
                    address_id=address_id,
                    window=by_area[area_id][i % len(hours)],
                    reason=reasons[i % len(reasons)],
                    ics_uid=f"bench-visit-{i}@dropline",
                    created_at=booked_at,
                    updated_at=booked_at,
                )
                for i, (account_id, address_id, area_id) in enumerate(accounts)
            ),
            batch_size=2000,
        )
        AppointmentEvent.objects.bulk_create(
            (
                AppointmentEvent(appointment=visit, kind=AppointmentEventKind.BOOKED, at=booked_at)
                for visit in visits
            ),
            batch_size=2000,
        )
    return len(visits)


def remind(moment: dt.datetime) -> tuple[float, int, int]:
    """One run of the reminders at ``moment``; returns (seconds, messages, ids queued)."""
    from dropline.field import reminders
    from dropline.notifications import bulk_notify, outbox

    queued = 0

    def count_only(message_ids: list[int]) -> None:
        nonlocal queued
        queued += len(message_ids)

    # Both ways into the outbox hand their ids to Celery here.
    bulk_notify.enqueue_delivery = count_only
    outbox.enqueue_delivery = count_only
    started = time.perf_counter()
    sent = reminders.send_due_reminders(now=moment)
    return time.perf_counter() - started, sent, queued


def run(args: argparse.Namespace, label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dropline.core import clock
    from dropline.field import reminders
    from dropline.field.models import AppointmentEvent, AppointmentEventKind
    from dropline.field.windows import provider_zone
    from dropline.notifications.models import DeliveryAttempt, Message, MessageStatus
    from dropline.seeding.synthetic import create_accounts

    call_command("migrate", verbosity=0, interactive=False)

    started = time.perf_counter()
    create_accounts(count=args.visits, seed=args.seed, progress=not args.no_progress)
    holders = add_contacts()
    tomorrow = clock.now().astimezone(provider_zone()).date() + dt.timedelta(days=1)
    evening = reminders.due_at(reminders.EVENING, tomorrow)
    visits = book_visits(tomorrow, evening - dt.timedelta(days=2))
    with connection.cursor() as cursor:
        # as the autovacuum daemon would have by now: the planner's statistics
        cursor.execute("ANALYZE")
    setup = time.perf_counter() - started

    seconds, sent, queued = remind(evening)
    again, sent_again, _ = remind(evening)

    messages = Message.objects.count()
    expected = 3 * holders  # e-mail, SMS and in the portal for every holder
    events = AppointmentEvent.objects.filter(kind=AppointmentEventKind.REMINDED).count()
    if messages != expected or sent != messages or queued != 2 * holders:
        raise SystemExit(f"{messages} messages ({sent} said, {queued} queued), expected {expected}")
    if events != visits or sent_again:
        raise SystemExit(f"{events} reminded events for {visits} visits, {sent_again} sent again")
    pending = Message.objects.exclude(channel="in_app").exclude(status=MessageStatus.PENDING)
    if pending.exists() or DeliveryAttempt.objects.exists():
        raise SystemExit("something was delivered: the benchmark must only record")

    columns, rows = dump(Message)
    empty(Message)
    parts = math.ceil(visits / VISITS_PER_TRANSACTION)
    floor = raw_insert(Message, columns, rows, parts=parts)
    if Message.objects.count() != messages:
        raise SystemExit("the floor did not put every row back")

    method = "COPY" if label == "PostgreSQL" else "executemany"
    print(f"visit reminders on {label}, {os.cpu_count()} CPU(s), seed {args.seed}")
    print(
        f"  {visits:,} visits tomorrow ({setup:.0f} s to create), {messages:,} messages "
        f"(e-mail + SMS + in-app), evening run at {evening:%Y-%m-%d %H:%M %Z}"
    )
    for what, took in (("send_due_reminders", seconds), (f"floor: raw {method}", floor)):
        print(
            f"  {what:<24} {took:8.2f} s {messages / took:10,.0f} messages/s"
            f" {visits / took:10,.0f} visits/s"
        )
    print(f"  ratio: {seconds / floor:.1f}x the floor")
    print(f"  a second run at the same moment: {again:.2f} s, nothing sent")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.visits < 1:
        raise SystemExit("--visits must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        if not args.database_url:
            configure(var_dir, f"sqlite:///{var_dir}/bench.sqlite3")
            run(args, "SQLite")
            return
        with throwaway_postgres(args.database_url, "dropline_bench_reminders") as url:
            configure(var_dir, url)
            run(args, "PostgreSQL")


if __name__ == "__main__":
    main(sys.argv[1:])
