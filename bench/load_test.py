"""The load test: simulated customers and staff against the real server, with locust.

    .venv/bin/python -m bench.load_test --database-url postgres://postgres@127.0.0.1/loadtest \\
        --redis-url redis://127.0.0.1:6379/9 --users 200 --staff 10 --minutes 5
    .venv/bin/python -m bench.load_test --existing --database-url postgres://.../big_copy ...
    .venv/bin/python -m bench.load_test --users 2 --staff 1 --seconds 10   # SQLite, a smoke run

The database: with ``--database-url`` naming a PostgreSQL database, that database is
prepared or reused. A missing one is created; then ``migrate``, ``seed demo``,
``seed synthetic --accounts N``, and the daily bill run for each of the last 31 days, so
every account has had its bill (each step skipped when it is done already, so a second
run starts at once; a database with fewer synthetic accounts than asked for is refused,
since the finished bill runs would leave the new ones without a bill). ``--existing``
uses the database as it is (no migration, no seeding): the run writes only what the
simulated people do
(sessions, security events, payments and their ledger postings, saved cards, notification
settings) and the staff logins below. Without ``--database-url``, a SQLite file in a
temporary directory with ``--accounts`` (default there 200) accounts.

The staff logins (``loadstaff01``...) are made with the product's own functions: a user
with a verified email, the role's group (customer care or billing) and an authenticator
app (``enrol_authenticator_app``) whose secret only this run knows; the simulated staff
sign in with its current code. Their passwords and secrets are new at every run.

The server is ``dropline serve`` itself (gunicorn, the worker count it chooses unless
``--workers`` is given) on a free port of 127.0.0.1, with production settings (no demo,
no debug) except plain HTTP and mail kept in memory. It runs as behind one load
balancer (``BEHIND_PROXY=1``): every simulated browser sends its own public address in
``X-Forwarded-For``, as a load balancer would add it, so each person's sign-ins count
against their own address. No limit is relaxed.

locust runs headless for the given time (``--run-time``) under a hard overall timeout,
with ``bench/load/locustfile.py``; every response is checked there (status and a mark of
the right page). Afterwards the runner prints, per page, the requests, failures, median,
p95, p99 and requests per second from locust's CSV, the 1-minute load average seen
during the run, and exits non-zero on any failure. Every child process is stopped at the
end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.overview import HOST, free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
STAFF_PREFIX = "loadstaff"
BILL_RUN_DAYS = 31  # the daily bill runs of the last month: every account billed once
STARTUP_SECONDS = 60.0  # locust's start and stop, on top of the run time and ramp-up
STOP_SECONDS = 30  # locust's --stop-timeout: a task under way may finish


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL database, made and filled if needed (default: SQLite, temporary)",
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="use --database-url as it is: no migration, no seeding",
    )
    parser.add_argument("--redis-url", default="", help="the cache (default: the database cache)")
    parser.add_argument("--accounts", type=int, default=0, help="synthetic accounts to have")
    parser.add_argument("--users", type=int, default=200, help="simulated customers")
    parser.add_argument("--staff", type=int, default=10, help="simulated staff")
    parser.add_argument("--minutes", type=float, default=0.0, help="run time in minutes")
    parser.add_argument("--seconds", type=float, default=0.0, help="run time in seconds")
    parser.add_argument(
        "--spawn-rate", type=float, default=4.0, help="people starting per second (default 4)"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: as dropline serve)"
    )
    parser.add_argument(
        "--logins", type=int, default=0, help="customer logins to take turns with (default 10x)"
    )
    args = parser.parse_args(argv)
    if args.existing and not args.database_url:
        parser.error("--existing needs --database-url")
    if not args.accounts:
        args.accounts = 20_000 if args.database_url else 200
    if not args.logins:
        args.logins = max(10 * args.users, 50)
    seconds = args.minutes * 60 + args.seconds
    args.run_seconds = int(seconds) if seconds else 300
    if args.users < 1 or args.staff < 0:
        parser.error("--users must be at least 1 and --staff at least 0")
    return args


def serve_workers() -> int:
    """The worker count ``dropline serve`` picks when none is given."""
    from dropline.seeding.management.commands.serve import Command

    parser = Command().create_parser("dropline", "serve")
    return int(parser.parse_args([]).workers)


# The database -----------------------------------------------------------------------


def environment(var_dir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DROPLINE_DEMO", "DEBUG", "CELERY_BROKER_URL", "EMAIL_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="dropline.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
        BEHIND_PROXY="1",  # the simulated browsers' addresses come in X-Forwarded-For
        DROPLINE_PROXY_COUNT="1",
        DROPLINE_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url or f"sqlite:///{var_dir}/dropline.sqlite3",
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DROPLINE_HTTPS="0",  # plain HTTP on 127.0.0.1: no TLS in front of the server here
        EMAIL_URL="locmem://",  # receipts and alerts are sent, into memory
        LOG_LEVEL="WARNING",
    )
    return env


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database ``database_url`` names when it is missing."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            print(f"creating database {name}", flush=True)
            admin.execute(f'CREATE DATABASE "{name}"')


def synthetic_count() -> int:
    from dropline.accounts.models import User

    return User.objects.filter(username__startswith="syn").count()


def build(accounts: int) -> None:
    """Migrations, the demo, synthetic accounts up to ``accounts``, a month of bill runs:
    each step only when it is not done already."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from dropline.billing.models import BillRun
    from dropline.core import clock
    from dropline.seeding.demo.household import loaded_account

    started = time.monotonic()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if loaded_account() is None:
        call_command("seed", "demo", stdout=io.StringIO())
    have = synthetic_count()
    if have == 0:
        print(f"seed synthetic --accounts {accounts}", flush=True)
        call_command("seed", "synthetic", "--accounts", str(accounts), "--no-progress")
    elif have < accounts:
        # The bill runs of the past days are finished: accounts added now would have
        # no bill. A bigger dataset is a new database.
        raise SystemExit(
            f"the database has {have} synthetic accounts, fewer than --accounts {accounts}: "
            "drop it, or give a new database name"
        )
    today = clock.today()
    for back in range(BILL_RUN_DAYS, -1, -1):
        day = today - dt.timedelta(days=back)
        if BillRun.objects.filter(run_on=day, finished_at__isnull=False).exists():
            continue
        call_command(
            "bill-run",
            "--date",
            day.isoformat(),
            "--in-process",
            "--no-progress",
            stdout=io.StringIO(),
        )
    print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)


def customer_logins(count: int) -> list[dict[str, str]]:
    """Synthetic holders who have a bill and no second factor, spread over the dataset:
    their login and the account number the portal shows."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    from dropline.billing.models import Invoice
    from dropline.customers.models import AccountMember, MemberRole

    members = (
        AccountMember.objects.filter(role=MemberRole.HOLDER, user__username__startswith="syn")
        .filter(Exists(Invoice.objects.filter(account_id=OuterRef("account_id"))))
        .exclude(Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"))))
        .select_related("user", "account")
    )
    total = members.count()
    if total == 0:
        raise SystemExit("no synthetic account with a bill: build the dataset first")
    step = max(total // count, 1)
    ids = list(members.order_by("pk").values_list("pk", flat=True)[::step][:count])
    chosen = members.filter(pk__in=ids).order_by("pk")
    return [{"login": m.user.username, "account": m.account.display_number} for m in chosen]


def staff_logins(count: int) -> list[dict[str, str]]:
    """``count`` staff logins for this run, made or refreshed with the product's own
    functions: a new password and a new authenticator secret each run."""
    import base64

    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    from dropline.accounts import roles
    from dropline.accounts.second_factor import enrol_authenticator_app
    from dropline.seeding.demo.household import ensure_user

    logins = []
    for n in range(1, count + 1):
        # Two in three answer customers; the others are billing staff.
        role = roles.BILLING if n % 3 == 0 else roles.CUSTOMER_CARE
        username = f"{STAFF_PREFIX}{n:02d}"
        password = secrets.token_urlsafe(18)
        user, _ = ensure_user(
            username=username,
            password=password,
            email=f"{username}@staff.example.com",
            first_name="Load",
            last_name=f"Staff {n}",
            is_staff=True,
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role)])
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        secret = base64.b32encode(secrets.token_bytes(20)).decode()
        enrol_authenticator_app(user=user, secret=secret)
        logins.append({"login": username, "password": password, "secret": secret, "role": role})
    return logins


def prepare(args: argparse.Namespace, env: dict[str, str], var_dir: Path) -> Path:
    """Get the database ready and write the people file the locustfile reads."""
    os.environ.update(env)
    sys.path.insert(0, str(var_dir))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from dropline.seeding.synthetic import SYNTHETIC_PASSWORD

    if not args.existing:
        if args.database_url:
            ensure_database(args.database_url)
        build(args.accounts)
    call_command("collectstatic", verbosity=0, interactive=False)
    customers = customer_logins(args.logins)
    staff = staff_logins(args.staff)
    connections.close_all()
    people = var_dir / "people.json"
    people.write_text(
        json.dumps({"password": SYNTHETIC_PASSWORD, "customers": customers, "staff": staff})
    )
    print(f"{len(customers)} customer logins, {len(staff)} staff logins", flush=True)
    return people


# The run ----------------------------------------------------------------------------


@dataclass
class LoadAverage:
    """The 1-minute load average, read every few seconds while the run goes on."""

    samples: list[float] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def watch(self) -> None:
        while not self.stop.wait(5.0):
            with contextlib.suppress(OSError):
                self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))

    def summary(self) -> str:
        if not self.samples:
            return "not read"
        mean = sum(self.samples) / len(self.samples)
        return f"mean {mean:.1f}, max {max(self.samples):.1f} ({len(self.samples)} readings)"


@contextlib.contextmanager
def child(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A child process in its own process group, stopped with all of its own children
    when the block ends, however it ends."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    # The group's other members (gunicorn's workers) too, if any is left.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def run_locust(
    args: argparse.Namespace, env: dict[str, str], port: int, people: Path, var_dir: Path
) -> tuple[int, bool]:
    """locust, headless, within a hard timeout; returns its exit status and whether it
    had to be stopped."""
    total = args.users + args.staff
    ramp = total / args.spawn_rate
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        f"http://{HOST}:{port}",
        "--users",
        str(total),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.run_seconds}s",
        "--stop-timeout",
        str(STOP_SECONDS),
        "--csv",
        str(var_dir / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    locust_env = dict(env, DROPLINE_LOAD_PEOPLE=str(people), DROPLINE_LOAD_STAFF=str(args.staff))
    limit = args.run_seconds + ramp + STOP_SECONDS + STARTUP_SECONDS
    with child(argv, locust_env, var_dir / "locust.log") as locust:
        try:
            return locust.wait(timeout=limit), False
        except subprocess.TimeoutExpired:
            print(f"locust did not finish within {limit:.0f} s: stopped", flush=True)
            return -1, True


@dataclass(frozen=True)
class Row:
    name: str
    requests: int
    failures: int
    median: float
    p95: float
    p99: float
    rate: float


def read_stats(path: Path) -> list[Row]:
    rows = []
    with path.open(newline="") as handle:
        for line in csv.DictReader(handle):

            def ms(key: str, line: dict[str, Any] = line) -> float:
                value = line.get(key) or "0"
                return float(value) if value != "N/A" else 0.0

            name = line["Name"] if line["Type"] else "All"
            label = f"{line['Type']} {name}".strip() if line["Type"] else "All requests"
            rows.append(
                Row(
                    name=label,
                    requests=int(line["Request Count"]),
                    failures=int(line["Failure Count"]),
                    median=ms("50%"),
                    p95=ms("95%"),
                    p99=ms("99%"),
                    rate=ms("Requests/s"),
                )
            )
    return rows


def print_table(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows)
    print(
        f"| {'page':<{width}} | requests | failures | median ms | p95 ms | p99 ms | req/s |\n"
        f"| {'-' * width} | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for r in rows:
        print(
            f"| {r.name:<{width}} | {r.requests:>8} | {r.failures:>8} | {r.median:>9.0f} "
            f"| {r.p95:>6.0f} | {r.p99:>6.0f} | {r.rate:>5.1f} |"
        )


def print_failures(var_dir: Path) -> int:
    """Print the failures and the exceptions raised in the people's code; returns how
    many kinds of exception there were."""
    path = var_dir / "locust_failures.csv"
    if path.exists():
        with path.open(newline="") as handle:
            for line in list(csv.DictReader(handle))[:20]:
                print(
                    f"  failed {line['Occurrences']}x: {line['Method']} {line['Name']}: "
                    f"{line['Error']}"
                )
    path = var_dir / "locust_exceptions.csv"
    if not path.exists():
        return 0
    with path.open(newline="") as handle:
        raised = list(csv.DictReader(handle))
    for line in raised[:10]:
        print(f"  raised {line['Count']}x: {line['Message']}\n{line['Traceback']}")
    return len(raised)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    # Ctrl-C ends the run cleanly even when started where SIGINT was ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="dropline-load-") as tmp:
        var_dir = Path(tmp)
        env = environment(var_dir, args.database_url, args.redis_url)
        people = prepare(args, env, var_dir)
        workers = args.workers or serve_workers()
        port = free_port()
        serve = [sys.executable, "-m", "dropline", "serve", "--host", HOST, "--port", str(port)]
        if args.workers:
            serve += ["--workers", str(args.workers)]
        load = LoadAverage()
        with child(serve, env, var_dir / "server.log") as server:
            wait_until_up(port, server, 180)  # a busy machine starts it slowly
            print(
                f"dropline serve: gunicorn, {workers} workers, on port {port}; locust: "
                f"{args.users} customers and {args.staff} staff for {args.run_seconds} s",
                flush=True,
            )
            watcher = threading.Thread(target=load.watch, daemon=True)
            watcher.start()
            started = time.monotonic()
            try:
                status, stopped = run_locust(args, env, port, people, var_dir)
            finally:
                load.stop.set()
            seconds = time.monotonic() - started
            if server.poll() is not None:
                print(f"the server exited with status {server.returncode}")
                status = status or 1
        stats = var_dir / "locust_stats.csv"
        rows = read_stats(stats) if stats.exists() else []
        database = "SQLite" if not args.database_url else urlsplit(args.database_url).path[1:]
        print(
            f"\nload test: {args.users} customers, {args.staff} staff, {args.run_seconds} s "
            f"({seconds:.0f} s with ramp-up and stop), gunicorn {workers} workers, "
            f"database {database}, cache {'Redis' if args.redis_url else 'database'}, "
            f"{os.cpu_count()} CPU(s) shared by server and locust"
        )
        print(f"1-minute load average during the run: {load.summary()}\n")
        if rows:
            print_table(rows)
        raised = print_failures(var_dir)
        if status != 0 or stopped or raised or not rows or any(r.failures for r in rows):
            if status != 0:
                tail = (var_dir / "locust.log").read_text(errors="replace")[-3000:]
                print(f"\nlocust exited with status {status}; the end of its log:\n{tail}")
            raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
