"""Helpers for the ways usage gets in: a service with a RADIUS username, rlm_rest bodies
as FreeRADIUS's rest module writes them, HTTP basic credentials, and a throwaway
PostgreSQL database holding FreeRADIUS's stock ``radacct`` table, written to the way
FreeRADIUS's own ``queries.conf`` writes it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import connection
from django.db.models import Sum

from dropline.subscriptions.models import Subscription
from dropline.usage.models import UsageCycle, UsageSession
from tests.support.factories import make_customer
from tests.support.services import need

SUPPORT = Path(__file__).resolve().parent
REFERENCE = SUPPORT / "freeradius"  # bodies captured from FreeRADIUS 3.2.1's rest module
RADACCT_SCHEMA = SUPPORT / "radacct_schema.sql"
ACCOUNTING = "/api/v1/radius/accounting"


# --- services and what they used ----------------------------------------------------------


def internet_service(username: str) -> Subscription:
    """A customer with one internet service whose RADIUS username is ``username``."""
    customer = make_customer(username=f"holder-{username}")
    subscription = Subscription.objects.get(account=customer.account)
    Subscription.objects.filter(pk=subscription.pk).update(radius_username=username)
    subscription.refresh_from_db()
    return subscription


def used_bytes(subscription: Subscription) -> int:
    """Input + output bytes counted for the service, over all its bill cycles."""
    totals = UsageCycle.objects.filter(subscription=subscription).aggregate(
        i=Sum("input_bytes"), o=Sum("output_bytes")
    )
    return int(totals["i"] or 0) + int(totals["o"] or 0)


def session_bytes(key: str) -> int:
    session = UsageSession.objects.filter(key=key).first()
    return session.counted_bytes if session is not None else 0


# --- rlm_rest bodies ------------------------------------------------------------------------


def reference_body(name: str) -> bytes:
    """``start`` or ``interim``: the body FreeRADIUS posted, byte for byte."""
    return (REFERENCE / f"rlm_rest-accounting-{name}.json").read_bytes()


TYPES = {
    "User-Name": "string",
    "NAS-IP-Address": "ipaddr",
    "NAS-Identifier": "string",
    "Acct-Session-Id": "string",
    "Acct-Unique-Session-Id": "string",
    "Event-Timestamp": "date",
}


def rlm_json(**attributes: Any) -> bytes:
    """A ``body = 'json'`` post: ``Acct_Status_Type="Stop"`` becomes
    ``"Acct-Status-Type": {"type": "integer", "value": ["Stop"]}``; None leaves it out."""
    body = {
        name.replace("_", "-"): {
            "type": TYPES.get(name.replace("_", "-"), "integer"),
            "value": value if isinstance(value, list) else [value],
        }
        for name, value in attributes.items()
        if value is not None
    }
    return json.dumps(body).encode()


def rlm_form(**attributes: Any) -> bytes:
    """A ``body = 'post'`` post: ``Attr=value&...``."""
    return urlencode(
        [(n.replace("_", "-"), str(v)) for n, v in attributes.items() if v is not None]
    ).encode()


def packet(status: str, **extra: Any) -> dict[str, Any]:
    """The attributes of an accounting packet of the session ``sess-1`` of cust-0001."""
    attrs: dict[str, Any] = {
        "User_Name": "cust-0001",
        "NAS_IP_Address": "127.0.0.1",
        "Acct_Status_Type": status,
        "Acct_Session_Id": "sess-1",
        "Acct_Unique_Session_Id": "457461ed05a897752d751633d2f6a875",
    }
    attrs.update(extra)
    return attrs


def basic(name: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()


# --- FreeRADIUS's radacct in its own database ---------------------------------------------


def postgres_server() -> str:
    """A PostgreSQL server URL (the test database's own, or 127.0.0.1), or skip."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        return f"postgres://{s['USER']}{password}@{host}/postgres"
    url = os.environ.get("RADACCT_TEST_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=2).close()
    except Exception:
        need(False, f"no PostgreSQL server at {url} for the radacct table")
    return url


@contextmanager
def radacct_database() -> Iterator[str]:
    """A new database ``radius_test_<pid>`` with the stock radacct table; its URL."""
    import psycopg

    server = urlsplit(postgres_server())
    name = f"radius_test_{os.getpid()}"
    admin = server._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server._replace(path=f"/{name}").geturl()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(RADACCT_SCHEMA.read_text())
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class FreeRadiusSql:
    """Writes radacct as FreeRADIUS 3.2's stock PostgreSQL queries do (``queries.conf``):
    Start inserts (or, for a key already there, restarts the row), Interim-Update and
    Stop update the open row in place with the cumulative counters (gigawords shifted
    in) and fall back to an insert when the Start was lost, Accounting-On closes every
    open session of the NAS. ``at`` stands for the packet's Event-Timestamp."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def start(self, key: str, username: str, *, at: dt.datetime, nas: str = "10.0.0.1") -> None:
        self.conn.execute(
            """INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress,
                   acctstarttime, acctupdatetime, acctstoptime, acctsessiontime,
                   acctinputoctets, acctoutputoctets)
               VALUES (%(sid)s, %(key)s, %(user)s, %(nas)s, %(at)s, %(at)s, NULL, 0, 0, 0)
               ON CONFLICT (acctuniqueid) DO UPDATE
                  SET acctstarttime = %(at)s, acctupdatetime = %(at)s
                WHERE radacct.acctuniqueid = %(key)s AND radacct.acctstoptime IS NULL""",
            {"sid": key[-8:], "key": key, "user": username, "nas": nas, "at": at},
        )

    def _counters(self, octets: tuple[int, int], gigawords: tuple[int, int]) -> dict[str, int]:
        return {"in": (gigawords[0] << 32) + octets[0], "out": (gigawords[1] << 32) + octets[1]}

    def interim(
        self,
        key: str,
        username: str,
        *,
        at: dt.datetime,
        octets: tuple[int, int],
        gigawords: tuple[int, int] = (0, 0),
        seconds: int = 600,
        nas: str = "10.0.0.1",
    ) -> None:
        values = {"key": key, "at": at, "secs": seconds, **self._counters(octets, gigawords)}
        updated = self.conn.execute(
            """UPDATE radacct SET acctsessiontime = %(secs)s,
                   acctinterval = EXTRACT(EPOCH FROM %(at)s::timestamptz
                                  - COALESCE(acctupdatetime, acctstarttime)),
                   acctupdatetime = %(at)s, acctinputoctets = %(in)s, acctoutputoctets = %(out)s
                WHERE acctuniqueid = %(key)s AND acctstoptime IS NULL""",
            values,
        ).rowcount
        if not updated:
            self._insert(username, nas=nas, stopped=False, **values)

    def stop(
        self,
        key: str,
        username: str,
        *,
        at: dt.datetime,
        octets: tuple[int, int],
        gigawords: tuple[int, int] = (0, 0),
        seconds: int = 600,
        nas: str = "10.0.0.1",
    ) -> None:
        values = {"key": key, "at": at, "secs": seconds, **self._counters(octets, gigawords)}
        updated = self.conn.execute(
            """UPDATE radacct SET acctstoptime = %(at)s, acctupdatetime = %(at)s,
                   acctsessiontime = %(secs)s, acctinputoctets = %(in)s,
                   acctoutputoctets = %(out)s, acctterminatecause = 'User-Request'
                WHERE acctuniqueid = %(key)s AND acctstoptime IS NULL""",
            values,
        ).rowcount
        if not updated:
            self._insert(username, nas=nas, stopped=True, **values)

    def _insert(self, username: str, *, nas: str, stopped: bool, **v: Any) -> None:
        self.conn.execute(
            """INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress,
                   acctstarttime, acctupdatetime, acctstoptime, acctsessiontime,
                   acctinputoctets, acctoutputoctets)
               VALUES (%(sid)s, %(key)s, %(user)s, %(nas)s,
                   %(at)s::timestamptz - make_interval(secs => %(secs)s), %(at)s,
                   CASE WHEN %(stopped)s THEN %(at)s::timestamptz END, %(secs)s, %(in)s, %(out)s)
               ON CONFLICT (acctuniqueid) DO NOTHING""",
            {"sid": v["key"][-8:], "user": username, "nas": nas, "stopped": stopped, **v},
        )

    def accounting_on(self, *, at: dt.datetime, nas: str = "10.0.0.1") -> None:
        self.conn.execute(
            """UPDATE radacct SET acctstoptime = %(at)s, acctupdatetime = %(at)s,
                   acctsessiontime = EXTRACT(EPOCH FROM %(at)s::timestamptz - acctstarttime),
                   acctterminatecause = 'NAS-Reboot'
                WHERE acctstoptime IS NULL AND nasipaddress = %(nas)s
                  AND acctstarttime <= %(at)s""",
            {"at": at, "nas": nas},
        )
