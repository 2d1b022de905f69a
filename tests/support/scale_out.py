"""The scale-out test's parts: where its services are, a cluster of real processes
(two web nodes as ``dropline serve`` runs them, two Celery workers as ``dropline
worker`` runs them, a round-robin proxy in front of the web nodes) on one PostgreSQL
database, one Redis database and one RabbitMQ virtual host of its own, and a small
browser that keeps cookies and can speak from a chosen loopback address.

``python -m tests.support.scale_out --accounts N --opened YYYY-MM-DD --customers a,b``
(run with the cluster's environment) fills the cluster's database: N billable accounts
and one customer who can sign in per username given, printed as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from tests.support.proxy import RoundRobinProxy

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "scale-out-test-secret-key-shared-by-every-node-0123456789"
STARTUP_SECONDS = 90
# The logs of the current cluster's processes, for a failing test's report.
CURRENT_LOGS: list[Path] = []


# -- where the services are ---------------------------------------------------------


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@dataclass(frozen=True)
class Services:
    """The cluster's own PostgreSQL database, Redis database and RabbitMQ vhost.

    From the environment: ``SCALEOUT_DATABASE_URL`` (default: ``DATABASE_URL``'s
    database name with ``_scaleout`` added, or ``dropline_scaleout``),
    ``SCALEOUT_REDIS_URL`` (default ``REDIS_URL``, the test run's own Redis database)
    and ``SCALEOUT_BROKER_URL`` (default: guest on 127.0.0.1:5672, in a vhost named as
    the database, made for the test and deleted after it). Two CI runs with different
    databases share nothing.
    """

    database_url: str
    redis_url: str
    broker_url: str
    own_vhost: str | None  # made (and deleted) by the test

    @classmethod
    def from_environment(cls) -> Services:
        base = os.environ.get("DATABASE_URL", "")
        if urlsplit(base).scheme in {"postgres", "postgresql", "pgsql"}:
            default_db = _with_database(base, f"{_database_name(base)}_scaleout")
        else:
            default_db = "postgres://postgres@127.0.0.1:5432/dropline_scaleout"
        database_url = os.environ.get("SCALEOUT_DATABASE_URL") or default_db
        redis_url = os.environ.get("SCALEOUT_REDIS_URL") or os.environ.get("REDIS_URL", "")
        broker_url = os.environ.get("SCALEOUT_BROKER_URL", "")
        own_vhost = None
        if not broker_url:
            own_vhost = _database_name(database_url)
            broker_url = f"amqp://guest:guest@127.0.0.1:5672/{own_vhost}"
        return cls(database_url, redis_url, broker_url, own_vhost)

    def missing(self) -> str | None:
        """What is not reachable, in words; None when everything is."""
        if not self.redis_url:
            return "REDIS_URL (or SCALEOUT_REDIS_URL) is not set"
        try:
            import psycopg

            psycopg.connect(self.maintenance_url(), connect_timeout=3).close()
        except Exception as exc:
            return f"PostgreSQL is not reachable at {self.maintenance_url()}: {exc}"
        try:
            import redis

            redis.Redis.from_url(self.redis_url, socket_timeout=3).ping()
        except Exception as exc:
            return f"Redis is not reachable at {self.redis_url}: {exc}"
        broker = urlsplit(self.broker_url)
        try:
            socket.create_connection((broker.hostname, broker.port or 5672), timeout=3).close()
        except OSError as exc:
            return f"RabbitMQ is not reachable at {broker.hostname}:{broker.port}: {exc}"
        if self.own_vhost is not None and shutil.which("rabbitmqctl") is None:
            return "rabbitmqctl is not installed (or set SCALEOUT_BROKER_URL to a vhost)"
        return None

    def maintenance_url(self) -> str:
        return _with_database(self.database_url, "postgres")

    def create(self) -> None:
        """A fresh database (and vhost); anything left from an earlier run goes first."""
        self.drop()
        self._sql(f'CREATE DATABASE "{_database_name(self.database_url)}"')
        if self.own_vhost is not None:
            rabbitmqctl("add_vhost", self.own_vhost)
            rabbitmqctl("set_permissions", "-p", self.own_vhost, "guest", ".*", ".*", ".*")

    def drop(self) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{_database_name(self.database_url)}" WITH (FORCE)')
        if self.own_vhost is not None:
            rabbitmqctl("delete_vhost", self.own_vhost, check=False)

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.maintenance_url(), autocommit=True, connect_timeout=5) as db:
            db.execute(statement.encode())  # names from our own settings, not from input

    def query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        """Rows from the cluster's database, read as an operator would."""
        import psycopg

        with psycopg.connect(self.database_url, connect_timeout=5) as db:
            return db.execute(sql.encode(), params).fetchall()


def rabbitmqctl(*args: str, check: bool = True) -> None:
    subprocess.run(
        ["rabbitmqctl", "-q", *args],
        check=check,
        timeout=60,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# -- the processes ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], *, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def terminate(self) -> None:
        """SIGTERM to the process group: gunicorn's and Celery's children too."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """Stopped: SIGTERM, and SIGKILL to the whole group after 15 s."""
        self.terminate()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # children left behind, if any
        self.process.wait(timeout=10)


@dataclass
class Cluster:
    services: Services
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    children: list[Child] = field(default_factory=list)
    nodes: dict[str, str] = field(default_factory=dict)  # name -> base URL
    workers: list[str] = field(default_factory=list)  # Celery worker names, as given
    proxy: RoundRobinProxy | None = None
    seeded: dict[str, object] = field(default_factory=dict)  # what the database holds

    def __post_init__(self) -> None:
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.services.database_url,
            "REDIS_URL": self.services.redis_url,
            "CELERY_BROKER_URL": self.services.broker_url,
            "CELERY_RESULT_BACKEND": self.services.redis_url,
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DROPLINE_HTTPS": "0",
            "DROPLINE_VAR_DIR": str(self.workdir / "var"),
            "EMAIL_URL": "locmem://",  # sent, and not printed into the logs
            "LOG_LEVEL": "WARNING",
        }

    def dropline(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dropline", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, name: str, *args: str) -> Child:
        log = self.workdir / f"{name}.log"
        CURRENT_LOGS.append(log)
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, *args],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: stopped with every child it has
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def start_web_node(self, name: str) -> None:
        """``dropline serve`` (gunicorn) with one worker process, on a free port."""
        port = free_port()
        self.start(
            name, "-m", "dropline", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1",
        )  # fmt: skip
        self.nodes[name] = f"http://127.0.0.1:{port}"

    def wait_for_nodes(self) -> None:
        """Until every web node answers ``/readyz`` (its database, cache and broker)."""

        def answers(name: str, url: str) -> bool:
            child = next(c for c in self.children if c.name == name)
            if not child.alive():
                raise AssertionError(f"{name} exited:\n{child.log.read_text()[-3000:]}")
            try:
                return Browser().get(url, "/readyz").status == 200
            except OSError:
                return False

        for name, url in self.nodes.items():
            wait_until(
                lambda name=name, url=url: answers(name, url),  # type: ignore[misc]
                what=f"web node {name}",
                timeout=STARTUP_SECONDS,
            )

    def start_worker(self, name: str) -> None:
        hostname = f"{name}@%h"
        self.start(
            name, "-m", "dropline", "worker", "--concurrency", "1", "--hostname", hostname,
            "--loglevel", "INFO",
        )  # fmt: skip
        self.workers.append(name)

    def wait_for_workers(self) -> None:
        """Until every worker consumes from the broker's task queue (RabbitMQ counts
        the consumers), so a run's chunks can go to any of them."""
        from kombu import Connection

        def consumers() -> int:
            for child in self.children:
                if not child.alive():
                    raise AssertionError(f"{child.name} exited:\n{child.log.read_text()[-3000:]}")
            with Connection(self.services.broker_url, connect_timeout=5) as connection:
                try:
                    channel: Any = connection.default_channel
                    declared = channel.queue_declare("celery", passive=True)
                except Exception:
                    return 0
                return int(declared.consumer_count)

        wait_until(
            lambda: consumers() >= len(self.workers),
            what=f"{len(self.workers)} workers to consume",
            timeout=STARTUP_SECONDS,
        )

    def logs(self) -> str:
        parts = []
        for child in self.children:
            text = child.log.read_text(errors="replace") if child.log.exists() else ""
            parts.append(f"----- {child.name} (exit {child.process.poll()}) -----\n{text[-6000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        """Every process asked to stop at once, then each waited for (and killed)."""
        if self.proxy is not None:
            self.proxy.stop()
        for child in self.children:
            child.terminate()
        for child in self.children:
            child.stop()


@contextmanager
def running_cluster(services: Services, workdir: Path, *, accounts: int) -> Iterator[Cluster]:
    """Everything started once, then stopped and dropped however the tests went: the
    processes boot while the database is migrated and filled (``cluster.seeded`` says
    with what)."""
    CURRENT_LOGS.clear()
    cluster = Cluster(services, workdir)
    with ExitStack() as cleanup:
        services.create()
        cleanup.callback(services.drop)
        cleanup.callback(cluster.stop)
        try:
            for name in ("scale-a", "scale-b"):
                cluster.start_worker(name)
            for name in ("node-a", "node-b"):
                cluster.start_web_node(name)
            migrated = cluster.dropline("migrate", "--no-input", "--skip-checks", "-v", "0")
            assert migrated.returncode == 0, migrated.stderr
            seeded = subprocess.run(
                [
                    sys.executable, "-m", "tests.support.scale_out",
                    "--accounts", str(accounts), "--opened", "2026-01-05",
                    "--customers", "scaleuser,limitone,limittwo",
                ],
                env=cluster.env, cwd=ROOT, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert seeded.returncode == 0, seeded.stderr
            cluster.seeded = json.loads(seeded.stdout)
            cluster.wait_for_nodes()
            cluster.wait_for_workers()
        except Exception as exc:
            raise AssertionError(f"the cluster did not start: {exc}\n{cluster.logs()}") from exc
        cluster.proxy = RoundRobinProxy(
            [
                (urlsplit(url).hostname or "", urlsplit(url).port or 80)
                for url in cluster.nodes.values()
            ]
        ).start()
        yield cluster


# -- a browser ----------------------------------------------------------------------


@dataclass
class Page:
    status: int
    headers: list[tuple[str, str]]
    text: str

    @property
    def location(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "location"), "")

    def hidden(self, name: str) -> str:
        found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.text) or re.search(
            rf'value="([^"]*)" name="{re.escape(name)}"', self.text
        )
        assert found, f"no {name} field on the page"
        return unescape(found.group(1))


@dataclass
class Browser:
    """Cookies kept per browser (for any address: the nodes are one site), requests
    sent from ``source`` (a loopback address: 127.0.0.2 is another customer than
    127.0.0.1 to the nodes' per-address limits), redirects not followed."""

    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, base: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> Page:
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(
            parts.hostname or "", parts.port or 80, timeout=60, source_address=(self.source, 0)
        )
        headers = {"Host": parts.netloc, "Accept-Language": "en", "User-Agent": "scale-out-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{base}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            page = Page(answer.status, answer.getheaders(), answer.read().decode(errors="replace"))
        finally:
            connection.close()
        for name, value in page.headers:
            if name.lower() == "set-cookie":
                self._keep(value)
        return page

    def _keep(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, base: str, path: str) -> Page:
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, form: dict[str, str]) -> Page:
        return self.request(base, "POST", path, form)

    def sign_in(self, base: str, username: str, password: str, *, then: str = "") -> Page:
        """The sign-in form as a person fills it: the page first (for its CSRF token),
        then the post, each to ``base`` or, for the post, to ``then``."""
        form = self.get(base, "/accounts/login/")
        assert form.status == 200, form.status
        token = form.hidden("csrfmiddlewaretoken")
        return self.post(
            then or base,
            "/accounts/login/",
            {"login": username, "password": password, "csrfmiddlewaretoken": token},
        )


# -- the data -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    import datetime as dt

    import django

    parser = argparse.ArgumentParser(description="data for the scale-out test")
    parser.add_argument("--accounts", type=int, required=True)
    parser.add_argument("--opened", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--customers", default="", help="comma-separated usernames")
    options = parser.parse_args(argv)
    django.setup()
    from tests.support.bill_runs import billable_accounts
    from tests.support.billing import iowa_tax_table
    from tests.support.catalog import make_catalog
    from tests.support.factories import PASSWORD, make_customer

    iowa_tax_table()
    billable_accounts(
        make_catalog(),
        count=options.accounts,
        opened_on=options.opened,
        bill_cycle_day=options.opened.day,
    )
    customers = {}
    for username in filter(None, options.customers.split(",")):
        customer = make_customer(username=username, name=f"{username.title()} Household")
        customers[username] = {
            "password": PASSWORD,
            "account": customer.account.display_number,
            "name": customer.account.name,
        }
    sys.stdout.write(json.dumps({"accounts": options.accounts, "customers": customers}))


if __name__ == "__main__":
    main(sys.argv[1:])
