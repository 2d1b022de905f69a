"""Requests per second for the signed-in customer pages, against a minimal signed-in view.

    .venv/bin/python -m bench.pages
    .venv/bin/python -m bench.pages --database-url postgres://.../dropline \\
        --redis-url redis://127.0.0.1:6379/4
    .venv/bin/python -m bench.pages --profile 50   # also profile each page in-process

The pages are the overview (``/``), billing (``/billing/``), usage (``/usage/``) and
services (``/services/``). The floor is the smallest signed-in view: it loads the session
and the user (through the same middleware as every page) and answers with the username.
It is not part of the product: the benchmark writes a settings module and a URLconf into
its temporary directory that add it at ``/bench-floor/`` beside the product's URLs, and
raise allauth's sign-in limit so that many customers can sign in from 127.0.0.1.

Without ``--database-url`` the benchmark builds its own small dataset in a temporary
directory (SQLite: migrations, cache table, ``seed demo``, then
``seed synthetic --accounts N``). With ``--database-url`` it uses that database as it
is (for example one built with ``dropline seed synthetic --accounts 1000000``): it runs
no migration and writes nothing but what signing in writes (sessions and their
bookkeeping). ``--redis-url`` puts the cache in Redis, as production does.

It starts gunicorn with the worker count ``dropline serve`` picks (``WEB_WORKERS``,
3 unless set), signs in ``--logins`` different synthetic customers through the sign-in
form (username ``syn<account number>``, password ``synthetic-password``), then sends
``--requests`` GETs to each URL from ``--connections`` keep-alive client threads, each
request as the next customer in turn, so the requests spread over accounts. Every
answer must be 200 and show what that page shows (the overview and services: that
customer's account number; the floor: the username).
The pages and the floor take turns in ROUNDS rounds, so a busy machine slows all alike.
It prints requests/s, median, p95 and p99, the server's CPU per request (from /proc,
on Linux), the SQL statements each page runs (counted in-process with the test client,
for one customer) and each page's ratio to the floor.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import http.client
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.login import tree_cpu_seconds
from bench.overview import HOST, TIMEOUT, free_port, sign_in, start_server, wait_until_up

DEADLINE = 900.0  # seconds for all the measured requests together
ROUNDS = 5  # the pages and the floor take turns
PASSWORD = "synthetic-password"  # every synthetic customer's
FLOOR = "/bench-floor/"
PAGES = ["/", "/billing/", "/usage/", "/services/"]
# What each answer must show besides HTTP 200: None means the customer's account number.
SHOWS: dict[str, str | None] = {
    "/": None,
    "/billing/": "Current balance",
    "/usage/": "<title>Data usage",
    "/services/": None,
}
SETTINGS_MODULE = "bench_pages_settings"
URLCONF_MODULE = "bench_pages_urls"

SETTINGS_SOURCE = f'''"""dropline.settings for bench.pages: the floor, a higher sign-in limit."""

from dropline.settings import *  # noqa: F403

ROOT_URLCONF = "{URLCONF_MODULE}"
# Static files straight from the apps (as the tests serve them): no collectstatic run,
# which takes minutes; {{% static %}} costs a page the same either way.
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}}
WHITENOISE_USE_FINDERS = True
_limits = globals().get("ACCOUNT_RATE_LIMITS")
if _limits is not False:
    ACCOUNT_RATE_LIMITS = {{**(_limits or {{}}), "login": "1000000/m/ip"}}
'''

URLCONF_SOURCE = f'''"""The product's URLs and the benchmark's floor: a view that loads the session
and the user, and nothing else."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from dropline.urls import urlpatterns as product


@login_required
def floor(request):
    return HttpResponse(request.user.get_username(), content_type="text/plain")


urlpatterns = [path("{FLOOR.strip("/")}/", floor), *product]
'''


# Workers importing Django on a busy machine take a while to answer /healthz.
START_UP = 180.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default="",
        help="use this database as it is (default: build a small SQLite one)",
    )
    parser.add_argument(
        "--accounts", type=int, default=300, help="synthetic accounts to build (default 300)"
    )
    parser.add_argument("--redis-url", default="", help="the cache in this Redis")
    parser.add_argument("--requests", type=int, default=1000, help="per URL (default 1000)")
    parser.add_argument(
        "--connections", type=int, default=16, help="client connections (default 16)"
    )
    parser.add_argument(
        "--logins", type=int, default=64, help="synthetic customers to sign in (default 64)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", "3")),
        help="gunicorn workers (default: what `dropline serve` picks)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, profile N requests of each page in-process (default: none)",
    )
    return parser.parse_args(argv)


def environment(var_dir: str, args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "ALLOWED_HOSTS"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DROPLINE_VAR_DIR=var_dir,
        DATABASE_URL=args.database_url or f"sqlite:///{var_dir}/dropline.sqlite3",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-pages-" + "0" * 40,
        DROPLINE_HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [var_dir, os.environ.get("PYTHONPATH")])),
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def prepare(env: dict[str, str], args: argparse.Namespace) -> list[tuple[str, str]]:
    """Set Django up in this process (building the dataset unless one is given); returns
    the synthetic customers to sign in as (username, account number as pages print it)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.database_url:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        with contextlib.redirect_stdout(io.StringIO()):  # the demo's e-mails, printed
            call_command("seed", "demo")
            call_command("seed", "synthetic", "--accounts", str(args.accounts), "--no-progress")
    from dropline.customers.models import AccountMember

    # Spread over the whole dataset: every k-th holder of a synthetic login.
    holders = AccountMember.objects.filter(user__username__startswith="syn", role="holder")
    ids = list(holders.order_by("account_id").values_list("pk", flat=True))
    if len(ids) < args.logins:
        raise SystemExit(f"only {len(ids)} synthetic customers in the database")
    picked = ids[:: len(ids) // args.logins][: args.logins]
    members = AccountMember.objects.filter(pk__in=picked).select_related("user", "account")
    chosen = [(m.user.username, m.account.display_number) for m in members]
    return chosen


@dataclass
class Result:
    seconds: float = 0.0
    cpu: float = 0.0  # the server's CPU seconds while measuring this URL
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        lat = sorted(self.latencies)
        return lat[max(int(len(lat) * share) - 1, 0)] if lat else 0.0


class Customers:
    """Hands out the signed-in customers in turn, to any thread."""

    def __init__(self, customers: list[tuple[str, str, str]]) -> None:
        self._customers = customers
        self._next = 0
        self._lock = threading.Lock()

    def take(self) -> tuple[str, str, str]:
        with self._lock:
            customer = self._customers[self._next % len(self._customers)]
            self._next += 1
            return customer


def measure(
    port: int,
    path: str,
    customers: Customers,
    *,
    count: int,
    connections: int,
    into: Result,
    deadline: float,
    server_pid: int,
) -> None:
    """Send ``count`` GETs for ``path`` over ``connections`` keep-alive connections, each
    as the next customer; check each answer shows that customer."""
    lock = threading.Lock()

    def client(share: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        mine: list[float] = []
        try:
            for _ in range(share):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path}: the run took over {DEADLINE:.0f} s")
                username, number, cookie = customers.take()
                shows = username if path == FLOOR else (SHOWS[path] or number)
                expect = shows.encode()
                began = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
                mine.append(time.perf_counter() - began)
                if response.status != 200 or expect not in body:
                    raise ValueError(f"{path} as {username}: HTTP {response.status}, no {shows!r}")
        except Exception as exc:  # report it with the figures, never hang
            with lock:
                into.errors.append(str(exc))
        finally:
            conn.close()
            with lock:
                into.latencies.extend(mine)

    shares = [count // connections + (i < count % connections) for i in range(connections)]
    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    cpu_before = tree_cpu_seconds(server_pid)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.seconds += time.perf_counter() - started
    into.cpu += tree_cpu_seconds(server_pid) - cpu_before


def statements_per_page(username: str) -> dict[str, int]:
    """The SQL statements each URL runs for ``username``, with the session warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dropline.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    counts = {}
    for path in [FLOOR, *PAGES]:
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path}: not 200 in-process")
        counts[path] = len(ctx.captured_queries)
    return counts


def profile_pages(username: str, count: int) -> None:
    from django.test import Client

    from dropline.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for path in [FLOOR, *PAGES]:
        client.get(path)
        began = time.perf_counter()
        for _ in range(count):
            client.get(path)
        plain = (time.perf_counter() - began) / count
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            client.get(path)
        profiler.disable()
        print(f"\nprofile: {path}, {plain * 1000:.1f} ms a request in-process (test client)")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


def report(label: str, result: Result, floor: Result, statements: int) -> None:
    lat = result.latencies
    cpu = result.cpu / len(lat) * 1000 if lat else 0.0
    line = (
        f"  {label:<14} {len(lat):5d} in {result.seconds:6.2f} s: {result.rate:7.1f} req/s"
        f"  median {statistics.median(lat) * 1000 if lat else 0:5.1f} ms"
        f"  p95 {result.percentile(0.95) * 1000:5.1f} ms"
        f"  p99 {result.percentile(0.99) * 1000:5.1f} ms"
        f"  server CPU {cpu:4.1f} ms  {statements:2d} statements"
    )
    if result is not floor and result.rate and floor.rate:
        line += f"  {result.rate / floor.rate:.2f} of the floor"
    print(line)
    for error in result.errors[:3]:
        print(f"    error: {error}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        Path(var_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
        Path(var_dir, f"{URLCONF_MODULE}.py").write_text(URLCONF_SOURCE)
        Path(var_dir, "static").mkdir()  # STATIC_ROOT: empty, the apps' files are served
        sys.path.insert(0, var_dir)
        env = environment(var_dir, args)
        chosen = prepare(env, args)
        port = free_port()
        server = start_server(env, port, args.workers, Path(var_dir) / "server.log")
        results = {path: Result() for path in [FLOOR, *PAGES]}
        try:
            wait_until_up(port, server, START_UP)
            customers = Customers(
                [
                    (username, number, f"sessionid={sign_in(port, username, PASSWORD)}")
                    for username, number in chosen
                ]
            )
            deadline = time.monotonic() + DEADLINE
            # Warm every URL up (imports, templates, connections, caches), then measure.
            for path in results:
                measure(
                    port,
                    path,
                    customers,
                    count=2 * len(chosen),
                    connections=args.connections,
                    into=Result(),
                    deadline=deadline,
                    server_pid=server.pid,
                )
            for round_ in range(ROUNDS):
                count = args.requests // ROUNDS + (round_ < args.requests % ROUNDS)
                for path, result in results.items():
                    measure(
                        port,
                        path,
                        customers,
                        count=count,
                        connections=args.connections,
                        into=result,
                        deadline=deadline,
                        server_pid=server.pid,
                    )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        statements = statements_per_page(chosen[0][0])
        from django.db import connection

        from dropline.customers.models import CustomerAccount

        vendor = connection.vendor
        accounts = CustomerAccount.objects.count()
        if args.profile:
            profile_pages(chosen[0][0], args.profile)
    cache = "Redis cache" if args.redis_url else "database cache"
    print(
        f"signed-in pages through gunicorn ({args.workers} workers, {vendor}, {accounts:,} "
        f"accounts, {cache}), {os.cpu_count()} CPU(s), {args.connections} keep-alive "
        f"connections on the same machine, {len(chosen)} customers in turn"
    )
    floor = results[FLOOR]
    for path, result in results.items():
        label = "floor" if path == FLOOR else path
        report(label, result, floor, statements[path])
    if any(result.errors for result in results.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
