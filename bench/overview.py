"""Requests per second for the customer overview page through the real server.

    .venv/bin/python -m bench.overview

Builds the demo in a temporary directory (SQLite, migrations, cache table, static
files, ``seed demo``), starts gunicorn on 127.0.0.1 as ``dropline serve`` does, signs
in as the demo customer through the login form, then sends a fixed number of requests
from a few client threads to ``/`` (the overview, signed in) and to ``/healthz`` (the
smallest view on the same server, the floor). Each response is checked. The ratio says
how many floor requests one overview page costs. The two take turns in ROUNDS rounds, so
a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
TIMEOUT = 10.0  # seconds for any one request
DEADLINE = 600.0  # seconds for all the measured requests together
ROUNDS = 5  # the page and the floor take turns, so both see the same load on the machine


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=2000, help="per URL (default 2000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def environment(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG", "ALLOWED_HOSTS"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="dropline.settings",
        DROPLINE_DEMO="1",
        DROPLINE_VAR_DIR=var_dir,
        DATABASE_URL=f"sqlite:///{var_dir}/dropline.sqlite3",
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict[str, str]) -> str:
    """Build the demo database; returns the demo account's number as the page prints it."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from dropline.seeding.demo.household import loaded_account

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed", "demo", stdout=io.StringIO())
    account = loaded_account()
    if account is None:
        raise SystemExit("the demo household was not loaded")
    return account.display_number


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "dropline", "serve", "--port", str(port)]
    argv += ["--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Wait for ``/healthz`` to answer; the wait is not part of any measurement."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within {timeout:.0f} s")


def cookies_from(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form as a browser would; returns the session cookie."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = cookies_from(response)["csrftoken"]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token in the login form")
    body = urlencode(
        {"csrfmiddlewaretoken": match.group(1), "login": username, "password": password}
    )
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    response = conn.getresponse()
    response.read()
    session = cookies_from(response).get("sessionid")
    if response.status != 302 or not session:
        raise SystemExit(f"sign-in failed: HTTP {response.status}")
    return session


@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def measure(
    port: int,
    path: str,
    *,
    cookie: str,
    expect: bytes,
    count: int,
    threads: int,
    into: Result,
    deadline: float,
) -> None:
    """Send ``count`` GETs for ``path`` from ``threads`` keep-alive clients; check each one."""
    result = into
    lock = threading.Lock()
    headers = {"Cookie": cookie} if cookie else {}

    def client(share: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        mine: list[float] = []
        try:
            for _ in range(share):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path}: the run took over {DEADLINE:.0f} s")
                began = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                mine.append(time.perf_counter() - began)
                if response.status != 200 or expect not in body:
                    raise ValueError(f"{path}: HTTP {response.status}, expected text missing")
        except Exception as exc:  # report it with the figures, never hang
            with lock:
                result.errors.append(str(exc))
        finally:
            conn.close()
            with lock:
                result.latencies.extend(mine)

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result.seconds += time.perf_counter() - started


def report(label: str, result: Result) -> None:
    lat = sorted(result.latencies)
    p95 = lat[int(len(lat) * 0.95) - 1] if lat else 0.0
    print(
        f"  {label:<28} {len(lat):5d} requests in {result.seconds:6.2f} s: {result.rate:8.1f} req/s"
        f"  (median {statistics.median(lat) * 1000 if lat else 0:.1f} ms, p95 {p95 * 1000:.1f} ms)"
    )
    for error in result.errors[:3]:
        print(f"    error: {error}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        env = environment(var_dir)
        number = prepare(env)
        from dropline.seeding.demo import DEMO_CUSTOMER

        port = free_port()
        server = start_server(env, port, args.workers, Path(var_dir) / "server.log")
        try:
            wait_until_up(port, server)
            session = sign_in(port, *DEMO_CUSTOMER)
            cookie = f"sessionid={session}"
            page, floor = Result(), Result()
            urls = [("/", cookie, number.encode(), page), ("/healthz", "", b"ok", floor)]
            deadline = time.monotonic() + DEADLINE
            # Warm both URLs up (imports, templates, connections), then measure in rounds.
            for path, sent, expect, _ in urls:
                measure(
                    port,
                    path,
                    cookie=sent,
                    expect=expect,
                    count=50,
                    threads=2,
                    into=Result(),
                    deadline=deadline,
                )
            for round_ in range(ROUNDS):
                count = args.requests // ROUNDS + (round_ < args.requests % ROUNDS)
                for path, sent, expect, result in urls:
                    measure(
                        port,
                        path,
                        cookie=sent,
                        expect=expect,
                        count=count,
                        threads=args.threads,
                        into=result,
                        deadline=deadline,
                    )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print(
        f"customer overview through gunicorn ({args.workers} workers, SQLite), "
        f"{os.cpu_count()} CPU(s), {args.threads} client threads on the same machine"
    )
    report("GET / (signed in)", page)
    report("GET /healthz (floor)", floor)
    if page.rate and floor.rate:
        print(f"  ratio: the overview costs {floor.rate / page.rate:.1f}x the floor")
    if page.errors or floor.errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
