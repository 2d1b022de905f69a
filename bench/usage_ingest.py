"""Usage in, on PostgreSQL: interim updates per second through the radacct reader and the
CSV import, each against a raw COPY of the same rows, and requests per second through
``POST /api/v1/radius/accounting`` against a minimal JSON view on the same server.

    .venv/bin/python -m bench.usage_ingest --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.usage_ingest --database-url ... --sessions 50000 --rounds 3

Two throwaway databases on the server ``--database-url`` names, dropped at the end:
Dropline's (``migrate``, ``seed demo``, ``--accounts`` synthetic accounts whose internet
services get RADIUS usernames ``bench-<id>``) and a ``radacct`` database with
FreeRADIUS's stock table and indexes (``tests/support/radacct_schema.sql``) plus the
index ``docs/OPERATIONS.md`` recommends.

**radacct.** ``--sessions`` open sessions are written into radacct with ``COPY`` and
read once (new sessions). Then ``--rounds`` times every session gets an interim update
in place, as FreeRADIUS's interim-update query does (counters up, ``acctupdatetime``
10 minutes on), and ``read_radacct`` (``dropline usage read-radacct``) is timed reading
them: each row is one interim update that adds bytes. The floor: the same readings
(key, username, status, counters, session time, time, NAS) written with ``COPY`` into a
plain table in Dropline's database, a transaction per batch as the reader commits.

**CSV.** A file of ``--records`` records for those usernames, imported with
``import_usage_file`` (``dropline usage import``), timed from the bytes to the commit
(parsing and checking included). The floor: the same records, parsed, written with
``COPY`` into a plain table in one transaction.

**rlm_rest.** gunicorn (``dropline serve``, ``--workers``) with a URL configuration
written into the temporary directory that adds ``POST /bench/floor``: a django-ninja
operation without authentication answering ``{"ok": true}``, through the same
middleware. Each client thread posts its own session's Interim-Updates (rlm_rest's JSON
body, counters rising, a collector's basic credentials), each answered 204; the floor
gets the same bodies. The two take turns in ROUNDS rounds. The ratio is the endpoint's
rate over the floor's (goal: at least 0.5).

``--broker redis://...`` queues the alert checks the ingest asks for after each commit
(emptied at the end), as production does with a Celery worker; without it they run at
once, inside the timed work. ``--only radacct|csv|http`` runs one part.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import http.client
import io
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.databases import throwaway_postgres
from bench.overview import (
    HOST,
    TIMEOUT,
    Result,
    environment,
    free_port,
    report,
    start_server,
    wait_until_up,
)

ROUNDS = 5
SCHEMA = Path(__file__).resolve().parent.parent / "tests" / "support" / "radacct_schema.sql"
CHANGED_INDEX = (
    "CREATE INDEX radacct_changed_idx ON radacct "
    "((GREATEST(acctstarttime, acctupdatetime, acctstoptime)), radacctid)"
)
FLOOR_TABLE = """CREATE TABLE bench_floor (
    session_key text, username text, status text, input_octets bigint,
    output_octets bigint, session_time bigint, occurred_at timestamptz, nas text)"""
URLS_MODULE = "bench_usage_urls"
SETTINGS_MODULE = "bench_usage_settings"
SETTINGS_SOURCE = f'''from dropline.settings import *  # noqa: F403

ROOT_URLCONF = "{URLS_MODULE}"
'''
URLS_SOURCE = '''"""The site's URLs and the floor: the smallest JSON POST, same middleware."""

from django.urls import path
from ninja import NinjaAPI

from dropline.urls import urlpatterns as site

floor = NinjaAPI(title="bench floor", urls_namespace="bench-floor", auth=None,
                 docs_url=None, openapi_url=None)


@floor.post("/floor")
def floor_post(request):
    return {"ok": True}


urlpatterns = [path("bench/", floor.urls), *site]
'''
ACCOUNTING = "/api/v1/radius/accounting"
FLOOR = "/bench/floor"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server")
    parser.add_argument("--accounts", type=int, default=2000, help="synthetic accounts")
    parser.add_argument("--sessions", type=int, default=50_000, help="radacct sessions")
    parser.add_argument("--rounds", type=int, default=2, help="interim updates per session")
    parser.add_argument("--batch", type=int, default=5000, help="radacct rows per batch")
    parser.add_argument("--records", type=int, default=100_000, help="CSV records")
    parser.add_argument("--requests", type=int, default=2000, help="HTTP requests per URL")
    parser.add_argument("--threads", type=int, default=4, help="HTTP client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--broker",
        default="",
        help="a Redis URL the ingest queues its tasks to (the alert checks) for a worker, as in"
        " production; emptied at the end. Without it they run at once, in the timed work.",
    )
    parser.add_argument(
        "--only", choices=["radacct", "csv", "http"], action="append", help="run only these"
    )
    return parser.parse_args(argv)


# --- Dropline's database -------------------------------------------------------------------


def prepare(
    var_dir: str, database_url: str, accounts: int, broker: str = ""
) -> tuple[dict[str, str], list[str]]:
    """Migrate, seed, add accounts; the server's environment and the RADIUS usernames."""
    Path(var_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    Path(var_dir, f"{URLS_MODULE}.py").write_text(URLS_SOURCE)
    sys.path.insert(0, var_dir)
    env = environment(var_dir)
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=SETTINGS_MODULE)
    env["EMAIL_URL"] = "locmem://"  # the demo's notices, rendered into memory
    if broker:  # the alert checks queued for a worker, as in production
        env["CELERY_BROKER_URL"] = broker
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [var_dir, env.get("PYTHONPATH")]))
    os.environ.update(env)
    for name in set(os.environ) - set(env):  # REDIS_URL and the like: as the server has them
        del os.environ[name]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from dropline.seeding.synthetic import create_accounts
    from dropline.subscriptions.models import Subscription

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed", "demo", stdout=io.StringIO())
    create_accounts(count=accounts, seed=11, progress=False)
    internet = Subscription.objects.filter(plan__kind="internet", radius_username="")
    internet.update(radius_username=Concat(Value("bench-"), Cast("id", CharField())))
    names = list(
        Subscription.objects.filter(radius_username__startswith="bench-").values_list(
            "radius_username", flat=True
        )
    )
    return env, names


def copy_floor(rows: list[tuple[Any, ...]], batch: int) -> float:
    """Seconds to COPY ``rows`` into a fresh plain table, a transaction per ``batch``."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(FLOOR_TABLE)
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    for start in range(0, len(rows), batch):
        with (
            transaction.atomic(),
            raw.cursor() as cursor,
            cursor.copy("COPY bench_floor FROM STDIN") as copy,
        ):
            for row in rows[start : start + batch]:
                copy.write_row(row)
    return time.perf_counter() - started


def line(label: str, count: int, unit: str, seconds: float, rate_unit: str) -> None:
    print(f"  {label:<20}{count:9,} {unit} {seconds:7.2f} s {count / seconds:10,.0f} {rate_unit}")


def as_rows(readings: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.session_key,
            r.username,
            str(r.status),
            r.input_octets,
            r.output_octets,
            r.session_time,
            r.occurred_at,
            r.nas,
        )
        for r in readings
    ]


# --- radacct -------------------------------------------------------------------------------


def radacct_bench(args: argparse.Namespace, radacct_url: str, names: list[str]) -> None:
    import psycopg

    from dropline.usage import radacct

    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
    with psycopg.connect(radacct_url, autocommit=True) as conn:
        conn.execute(SCHEMA.read_text())
        conn.execute(CHANGED_INDEX)
        columns = (
            "acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, "
            "acctupdatetime, acctsessiontime, acctinputoctets, acctoutputoctets"
        )
        with conn.cursor() as cursor, cursor.copy(f"COPY radacct ({columns}) FROM STDIN") as copy:
            for n in range(args.sessions):
                copy.write_row(
                    (
                        f"s{n}",
                        f"bench-session-{n:08d}",
                        names[n % len(names)],
                        "10.0.0.1",
                        start,
                        start,
                        0,
                        0,
                        0,
                    )
                )
        conn.execute("ANALYZE radacct")
    began = time.perf_counter()
    first = radacct.read_radacct(dsn=radacct_url, batch=args.batch)
    new_seconds = time.perf_counter() - began
    total_rows, seconds = 0, 0.0
    for round_ in range(1, args.rounds + 1):
        with psycopg.connect(radacct_url, autocommit=True) as conn:
            conn.execute(
                "UPDATE radacct SET acctinputoctets = acctinputoctets + 3000000 + radacctid, "
                "acctoutputoctets = acctoutputoctets + 40000000, acctsessiontime = %s, "
                "acctupdatetime = %s",
                (600 * round_, start + dt.timedelta(minutes=10 * round_)),
            )
            conn.execute("VACUUM ANALYZE radacct")
        began = time.perf_counter()
        result = radacct.read_radacct(dsn=radacct_url, batch=args.batch)
        seconds += time.perf_counter() - began
        total_rows += result.rows
        if result.counted != args.sessions:
            raise SystemExit(f"round {round_}: {result.counted} counted of {args.sessions}")
    # the floor: the same readings the last round made, COPYed in the same batches
    with psycopg.connect(radacct_url) as conn:
        chunk = conn.execute(radacct.SELECT, (radacct.BEGINNING,)).fetchall()
    readings, _bad = radacct._readings(chunk, None)
    floor_seconds = copy_floor(as_rows(readings), args.batch) * args.rounds
    rate = total_rows / seconds
    floor_rate = total_rows / floor_seconds
    print(f"radacct reader, {args.sessions:,} sessions, batches of {args.batch:,}")
    line("new sessions", first.rows, "rows", new_seconds, "rows/s")
    line("interim updates", total_rows, "rows", seconds, "updates/s")
    line("floor: raw COPY", total_rows, "rows", floor_seconds, "rows/s")
    print(f"  ratio: the reader costs {floor_rate / rate:.1f}x a raw COPY of the same rows")


# --- CSV -----------------------------------------------------------------------------------


def csv_bench(args: argparse.Namespace, names: list[str]) -> None:
    from dropline.usage.csv_import import HEADER, import_usage_file, parse_usage_file

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    out.write(HEADER + "\n")
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=3)
    for n in range(args.records):
        began = start + dt.timedelta(seconds=n % 3600)
        ended = began + dt.timedelta(minutes=30)
        writer.writerow(
            (
                f"bench-{n}",
                names[n % len(names)],
                began.isoformat(),
                ended.isoformat(),
                1000 + n,
                250_000 + n,
            )
        )
    data = out.getvalue().encode()
    before = highest_ids()
    began_at = time.perf_counter()
    done = import_usage_file(file_name="bench.csv", data=data, actor=None)
    seconds = time.perf_counter() - began_at
    if done.lines != args.records:
        raise SystemExit(f"CSV: {done.lines} imported of {args.records}")
    readings, _errors = parse_usage_file(data)
    floor_seconds = copy_floor(as_rows(readings), len(readings))
    written, output_seconds = output_floor(before)
    rate, floor_rate = args.records / seconds, args.records / floor_seconds
    print(f"CSV import, {args.records:,} records ({len(data) / 1e6:.1f} MB)")
    line("import", args.records, "recs", seconds, "records/s")
    line("floor: raw COPY", args.records, "rows", floor_seconds, "rows/s")
    print(f"  ratio: the import costs {floor_rate / rate:.1f}x a raw COPY of the same rows")
    print(f"  rows the import wrote: {', '.join(f'{t} {n:,}' for t, n in written.items())}")
    line("floor: COPY output", sum(written.values()), "rows", output_seconds, "rows/s")
    print(f"  ratio: the import costs {seconds / output_seconds:.1f}x a raw COPY of its output")


OUTPUT_TABLES = (
    "usage_usagesession",
    "usage_usagerecord",
    "usage_usagehour",
    "usage_usageday",
    "usage_usagecycle",
)


def highest_ids() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        found = {}
        for table in OUTPUT_TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - ours
            found[table] = cursor.fetchone()[0]
        return found


def output_floor(before: dict[str, int]) -> tuple[dict[str, int], float]:
    """The rows a run added to the usage tables (ids above ``before``; roll-ups it only
    updated are left out), read back and COPYed into empty copies of those tables (same
    columns, indexes and constraints) in one transaction: (rows per table, seconds)."""
    from django.db import connection, transaction

    rows: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in OUTPUT_TABLES:
            cursor.execute(f"SELECT * FROM {table} WHERE id > %s", [before[table]])  # noqa: S608
            rows[table] = [tuple(row) for row in cursor.fetchall()]
            cursor.execute(f"DROP TABLE IF EXISTS bench_out_{table}")
            cursor.execute(f"CREATE TABLE bench_out_{table} (LIKE {table} INCLUDING ALL)")
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    with transaction.atomic(), raw.cursor() as cursor:
        for table, batch in rows.items():
            with cursor.copy(f"COPY bench_out_{table} FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in OUTPUT_TABLES:
            cursor.execute(f"DROP TABLE bench_out_{table}")
    return {table.removeprefix("usage_usage"): len(batch) for table, batch in rows.items()}, seconds


# --- rlm_rest through gunicorn -------------------------------------------------------------


def body(thread: int, sequence: int, name: str) -> bytes:
    def attr(kind: str, value: Any) -> dict[str, Any]:
        return {"type": kind, "value": [value]}

    return json.dumps(
        {
            "User-Name": attr("string", name),
            "NAS-IP-Address": attr("ipaddr", "10.0.0.9"),
            "Acct-Status-Type": attr("integer", "Interim-Update"),
            "Acct-Session-Id": attr("string", f"http-{thread}"),
            "Acct-Unique-Session-Id": attr("string", f"bench-http-{os.getpid()}-{thread}"),
            "Acct-Input-Octets": attr("integer", 1000 * sequence),
            "Acct-Output-Octets": attr("integer", 50_000 * sequence),
            "Acct-Session-Time": attr("integer", 10 * sequence),
        }
    ).encode()


def post_many(
    port: int,
    path: str,
    *,
    auth: str,
    names: list[str],
    count: int,
    threads: int,
    into: Result,
    expect: int,
    sequences: list[int],
) -> None:
    lock = threading.Lock()

    def client(index: int, share: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        mine: list[float] = []
        headers = {"Authorization": auth, "Content-Type": "application/json"}
        try:
            for _ in range(share):
                sequences[index] += 1
                payload = body(index, sequences[index], names[index % len(names)])
                began = time.perf_counter()
                conn.request("POST", path, body=payload, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                mine.append(time.perf_counter() - began)
                if response.status != expect:
                    raise ValueError(f"{path}: HTTP {response.status}: {answer[:200]!r}")
        except Exception as exc:  # report it with the figures, never hang
            with lock:
                into.errors.append(str(exc))
        finally:
            conn.close()
            with lock:
                into.latencies.extend(mine)

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=client, args=(i, s)) for i, s in enumerate(shares)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    into.seconds += time.perf_counter() - started


def http_bench(
    args: argparse.Namespace, env: dict[str, str], var_dir: str, names: list[str]
) -> None:
    from django.db import connections

    from dropline.usage.collectors import add_collector

    collector, password = add_collector(name="bench-radius")
    auth = "Basic " + base64.b64encode(f"{collector.name}:{password}".encode()).decode()
    connections.close_all()
    port = free_port()
    server = start_server(env, port, args.workers, Path(var_dir) / "server.log")
    endpoint, floor = Result(), Result()
    sequences = [0] * args.threads
    try:
        try:
            wait_until_up(port, server)
        except SystemExit:
            print((Path(var_dir) / "server.log").read_text(errors="replace")[-3000:])
            raise
        urls = [(ACCOUNTING, 204, endpoint), (FLOOR, 200, floor)]
        for path, status, _ in urls:  # imports, connections, caches
            post_many(
                port,
                path,
                auth=auth,
                names=names,
                count=8 * args.threads,
                threads=args.threads,
                into=Result(),
                expect=status,
                sequences=sequences,
            )
        for round_ in range(ROUNDS):
            count = args.requests // ROUNDS + (round_ < args.requests % ROUNDS)
            for path, status, result in urls:
                post_many(
                    port,
                    path,
                    auth=auth,
                    names=names,
                    count=count,
                    threads=args.threads,
                    into=result,
                    expect=status,
                    sequences=sequences,
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except Exception:
            server.kill()
            server.wait()
    print(
        f"rlm_rest endpoint through gunicorn ({args.workers} workers, PostgreSQL), "
        f"{args.threads} client threads, one session each"
    )
    report(f"POST {ACCOUNTING}", endpoint)
    report(f"POST {FLOOR} (floor)", floor)
    if endpoint.rate and floor.rate:
        print(f"  ratio: the endpoint runs at {endpoint.rate / floor.rate:.2f} of the floor's rate")
    if endpoint.errors or floor.errors:
        log = (Path(var_dir) / "server.log").read_text(errors="replace").splitlines()
        print("\n".join(line for line in log if '" 20' not in line)[-6000:])
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print(f"usage ingest on PostgreSQL, {os.cpu_count()} CPU(s), load {os.getloadavg()[0]:.1f}")
    with (
        tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir,
        throwaway_postgres(args.database_url, "dropline_bench_usage") as url,
        throwaway_postgres(args.database_url, "dropline_bench_radacct") as radacct_url,
    ):
        env, names = prepare(var_dir, url, args.accounts, args.broker)
        print(f"  {len(names):,} internet services with RADIUS usernames")
        only = set(args.only or ["radacct", "csv", "http"])
        if "radacct" in only:
            radacct_bench(args, radacct_url, names)
        if "csv" in only:
            csv_bench(args, names)
        if "http" in only:
            http_bench(args, env, var_dir, names)
        from django.db import connections

        for connection in connections.all():
            close_pool = getattr(connection, "close_pool", None)
            if close_pool is not None:
                close_pool()  # so the throwaway database can be dropped
        connections.close_all()
    if args.broker:
        import redis

        redis.Redis.from_url(args.broker).delete("celery")  # the alert checks queued


if __name__ == "__main__":
    main(sys.argv[1:])
