"""Payments per second through the real server: ``POST /api/v1/payments``.

    .venv/bin/python -m bench.payments
    .venv/bin/python -m bench.payments --database-url postgres://postgres@127.0.0.1:5432/postgres

Builds the demo in a temporary directory (or a throwaway PostgreSQL database with
``--database-url``), adds one synthetic household per client thread, each with a saved
simulator card (4242...: approved), starts gunicorn on 127.0.0.1 as ``dropline serve``
does, and signs each household's holder in through allauth's app login
(``X-Session-Token``). Then each client thread pays for its own household, one request
after another: a signed-in ``POST /api/v1/payments`` of $1.00 with its own
``Idempotency-Key``, checked for a 201 and ``"status": "succeeded"``. Each payment is the
whole path: the account's row lock, the key and amount checks, the payment row, the
simulator's charge, the ledger posting, the invoices settled and the receipt in the
outbox, sent in-process (no broker) to Django's in-memory e-mail backend.

The floor is the smallest signed-in POST on the same server in the same run:
``POST /bench/floor``, a django-ninja endpoint with the API's own authentication
(the same session token) that answers ``{"ok": true}``, through the same middleware. It
exists only in the benchmark's URL configuration (a module written into the temporary
directory), never in the product. The two take turns in ROUNDS rounds, so a busy machine
slows both alike. Afterwards every payment is checked in the database and every ledger
check must hold. The server runs with a prepayment allowance of $1,000,000 so the
households never run out of balance to pay.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from bench.databases import throwaway_postgres
from bench.overview import (
    HOST,
    TIMEOUT,
    Result,
    environment,
    free_port,
    prepare,
    report,
    start_server,
    wait_until_up,
)

DEADLINE = 600.0  # seconds for all the measured requests together
ROUNDS = 5
AMOUNT_CENTS = 100
SETTINGS_MODULE = "bench_payments_settings"
URLS_MODULE = "bench_payments_urls"
PAY_PATH = "/api/v1/payments"
FLOOR_PATH = "/bench/floor"
LOGIN_PATH = "/_allauth/app/v1/auth/login"

SETTINGS_SOURCE = f'''"""dropline.settings for bench.payments: the benchmark's URLs (the site's
and the floor), and a prepayment allowance so large no household runs out of balance."""

from dropline.settings import *  # noqa: F403

ROOT_URLCONF = "{URLS_MODULE}"
DROPLINE_PREPAYMENT_ALLOWANCE_CENTS = 100_000_000
'''

URLS_SOURCE = '''"""The site's URLs and the benchmark's floor: the smallest signed-in POST, with the
API's own authentication, through the same middleware."""

from allauth.headless.contrib.ninja.security import x_session_token_auth
from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from dropline.urls import urlpatterns as site

floor = NinjaAPI(
    title="bench floor",
    urls_namespace="bench-floor",
    auth=[x_session_token_auth, django_auth],
    docs_url=None,
    openapi_url=None,
)


@floor.post("/floor")
def floor_post(request):
    return {"ok": True}


urlpatterns = [path("bench/", floor.urls), *site]
'''


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=1000, help="per URL (default 1000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://user@host:port/db) for a throwaway database; "
        "SQLite in the temporary directory without it",
    )
    return parser.parse_args(argv)


def add_payers(count: int) -> list[tuple[str, str]]:
    """``count`` synthetic households, each holder with a saved simulator card; their
    (username, password)."""
    from dropline.customers.models import AccountMember, MemberRole
    from dropline.payments import methods
    from dropline.payments.gateways import simulator
    from dropline.seeding.synthetic import SYNTHETIC_PASSWORD, create_accounts

    before = AccountMember.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    create_accounts(count=count, seed=7, progress=False)
    holders = list(
        AccountMember.objects.filter(role=MemberRole.HOLDER, pk__gt=before)
        .select_related("account", "user")
        .order_by("account_id")
    )
    for holder in holders:
        token = simulator.tokenise_card(
            number="4242424242424242",
            exp_month=12,
            exp_year=2035,
            cvc="123",
            holder_name=holder.user.get_full_name() or "Bench Payer",
        )
        methods.add_method(account=holder.account, token=token, actor=holder.user)
    return [(holder.user.username, SYNTHETIC_PASSWORD) for holder in holders]


def app_sign_in(port: int, username: str, password: str) -> str:
    """allauth's app login; returns the session token the API takes."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    body = json.dumps({"username": username, "password": password})
    conn.request("POST", LOGIN_PATH, body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    answer = json.loads(response.read() or b"{}")
    token = (answer.get("meta") or {}).get("session_token")
    if response.status != 200 or not token:
        raise SystemExit(f"app sign-in failed for {username}: HTTP {response.status} {answer}")
    return str(token)


def post_many(
    port: int,
    path: str,
    *,
    tokens: list[str],
    count: int,
    expect_status: int,
    expect: tuple[str, object],
    into: Result,
    deadline: float,
) -> None:
    """``count`` POSTs of ``path`` from one keep-alive client per token (each its own
    household), each with its own Idempotency-Key; every answer checked."""
    lock = threading.Lock()
    body = json.dumps({"amount_cents": AMOUNT_CENTS}).encode()

    def client(token: str, share: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        mine: list[float] = []
        try:
            for _ in range(share):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path}: the run took over {DEADLINE:.0f} s")
                headers = {
                    "X-Session-Token": token,
                    "Idempotency-Key": uuid.uuid4().hex,
                    "Content-Type": "application/json",
                }
                began = time.perf_counter()
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                mine.append(time.perf_counter() - began)
                name, value = expect
                if response.status != expect_status or json.loads(answer).get(name) != value:
                    raise ValueError(f"{path}: HTTP {response.status}: {answer[:200]!r}")
        except Exception as exc:  # report it with the figures, never hang
            with lock:
                into.errors.append(str(exc))
        finally:
            conn.close()
            with lock:
                into.latencies.extend(mine)

    threads = len(tokens)
    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    workers = [
        threading.Thread(target=client, args=(token, share))
        for token, share in zip(tokens, shares, strict=True)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    into.seconds += time.perf_counter() - started


def check(expected: int) -> None:
    """Every payment the clients saw is one succeeded payment, and the ledger holds."""
    from django.db import connections

    from dropline.ledger.checks import run_checks
    from dropline.payments.models import Payment, PaymentStatus

    connections.close_all()  # the server wrote them: read afresh
    payments = Payment.objects.filter(source="api")
    succeeded = payments.filter(status=PaymentStatus.SUCCEEDED).count()
    if succeeded != expected or payments.count() != expected:
        raise SystemExit(f"{expected} payments answered, {succeeded} succeeded in the database")
    broken = [f"{name}: {finding}" for name, finding in run_checks() if finding]
    if broken:
        raise SystemExit(f"ledger check failed: {broken[0]}")
    print(f"  {succeeded} payments in the database, all succeeded; every ledger check holds")
    for connection in connections.all():
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()  # so the throwaway database can be dropped


def run(args: argparse.Namespace, var_dir: str, database_url: str, label: str) -> None:
    Path(var_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    Path(var_dir, f"{URLS_MODULE}.py").write_text(URLS_SOURCE)
    sys.path.insert(0, var_dir)
    env = environment(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [var_dir, env.get("PYTHONPATH")]))
    env["DATABASE_URL"] = database_url
    env["EMAIL_URL"] = "locmem://"  # receipts are rendered and sent, into memory
    prepare(env)
    logins = add_payers(args.threads)
    port = free_port()
    server = start_server(env, port, args.workers, Path(var_dir) / "server.log")
    pays, floor = Result(), Result()
    warm = 0
    try:
        wait_until_up(port, server)
        tokens = [app_sign_in(port, *login) for login in logins]
        deadline = time.monotonic() + DEADLINE
        urls = [
            (PAY_PATH, 201, ("status", "succeeded"), pays),
            (FLOOR_PATH, 200, ("ok", True), floor),
        ]
        for path, status, expect, _ in urls:  # imports, connections, caches
            post_many(
                port,
                path,
                tokens=tokens,
                count=4 * len(tokens),
                expect_status=status,
                expect=expect,
                into=Result(),
                deadline=deadline,
            )
        warm = 4 * len(tokens)
        for round_ in range(ROUNDS):
            count = args.requests // ROUNDS + (round_ < args.requests % ROUNDS)
            for path, status, expect, result in urls:
                post_many(
                    port,
                    path,
                    tokens=tokens,
                    count=count,
                    expect_status=status,
                    expect=expect,
                    into=result,
                    deadline=deadline,
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except Exception:
            server.kill()
            server.wait()
    print(
        f"payments through gunicorn ({args.workers} workers, {label}), {os.cpu_count()} CPU(s), "
        f"{args.threads} client threads on the same machine, one household each"
    )
    report("POST /api/v1/payments", pays)
    report("POST /bench/floor (floor)", floor)
    if pays.rate and floor.rate:
        print(f"  ratio: a payment costs {floor.rate / pays.rate:.1f}x the floor")
    if pays.errors or floor.errors:
        raise SystemExit(1)
    check(len(pays.latencies) + warm)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.threads < 1 or args.requests < 1:
        raise SystemExit("--threads and --requests must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        database: AbstractContextManager[str] = (
            throwaway_postgres(args.database_url, "dropline_bench_payments")
            if args.database_url
            else nullcontext(f"sqlite:///{var_dir}/dropline.sqlite3")
        )
        with database as url:
            label = "PostgreSQL" if args.database_url else "SQLite"
            run(args, var_dir, url, label)


if __name__ == "__main__":
    main(sys.argv[1:])
