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


def _query(column: str, names: list[str]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
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


def _services(rows: list[tuple[object, ...]], column: int) -> dict[str, list[Service]]:
    found: dict[str, list[Service]] = {}
    for row in rows:
        started = _as_date(row[3])
        assert started is not None
        found.setdefault(str(row[column]), []).append(
            Service(
                subscription_id=int(row[0]),  # type: ignore[call-overload]
                anchor_day=int(row[5]),  # type: ignore[call-overload]
                started_on=started,
                ended_on=_as_date(row[4]),
            )
        )
    for services in found.values():
        services.sort(key=lambda s: (s.started_on, s.subscription_id), reverse=True)
    return found


def services_for(usernames: Iterable[str]) -> dict[str, list[Service]]:
    """The services of each username that has any, the latest started first: by RADIUS
    username, else (for names no service has as one) by mobile number."""
    names = sorted({name for name in usernames if name})
    if not names:
        return {}
    found = _services(_query("radius_username", names), 1)
    rest = [name for name in names if name not in found]
    if rest:
        found.update(_services(_query("phone_number", rest), 2))
    return found
