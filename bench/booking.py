"""Technician visits booked under contention, against the bare SQL of a booking.

    .venv/bin/python -m bench.booking
    .venv/bin/python -m bench.booking --database-url postgres://postgres@127.0.0.1:5432/postgres

The benchmark starts from a fresh database: SQLite in a temporary directory, or a
throwaway database on the PostgreSQL server ``--database-url`` names, dropped at the
end. It runs ``migrate``, makes one service area with weekly arrival windows (every day,
8-10 to 4-6, ``--capacity`` visits each) through ``field.capacity.add_template``, which
opens the windows from today to the horizon (``DROPLINE_BOOKING_DAYS``), and creates the
accounts with ``dropline seed synthetic``'s ``create_accounts``, their service addresses
moved into the area (one UPDATE) and each holder given a verified e-mail contact.
Messages are recorded as the product records them; their delivery is cut where the
product hands their ids to Celery (they are only counted).

Timed, in this process, each booking one ``field.booking.book(...)`` for its own
account, the household's holder pressing "book" (its row lock, the window's row lock,
``booked`` moved, the visit, its event, the confirmation with its calendar invitation):

- **reads**: ``queries.bookable_windows(reason="repair")`` for one account (what
  ``GET /api/v1/appointments/windows?reason=repair`` answers), against the bare windows
  SELECT with the same filters.
- **throughput**: ``--threads`` threads (8 on PostgreSQL, 1 on SQLite) take the places of
  every window from tomorrow on (the soonest first, so threads meet on the same window
  rows) until each is taken; bookings/s, the median and p95 of one booking. Afterwards
  every window's ``booked`` must equal its scheduled visits and never exceed its
  capacity, and every place must be taken.
- **contention**: ``--racers`` threads, each its own household, book the same window at
  once, its capacity lowered to ``--places`` with ``field.capacity.add_exception`` (a
  storm), ``--rounds`` times on the windows the throughput left open: exactly
  ``--places`` must win; the others are refused ("full") with the 3 nearest open windows.

The **floor**, in the same run with the same threads and places: a booking's bare SQL,
one transaction of ``SELECT ... FOR UPDATE`` of the window's row (a plain SELECT on
SQLite, which locks the whole database on the first write), ``UPDATE ... SET booked =
booked + 1 WHERE id = %s AND booked < capacity`` and one INSERT of an appointment-sized
row, on scratch copies of the windows (their places all free) and visits tables. The
ratio says how many times the floor a booking costs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bench import notify_fanout
from bench.bill_run import scratch_tables
from bench.databases import throwaway_postgres

AREA_CODE = "bench-visits"
HOURS = ((8, 10), (10, 12), (12, 14), (14, 16), (16, 18))
HELD_BACK_DAYS = 2  # the last days of the horizon stay open for the contention rounds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--capacity", type=int, default=8, help="visits a window (default 8)")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="booking threads (8 on PostgreSQL, 1 on SQLite)",
    )
    parser.add_argument("--racers", type=int, default=16, help="threads on one window (16)")
    parser.add_argument("--places", type=int, default=3, help="places they race for (3)")
    parser.add_argument("--rounds", type=int, default=5, help="contention rounds (5)")
    parser.add_argument("--reads", type=int, default=200, help="window reads timed (200)")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://user@host:port/db) for a throwaway database; "
        "SQLite in a temporary directory without it",
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


@dataclass
class Timed:
    """Latencies of one kind of call and the wall-clock seconds of the whole batch."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self, label: str, unit: str) -> str:
        lat = sorted(self.latencies)
        p95 = lat[max(int(len(lat) * 0.95) - 1, 0)] if lat else 0.0
        median = statistics.median(lat) if lat else 0.0
        return (
            f"  {label:<22} {len(lat):5d} in {self.seconds:6.2f} s: {self.rate:7.1f} {unit}/s"
            f"  (p50 {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms)"
        )


@dataclass
class Household:
    account: Any
    user: Any


def in_threads(
    threads: int, jobs: list[Any], work: Callable[[Any], None], into: Timed, *, at_once: bool
) -> None:
    """Run ``work(job)`` for every job from ``threads`` threads, each taking the next job
    from a shared list; with ``at_once`` every thread takes one job and they start
    together. Latencies and errors go into ``into``."""
    from django.db import connections

    lock = threading.Lock()
    queue: Iterator[Any] = iter(jobs)
    barrier = threading.Barrier(threads) if at_once else None

    def next_job() -> Any:
        with lock:
            return next(queue, None)

    def worker() -> None:
        mine: list[float] = []
        try:
            if barrier is not None:
                barrier.wait()
            while (job := next_job()) is not None:
                began = time.perf_counter()
                try:
                    work(job)
                finally:
                    mine.append(time.perf_counter() - began)
                if barrier is not None:
                    break
        except Exception as exc:  # reported with the figures, never lost in a thread
            with lock:
                into.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()
            with lock:
                into.latencies.extend(mine)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    into.seconds += time.perf_counter() - started


def prepare(args: argparse.Namespace, accounts: int) -> tuple[Any, Any, list[Household]]:
    """The area with its weekly windows opened, ``accounts`` households in it; returns
    the area, a dispatcher and the households."""
    from django.core.management import call_command

    from dropline.accounts.models import User
    from dropline.customers.models import AccountMember, MemberRole, ServiceAddress, ServiceArea
    from dropline.field import capacity
    from dropline.seeding.synthetic import create_accounts

    call_command("migrate", verbosity=0, interactive=False)
    create_accounts(count=accounts, seed=1, progress=not args.no_progress)
    notify_fanout.add_email_contacts()
    area = ServiceArea.objects.create(code=AREA_CODE, name="Bench visits")
    ServiceAddress.objects.update(service_area=area)
    dispatcher = User.objects.create_user(username="bench-dispatch", is_staff=True)
    for weekday in range(7):
        for start, end in HOURS:
            capacity.add_template(
                area_id=area.pk,
                weekday=weekday,
                starts_at=dt.time(start),
                ends_at=dt.time(end),
                capacity=args.capacity,
                by=dispatcher,
            )
    holders = (
        AccountMember.objects.filter(role=MemberRole.HOLDER)
        .select_related("account", "user")
        .order_by("account_id")
    )
    return area, dispatcher, [Household(m.account, m.user) for m in holders]


def statements(call: Callable[[], Any]) -> int:
    """How many SQL statements ``call`` runs (refusals counted too); with
    ``BENCH_SHOW_SQL`` in the environment, each of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dropline.field.errors import AppointmentError

    with CaptureQueriesContext(connection) as captured, contextlib.suppress(AppointmentError):
        call()
    if os.environ.get("BENCH_SHOW_SQL"):
        for query in captured.captured_queries:
            print(f"    {query['sql'][:200]}")
    return len(captured.captured_queries)


def booker(reason: str = "repair") -> Callable[[tuple[Household, int]], None]:
    from dropline.field import booking

    def work(job: tuple[Household, int]) -> None:
        household, window_id = job
        booking.book(
            account=household.account, person=household.user, window_id=window_id, reason=reason
        )

    return work


def floor_tables() -> tuple[str, str, Callable[[tuple[Household, int]], None]]:
    """Scratch copies of the windows (every place free) and visits tables, and the bare
    booking on them."""
    from django.db import connection, transaction

    from dropline.field.models import Appointment, VisitWindow

    names = scratch_tables([VisitWindow, Appointment])
    quote = connection.ops.quote_name
    windows, visits = quote(names[VisitWindow]), quote(names[Appointment])
    columns = "id, area_id, date, starts_at, ends_at, capacity, booked"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {windows} ({columns})"  # noqa: S608 - names from the models
            f" SELECT id, area_id, date, starts_at, ends_at, capacity, 0"
            f" FROM {quote(VisitWindow._meta.db_table)}"
        )
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    select = f"SELECT id, area_id, starts_at, capacity, booked FROM {windows} WHERE id = %s{lock}"  # noqa: S608
    update = f"UPDATE {windows} SET booked = booked + 1 WHERE id = %s AND booked < capacity"  # noqa: S608
    insert = (
        f"INSERT INTO {visits} (number, account_id, address_id, window_id, reason, details,"  # noqa: S608
        " status, ics_uid, ics_sequence, booked_by_id, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )

    def work(job: tuple[Household, int]) -> None:
        household, window_id = job
        now = dt.datetime.now(dt.UTC)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [window_id])
            cursor.fetchone()
            cursor.execute(update, [window_id])
            if cursor.rowcount != 1:
                raise RuntimeError(f"floor: window {window_id} full")
            cursor.execute(
                insert,
                [
                    f"F-{uuid.uuid4().hex[:12]}",
                    household.account.pk,
                    household.account.service_address_id,
                    window_id,
                    "repair",
                    "",
                    "scheduled",
                    f"{uuid.uuid4()}@bench",
                    0,
                    household.user.pk,
                    now,
                    now,
                ],
            )

    return names[VisitWindow], names[Appointment], work


def check_places(window_ids: list[int]) -> None:
    """Every window counts exactly its scheduled visits, never over its capacity, and
    every place of ``window_ids`` is taken."""
    from django.db.models import Count, Q

    from dropline.field.models import AppointmentStatus, VisitWindow

    windows = VisitWindow.objects.annotate(
        visits=Count("appointments", filter=Q(appointments__status=AppointmentStatus.SCHEDULED))
    )
    wrong = [w for w in windows if w.booked != w.visits or w.booked > w.capacity]
    unfilled = [w for w in windows.filter(pk__in=window_ids) if w.booked != w.capacity]
    if wrong or unfilled:
        for w in (wrong + unfilled)[:5]:
            print(f"  window {w.pk}: capacity {w.capacity}, booked {w.booked}, visits {w.visits}")
        raise SystemExit("the places do not add up")
    total = sum(w.booked for w in windows)
    print(f"  {windows.count()} windows: booked = scheduled visits <= capacity in each ({total})")


def measure_reads(args: argparse.Namespace, household: Household) -> None:
    from django.db import connection

    from dropline.core import clock
    from dropline.field import queries
    from dropline.field.models import VisitWindow
    from dropline.field.windows import horizon

    def product() -> int:
        return len(queries.bookable_windows(account=household.account, reason="repair"))

    table = connection.ops.quote_name(VisitWindow._meta.db_table)
    sql = (
        f"SELECT id, starts_at, ends_at, capacity, booked FROM {table}"  # noqa: S608
        " WHERE area_id = %s AND starts_at >= %s AND date <= %s AND booked < capacity"
        " ORDER BY starts_at, id"
    )
    area_id = queries.area_id_of(household.account)

    def bare() -> int:
        params: list[Any] = [area_id, clock.now() + queries.cutoff(), horizon()[1]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    rows = product(), bare()  # warm
    if rows[0] != rows[1]:
        raise SystemExit(f"bookable_windows gave {rows[0]} windows, the bare SELECT {rows[1]}")
    reads = statements(product)
    timings = {}
    for name, call in (("product", product), ("floor", bare)):
        started = time.perf_counter()
        for _ in range(args.reads):
            call()
        timings[name] = (time.perf_counter() - started) / args.reads
    print(f"reads: one account's bookable windows ({rows[0]} windows), {args.reads} times each")
    print(f"  bookable_windows():     {timings['product'] * 1000:7.3f} ms ({reads} statements)")
    print(f"  floor (the bare SELECT): {timings['floor'] * 1000:7.3f} ms (1 statement)")
    print(f"  ratio: {timings['product'] / timings['floor']:.1f}x the floor")


def storm(area: Any, dispatcher: Any, starts_at: dt.datetime, places: int) -> None:
    """Lower the window starting at ``starts_at`` to ``places`` visits, as dispatch does."""
    from dropline.field import capacity
    from dropline.field.windows import provider_zone

    local = starts_at.astimezone(provider_zone())
    capacity.add_exception(
        area_id=area.pk,
        date=local.date(),
        starts_at=local.time(),
        capacity=places,
        reason="bench: a storm",
        by=dispatcher,
    )


def run(args: argparse.Namespace, database: str) -> None:
    import django

    django.setup()
    from django.db import connections

    from dropline.core import clock
    from dropline.field.errors import AppointmentError
    from dropline.field.models import VisitWindow
    from dropline.field.windows import horizon
    from dropline.notifications import outbox

    threads = args.threads or (8 if database == "PostgreSQL" else 1)
    queued: list[int] = []
    outbox.enqueue_delivery = queued.extend  # type: ignore[assignment]

    tomorrow = clock.today() + dt.timedelta(days=1)
    last = horizon()[1]
    throughput_days = (last - tomorrow).days + 1 - HELD_BACK_DAYS
    places = throughput_days * len(HOURS) * args.capacity
    needed = places + args.rounds * args.racers + 2
    print(
        f"{database}: {needed} accounts, windows of {args.capacity} visits, "
        f"{threads} booking thread(s)"
    )
    started = time.perf_counter()
    area, dispatcher, households = prepare(args, needed)
    print(f"  prepared in {time.perf_counter() - started:.1f} s")
    held_from = last - dt.timedelta(days=HELD_BACK_DAYS - 1)
    filled = list(
        VisitWindow.objects.filter(area=area, date__gte=tomorrow, date__lt=held_from)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
    held = list(
        VisitWindow.objects.filter(area=area, date__gte=held_from)
        .order_by("starts_at")
        .values_list("pk", "starts_at")
    )
    if len(filled) * args.capacity != places or len(held) < args.rounds + 3:
        raise SystemExit(f"expected {places} places in {len(filled)} windows, {len(held)} held")

    measure_reads(args, households[-1])

    # One booking and one refusal counted, on a held-back window (not timed).
    probe, spare = households[-2], households[-1]
    booked_statements = statements(lambda: booker()((probe, held[-1][0])))
    storm(area, dispatcher, held[-1][1], 1)
    refused_statements = statements(lambda: booker()((spare, held[-1][0])))
    print(f"statements: book() {booked_statements}, a refused book() {refused_statements}")

    jobs = [
        (households[i], window_id)
        for i, window_id in enumerate(w for w in filled for _ in range(args.capacity))
    ]
    booking, floor = Timed(), Timed()
    in_threads(threads, jobs, booker(), booking, at_once=False)
    connections.close_all()
    _, _, bare = floor_tables()
    in_threads(threads, jobs, bare, floor, at_once=False)
    print(f"throughput: {places} places in {len(filled)} windows, {threads} thread(s)")
    print(booking.line("book()", "bookings"))
    print(floor.line("floor (bare SQL)", "bookings"))
    for error in (booking.errors + floor.errors)[:3]:
        print(f"    error: {error}")
    if booking.rate and floor.rate:
        print(f"  ratio: a booking costs {floor.rate / booking.rate:.1f}x the floor")
    check_places(filled)
    if booking.errors or floor.errors:
        raise SystemExit(1)

    print(f"contention: {args.racers} threads on {args.places} places, {args.rounds} rounds")
    start = places
    won, refused = Timed(), Timed()
    for round_ in range(args.rounds):
        window_id, starts_at = held[round_]
        storm(area, dispatcher, starts_at, args.places)
        racers = households[start : start + args.racers]
        start += args.racers
        outcome: dict[str, list[float]] = {"won": [], "refused": []}

        def race(job: tuple[Household, int], outcome: dict[str, list[float]] = outcome) -> None:
            began = time.perf_counter()
            try:
                booker()(job)
                kind = "won"
            except AppointmentError as error:
                if error.code != "full" or len(error.alternatives) != 3:
                    raise
                kind = "refused"
            outcome[kind].append(time.perf_counter() - began)  # list.append is atomic

        done = Timed()
        in_threads(args.racers, [(h, window_id) for h in racers], race, done, at_once=True)
        won.latencies += outcome["won"]
        refused.latencies += outcome["refused"]
        won.seconds += done.seconds
        refused.errors += done.errors
        if len(outcome["won"]) != args.places or done.errors:
            print(f"  round {round_ + 1}: {len(outcome['won'])} won, errors {done.errors[:2]}")
            raise SystemExit(1)
    refused.seconds = won.seconds
    print(
        f"  won: {len(won.latencies)} (each round exactly {args.places}),"
        f" refused: {len(refused.latencies)}"
    )
    for label, timed in (("won", won), ("refused (full + 3)", refused)):
        lat = sorted(timed.latencies)
        p95 = lat[max(int(len(lat) * 0.95) - 1, 0)]
        print(
            f"  {label:<22} p50 {statistics.median(lat) * 1000:.1f} ms,"
            f" p95 {p95 * 1000:.1f} ms, slowest {lat[-1] * 1000:.1f} ms"
        )
    check_places(filled)
    print(f"  messages recorded for delivery: {len(queued)}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if min(args.capacity, args.racers, args.places, args.rounds, args.reads) < 1:
        raise SystemExit("--capacity, --racers, --places, --rounds and --reads must be >= 1")
    if not args.places < args.racers or args.places > args.capacity:
        raise SystemExit("--places must be fewer than --racers and at most --capacity")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        if not args.database_url:
            notify_fanout.configure(var_dir, f"sqlite:///{var_dir}/bench.sqlite3")
            run(args, "SQLite")
            return
        with throwaway_postgres(args.database_url, "dropline_bench_booking") as url:
            notify_fanout.configure(var_dir, url)
            run(args, "PostgreSQL")


if __name__ == "__main__":
    main(sys.argv[1:])
