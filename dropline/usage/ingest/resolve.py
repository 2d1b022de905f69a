"""Which services a batch's usernames belong to, in one query (a few on SQLite, whose
statements take a bounded number of parameters).

A username is a service's RADIUS username or, for a mobile line, its number in E.164.
RADIUS usernames win: a number is looked up only for a name no service has as its
RADIUS username. A username can belong to several services over time (a plan change
ends one and starts another with the same name): ``compute.choose`` picks the one
current on the reading's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_date

from dropline.usage.ingest.compute import Service

_COLUMNS = """
    SELECT s.id, s.radius_username, s.phone_number, s.started_on, s.ended_on, a.bill_cycle_day
    FROM subscriptions_subscription s
    JOIN customers_customeraccount a ON a.id = s.account_id
"""

# SQLite takes at most 32766 parameters in a statement.
_SQLITE_CHUNK = 5000


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(str(value))


def _query(column: str, names: list[str]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_COLUMNS + f" WHERE s.{column} = ANY(%s) AND s.{column} <> ''", [names])
            rows.extend(cursor.fetchall())
            return rows
        for start in range(0, len(names), _SQLITE_CHUNK):
            chunk = names[start : start + _SQLITE_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(_COLUMNS + f" WHERE s.{column} IN ({marks})", chunk)
            rows.extend(cursor.fetchall())
    return rows


def _services(rows: list[tuple[Any, ...]], column: int) -> dict[str, list[Service]]:
    found: dict[str, list[Service]] = {}
    for row in rows:
        started_on, ended_on = row[3], row[4]
        if type(started_on) is not dt.date:  # text, from some drivers
            started_on, ended_on = _as_date(started_on), _as_date(ended_on)
        service = Service(row[0], row[5], started_on, ended_on)
        bucket = found.get(row[column])
        if bucket is None:
            found[row[column]] = [service]
        else:
            bucket.append(service)
    for services in found.values():
        if len(services) > 1:
            services.sort(key=lambda s: (s.started_on, s.subscription_id), reverse=True)
    return found


BY_RADIUS_USERNAME = _COLUMNS + " WHERE s.radius_username = ANY(%s) AND s.radius_username <> ''"


def by_number(names: list[str], found: dict[str, list[Service]]) -> dict[str, list[Service]]:
    """``found`` (by RADIUS username) completed by mobile number for the other names."""
    rest = [name for name in names if name not in found]
    if rest:
        found.update(_services(_query("phone_number", rest), 2))
    return found


def by_radius_username(rows: list[tuple[Any, ...]]) -> dict[str, list[Service]]:
    """The services of ``BY_RADIUS_USERNAME``'s rows."""
    return _services(rows, 1)


def services_for(usernames: Iterable[str]) -> dict[str, list[Service]]:
    """The services of each username that has any, the latest started first: by RADIUS
    username, else (for names no service has as one) by mobile number."""
    names = sorted({name for name in usernames if name})
    if not names:
        return {}
    return by_number(names, _services(_query("radius_username", names), 1))
