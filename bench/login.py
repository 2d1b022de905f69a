"""Sign-ins per second through the real server, against raw Argon2id verifications.

    .venv/bin/python -m bench.login
    .venv/bin/python -m bench.login --profile 20   # also profile 20 sign-ins in-process

Builds the demo in a temporary directory (SQLite, migrations, cache table, static files,
``seed demo``), starts gunicorn on 127.0.0.1 as ``dropline serve`` does, and signs the
demo customer in again and again from a few client threads. Every sign-in is the whole
flow a browser goes through, with a fresh cookie jar: ``GET /accounts/login/`` (the CSRF
cookie and token), then ``POST`` of the username and password, which must answer with
a redirect to the portal and a session cookie.

By default each sign-in is a different login: the benchmark adds as many authorized
users to the demo household as there are sign-ins, each with the demo customer's
password hash, the way many customers sign in at once on a real server. Like most
customers who sign in, each has signed in before, once, from the browser the benchmark
says it is (a desktop Chrome ``User-Agent``): that sign-in is recorded, so the sign-ins
measured are from a known device, with no new-device alert.
``--one-login`` signs the demo customer in every time instead. That piles up hundreds
of live sessions on one user, and allauth's ``usersessions`` walks all of a user's
sessions at every sign-in, so that figure falls as the run goes on.

The floor is measured in the same run: Argon2id verifications of the demo customer's
own stored hash (so the same parameters, 19 MiB, t=2, p=1) with
``argon2.PasswordHasher.verify``, in as many parallel processes as the server has
workers. Sign-ins and floor take turns in ROUNDS rounds, so a busy machine slows both
alike. The ratio is sign-ins per second divided by verifications per second: 1.0 would
mean a sign-in costs nothing but its password check. On Linux the benchmark also reads
the CPU time the gunicorn processes used during the sign-ins (from /proc) and the CPU
time of the floor's verifications, and prints their ratio too: the same comparison,
much less moved by whatever else the machine is running.

allauth limits sign-in attempts per IP address (``ACCOUNT_RATE_LIMITS["login"]``,
30 a minute by default), and every client here is 127.0.0.1. The server therefore runs
with a settings module, written into the temporary directory, that imports
``dropline.settings`` and only raises that one limit. The limits are still consumed and
written to the cache on every attempt, as in production.

Each round also sends ``/healthz`` (the server's cheapest answer) twice per sign-in
and reads the server's CPU for them: a sign-in is two requests, and the difference
between a sign-in and one verify plus two such requests is what the sign-in's own
work (form, rate limits, bookkeeping, page) costs.

The cache (allauth's rate limits) is the database cache on
the same SQLite file, as a demo or a one-machine install without ``REDIS_URL`` runs.
``--redis-url redis://127.0.0.1:6379/15`` puts it in Redis instead, as production does;
give it a database number nothing else uses.

``--profile N`` then signs in N times in this process with Django's test client, once
plainly and once under cProfile, and prints the time against one Argon2id verify, the
SQL a sign-in runs and where the rest of the time goes.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import cProfile
import http.client
import io
import json
import multiprocessing
import os
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.databases import throwaway_postgres
from bench.overview import (
    HOST,
    TIMEOUT,
    Result,
    cookies_from,
    environment,
    free_port,
    prepare,
    start_server,
    wait_until_up,
)

DEADLINE = 600.0  # seconds for all the measured work together
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
ROUNDS = 4  # sign-ins and the floor take turns
# Seconds the server may take to come up: on a machine busy with other jobs gunicorn's
# workers can take a minute to import; the wait is not measured.
START_UP = 180.0
SETTINGS_MODULE = "bench_login_settings"
LOGIN_PATH = "/accounts/login/"
APP_LOGIN_PATH = "/_allauth/app/v1/auth/login"
# High enough that 127.0.0.1 is never throttled during the run; still consumed.
LOGIN_RATE = "1000000/m/ip"

SETTINGS_SOURCE = f'''"""dropline.settings for bench.login, with a higher sign-in limit."""

from dropline.settings import *  # noqa: F403

_limits = globals().get("ACCOUNT_RATE_LIMITS")
if _limits is not False:
    ACCOUNT_RATE_LIMITS = {{**(_limits or {{}}), "login": "{LOGIN_RATE}"}}
'''


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--signins", type=int, default=200, help="sign-ins (default 200)")
    parser.add_argument(
        "--verifies", type=int, default=200, help="floor: Argon2id verifications (default 200)"
    )
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--redis-url",
        default="",
        help="the cache (rate limits) in this Redis (default: the database cache)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://...): the demo goes into a throwaway database "
        "on it, dropped at the end (default: SQLite)",
    )
    parser.add_argument(
        "--app",
        action="store_true",
        help="sign in through the app's API (POST of JSON to "
        f"{APP_LOGIN_PATH}) instead of the web form",
    )
    parser.add_argument(
        "--one-login",
        action="store_true",
        help="sign the demo customer in every time (default: a different login each time)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, profile N sign-ins in-process with the test client (default: none)",
    )
    return parser.parse_args(argv)


# The sign-ins --------------------------------------------------------------------------


class SignInError(Exception):
    pass


def sign_in_once(port: int, username: str, password: str) -> None:
    """One complete sign-in with a fresh cookie jar; raises SignInError unless it
    ends in a redirect to the portal with a session cookie."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request("GET", LOGIN_PATH, headers={"User-Agent": USER_AGENT})
        response = conn.getresponse()
        page = response.read().decode()
        jar.update(cookies_from(response))
        if response.status != 200 or "csrftoken" not in jar:
            raise SignInError(f"GET {LOGIN_PATH}: HTTP {response.status}")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None:
            raise SignInError("no CSRF token in the sign-in form")
        body = urlencode(
            {"csrfmiddlewaretoken": match.group(1), "login": username, "password": password}
        )
        conn.request(
            "POST",
            LOGIN_PATH,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": USER_AGENT,
                "Cookie": "; ".join(f"{name}={value}" for name, value in jar.items()),
                "Referer": f"http://{HOST}:{port}{LOGIN_PATH}",
            },
        )
        response = conn.getresponse()
        response.read()
        jar.update(cookies_from(response))
        location = response.headers.get("Location", "")
        if response.status != 302 or urlsplit(location).path != "/" or "sessionid" not in jar:
            raise SignInError(f"POST {LOGIN_PATH}: HTTP {response.status}, to {location!r}")
    finally:
        conn.close()


def app_sign_in_once(port: int, username: str, password: str) -> None:
    """One sign-in through the app's API, as the mobile app does it; raises SignInError
    unless it answers 200 with a session token."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        body = json.dumps({"username": username, "password": password})
        conn.request(
            "POST",
            APP_LOGIN_PATH,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        response = conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        if response.status != 200 or not (answer.get("meta") or {}).get("session_token"):
            raise SignInError(f"POST {APP_LOGIN_PATH}: HTTP {response.status}")
    finally:
        conn.close()


class Logins:
    """Hands out the logins to sign in with, one after the other, to any thread."""

    def __init__(self, logins: list[tuple[str, str]]) -> None:
        self._logins = logins
        self._next = 0
        self._lock = threading.Lock()

    def take(self) -> tuple[str, str]:
        with self._lock:
            login = self._logins[self._next % len(self._logins)]
            self._next += 1
            return login


def sign_in_many(
    port: int,
    logins: Logins,
    *,
    count: int,
    threads: int,
    into: Result,
    deadline: float,
    app: bool = False,
) -> None:
    """``count`` sign-ins from ``threads`` client threads; each one is checked."""
    once = app_sign_in_once if app else sign_in_once
    lock = threading.Lock()

    def client(share: int) -> None:
        mine: list[float] = []
        try:
            for _ in range(share):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the run took over {DEADLINE:.0f} s")
                began = time.perf_counter()
                once(port, *logins.take())
                mine.append(time.perf_counter() - began)
        except Exception as exc:  # report it with the figures, never hang
            with lock:
                into.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            with lock:
                into.latencies.extend(mine)

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    clients = [threading.Thread(target=client, args=(share,)) for share in shares if share]
    started = time.perf_counter()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    into.seconds += time.perf_counter() - started


def healthz_many(port: int, *, count: int, threads: int, into: Result) -> None:
    """``count`` requests for ``/healthz`` (the server's cheapest answer) from
    ``threads`` client threads, each on a new connection like a sign-in's."""

    def client(share: int) -> None:
        try:
            for _ in range(share):
                conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
                try:
                    conn.request("GET", "/healthz", headers={"User-Agent": USER_AGENT})
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        raise SignInError(f"GET /healthz: HTTP {response.status}")
                finally:
                    conn.close()
        except Exception as exc:  # reported with the figures
            into.errors.append(f"{type(exc).__name__}: {exc}")

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    clients = [threading.Thread(target=client, args=(share,)) for share in shares if share]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    into.latencies.extend([0.0] * count)


# CPU time ------------------------------------------------------------------------------


@dataclass
class CpuTally:
    seconds: float = 0.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and its children (the gunicorn master
    and its workers), from /proc; 0.0 where there is no /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        pids = [pid] + [
            int(child)
            for task in os.listdir(f"/proc/{pid}/task")
            for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        ]
        for each in pids:
            fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    except OSError:
        return 0.0
    return total


def own_cpu_seconds() -> float:
    """CPU seconds used so far by this process: the client threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# The floor -----------------------------------------------------------------------------


def verify_many(encoded: str, password: str, count: int) -> tuple[float, float]:
    """In a floor process: ``count`` Argon2id verifications; returns the seconds they
    took and the CPU seconds they used."""
    import argon2

    hasher = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
    began, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        hasher.verify(encoded, password)
    return time.perf_counter() - began, time.process_time() - cpu


def verify_parallel(
    pool: concurrent.futures.Executor,
    encoded: str,
    password: str,
    *,
    count: int,
    processes: int,
    into: Result,
    cpu: CpuTally,
) -> None:
    """``count`` verifications shared by ``processes`` processes, timed from the first
    to the last."""
    shares = [count // processes + (1 if i < count % processes else 0) for i in range(processes)]
    started = time.perf_counter()
    futures = [pool.submit(verify_many, encoded, password, share) for share in shares if share]
    for future in futures:
        cpu.seconds += future.result()[1]
    into.seconds += time.perf_counter() - started
    into.latencies.extend([0.0] * count)


def add_logins(*, like: str, count: int) -> list[str]:
    """``count`` authorized users of ``like``'s household, each with ``like``'s password
    hash, a verified e-mail address and one earlier sign-in from the benchmark's
    browser; their usernames."""
    from allauth.account.models import EmailAddress

    from dropline.accounts.devices import parse_user_agent
    from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
    from dropline.core import clock
    from dropline.customers.models import AccountMember, MemberRole

    model = User.objects.get(username=like)
    account = AccountMember.objects.get(user=model).account
    names = [f"bench-{i:05d}" for i in range(count)]
    users = User.objects.bulk_create(
        User(username=name, email=f"{name}@example.com", password=model.password) for name in names
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    AccountMember.objects.bulk_create(
        AccountMember(account=account, user=user, role=MemberRole.AUTHORIZED) for user in users
    )
    device = parse_user_agent(USER_AGENT)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            user=user,
            kind=SecurityEventKind.SIGN_IN,
            at=clock.now(),
            ip="127.0.0.1",
            user_agent=USER_AGENT,
            browser=device.browser,
            os=device.os,
            device_fingerprint=device.fingerprint,
        )
        for user in users
    )
    return names


def argon2_hash_of(username: str) -> str:
    """The user's stored password hash in argon2-cffi's form, checked to be Argon2id at
    the parameters the floor uses."""
    from dropline.accounts.models import User

    stored = User.objects.get(username=username).password
    algorithm, _, encoded = stored.partition("$")
    encoded = "$" + encoded
    if algorithm != "argon2" or not encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$"):
        raise SystemExit(f"the demo password is not hashed with Argon2id at OWASP's: {stored}")
    return encoded


# Profiling one sign-in in-process ------------------------------------------------------


def _cumulative(stats: pstats.Stats, path: str, name: str, *, first: bool = False) -> float:
    """The cumulative seconds of the function ``name`` in a file whose path ends with
    ``path``; the outermost match (or, with ``first``, the one defined first)."""
    rows = [
        (line, row[3])
        for (file, line, func), row in stats.stats.items()  # type: ignore[attr-defined]
        if func == name and file.endswith(path)
    ]
    if not rows:
        return 0.0
    return min(rows)[1] if first else max(seconds for _, seconds in rows)


def breakdown(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Where a sign-in's time goes, by the calls that matter (seconds, all sign-ins)."""

    def at(path: str, name: str, *, first: bool = False) -> float:
        return _cumulative(stats, path, name, first=first)

    rate_limits = at("allauth/core/internal/ratelimit.py", "consume") + at(
        "allauth/core/internal/ratelimit.py", "rollback", first=True
    )
    return [
        ("GET /accounts/login/", at("django/test/client.py", "get")),
        ("  rendering templates", at("django/template/base.py", "render")),
        ("POST /accounts/login/", at("django/test/client.py", "post")),
        ("  Argon2id verify (the floor)", at("argon2/low_level.py", "verify_secret")),
        ("  allauth rate limits: count, give back", rate_limits),
        (
            "  login stages (e-mail verified? second factor?)",
            at("allauth/account/stages.py", "handle"),
        ),
        ("  adapter.login: new session key, last_login", at("allauth/account/adapter.py", "login")),
        (
            "  adapter.post_login: signals (user sessions, events), message",
            at("allauth/account/adapter.py", "post_login"),
        ),
        (
            "saving the session after each response",
            at("django/contrib/sessions/middleware.py", "process_response"),
        ),
    ]


def profile_sign_ins(
    logins: Logins, count: int, *, encoded: str, password: str, app: bool = False
) -> None:
    """Sign in ``count`` times with Django's test client, then ``count`` times under
    cProfile; print the time against one Argon2id verify, the queries, where the time
    goes and the most expensive calls."""
    from django.db import connection
    from django.test import Client

    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    client = Client(enforce_csrf_checks=True, SERVER_NAME=HOST, HTTP_USER_AGENT=USER_AGENT)

    def one() -> None:
        username, password = logins.take()
        client.cookies.clear()  # a fresh cookie jar, as on the server
        if app:
            reply = client.post(
                APP_LOGIN_PATH,
                {"username": username, "password": password},
                content_type="application/json",
            )
            if reply.status_code != 200:
                raise SignInError(f"POST {APP_LOGIN_PATH}: HTTP {reply.status_code}")
            return
        page = client.get(LOGIN_PATH)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        if match is None:
            raise SignInError("no CSRF token in the sign-in form")
        answer = client.post(
            LOGIN_PATH,
            {"csrfmiddlewaretoken": match.group(1), "login": username, "password": password},
        )
        if answer.status_code != 302 or answer["Location"] != "/":
            raise SignInError(f"POST {LOGIN_PATH}: HTTP {answer.status_code}")

    one()  # warm up: imports, templates, connections
    with connection.execute_wrapper(record):
        one()
    began = time.perf_counter()
    for _ in range(count):
        one()
    plain = (time.perf_counter() - began) / count
    verify = verify_many(encoded, password, count)[0] / count
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        one()
    profiler.disable()
    took = time.perf_counter() - began
    stats = pstats.Stats(profiler)
    print()
    print("profile: sign-ins in-process, one at a time (Django test client)")
    print(
        f"  without the profiler: {plain * 1000:.1f} ms a sign-in, and {verify * 1000:.1f} ms "
        f"an Argon2id verify: {verify / plain:.2f} of a sign-in is the password hash"
    )
    print(f"  {count} under cProfile: {took / count * 1000:.1f} ms a sign-in, of which:")
    for label, seconds in breakdown(stats):
        print(f"    {seconds / count * 1000:6.1f} ms  {label}")
    writes = [sql for sql in statements if not sql.lstrip().upper().startswith("SELECT")]
    print(f"  SQL: {len(statements)} statements a sign-in, {len(writes)} of them not SELECT:")
    for sql, times in collections.Counter(" ".join(sql.split()[:4]) for sql in writes).items():
        print(f"    {times:3d} x {sql}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


# The run -------------------------------------------------------------------------------


def report(label: str, unit: str, result: Result) -> None:
    lat = sorted(result.latencies)
    line = f"  {label:<36} {len(lat):5d} {unit} in {result.seconds:6.2f} s: {result.rate:7.1f}/s"
    if any(lat):
        p95 = lat[max(int(len(lat) * 0.95) - 1, 0)]
        line += f"  (median {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms)"
    print(line)
    for error in result.errors[:3]:
        print(f"    error: {error}")


def run(args: argparse.Namespace, var_dir: str, database_url: str) -> None:
    Path(var_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    sys.path.insert(0, var_dir)
    env = environment(var_dir)
    env["DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [var_dir, env.get("PYTHONPATH")]))
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    prepare(env)
    from dropline.seeding.demo import DEMO_CUSTOMER

    encoded = argon2_hash_of(DEMO_CUSTOMER[0])
    if args.one_login:
        logins = Logins([DEMO_CUSTOMER])
    else:
        extra = 2 * args.threads + args.signins + (2 * args.profile + 2 if args.profile else 0)
        names = add_logins(like=DEMO_CUSTOMER[0], count=extra)
        logins = Logins([(name, DEMO_CUSTOMER[1]) for name in names])
    signins, floor, healthz = Result(), Result(), Result()
    server_cpu, client_cpu, floor_cpu = CpuTally(), CpuTally(), CpuTally()
    healthz_cpu = CpuTally()
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(args.workers, mp_context=spawn) as pool:
        # Start the floor's processes and warm them up before anything is timed.
        verify_parallel(
            pool,
            encoded,
            DEMO_CUSTOMER[1],
            count=args.workers,
            processes=args.workers,
            into=Result(),
            cpu=CpuTally(),
        )
        port = free_port()
        server = start_server(env, port, args.workers, Path(var_dir) / "server.log")
        try:
            wait_until_up(port, server, START_UP)
            deadline = time.monotonic() + DEADLINE
            sign_in_many(
                port,
                logins,
                count=2 * args.threads,
                threads=args.threads,
                into=Result(),
                deadline=deadline,
                app=args.app,
            )
            for round_ in range(ROUNDS):
                server_before, client_before = tree_cpu_seconds(server.pid), own_cpu_seconds()
                sign_in_many(
                    port,
                    logins,
                    count=args.signins // ROUNDS + (round_ < args.signins % ROUNDS),
                    threads=args.threads,
                    into=signins,
                    deadline=deadline,
                    app=args.app,
                )
                server_cpu.seconds += tree_cpu_seconds(server.pid) - server_before
                client_cpu.seconds += own_cpu_seconds() - client_before
                healthz_before = tree_cpu_seconds(server.pid)
                healthz_many(
                    port, count=2 * (args.signins // ROUNDS), threads=args.threads, into=healthz
                )
                healthz_cpu.seconds += tree_cpu_seconds(server.pid) - healthz_before
                verify_parallel(
                    pool,
                    encoded,
                    DEMO_CUSTOMER[1],
                    count=args.verifies // ROUNDS + (round_ < args.verifies % ROUNDS),
                    processes=args.workers,
                    into=floor,
                    cpu=floor_cpu,
                )
                if signins.errors:
                    break
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    who = "the demo customer every time" if args.one_login else "a different login each time"
    cache = "Redis cache" if args.redis_url else "database cache"
    database = "PostgreSQL" if args.database_url else "SQLite"
    how = f"the app's API, {APP_LOGIN_PATH}" if args.app else "the web form"
    print(
        f"sign-ins through gunicorn ({args.workers} workers, {database}, {cache}), "
        f"{os.cpu_count()} CPU(s), {args.threads} client threads on the same machine, "
        f"{who}, through {how}"
    )
    report(
        "sign-in (POST JSON)" if args.app else "sign-in (GET form + POST password)",
        "sign-ins",
        signins,
    )
    report(f"floor: Argon2id verify, {args.workers} processes", "verifies", floor)
    if signins.rate and floor.rate:
        print(
            f"  ratio: {signins.rate / floor.rate:.2f} "
            "(sign-ins/s per raw verification/s; the target is 0.8 or more)"
        )
    done, verified = len(signins.latencies), len(floor.latencies)
    if done and verified and server_cpu.seconds:
        server_ms = server_cpu.seconds / done * 1000
        verify_ms = floor_cpu.seconds / verified * 1000
        print(
            f"  CPU: {server_ms:.1f} ms in the server a sign-in "
            f"(and {client_cpu.seconds / done * 1000:.1f} ms in the client), "
            f"{verify_ms:.1f} ms an Argon2id verify: ratio {verify_ms / server_ms:.2f}"
        )
        if healthz.latencies and not healthz.errors:
            request_ms = healthz_cpu.seconds / len(healthz.latencies) * 1000
            requests = 1 if args.app else 2
            print(
                f"  request floor: {request_ms:.1f} ms in the server a /healthz; "
                f"{requests} such request(s) and one verify: "
                f"{verify_ms + requests * request_ms:.1f} ms; the sign-in's work beyond "
                f"them: {server_ms - verify_ms - requests * request_ms:.1f} ms"
            )
        for error in healthz.errors[:3]:
            print(f"    /healthz error: {error}")
    if args.profile and not signins.errors:
        profile_sign_ins(
            logins, args.profile, encoded=encoded, password=DEMO_CUSTOMER[1], app=args.app
        )
    if signins.errors:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        database: AbstractContextManager[str] = (
            throwaway_postgres(args.database_url, "dropline_bench_login")
            if args.database_url
            else nullcontext(f"sqlite:///{var_dir}/dropline.sqlite3")
        )
        with database as url:
            run(args, var_dir, url)


if __name__ == "__main__":
    main(sys.argv[1:])
