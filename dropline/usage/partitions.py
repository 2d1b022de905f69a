"""Monthly partitions of the raw usage records on PostgreSQL.

``usage_usagerecord`` is partitioned by the month (in UTC) of ``occurred_at``; a row
can only be written once its month's partition exists. ``ensure_for`` makes the
partitions of the given instants' months, remembering in the process which exist so a
batch of a month already seen costs nothing. Elsewhere (SQLite) the table is an
ordinary one and this does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from dropline.core import clock

PARENT = "usage_usagerecord"

# (database name, year, month) of partitions known to exist.
_known: set[tuple[str, int, int]] = set()


def name_of(year: int, month: int) -> str:
    return f"{PARENT}_y{year:04d}m{month:02d}"


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in UTC."""
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    following = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    return start, following


def _database() -> str:
    return str(connection.settings_dict["NAME"])


def forget() -> None:
    """Forget which partitions exist (after retention dropped some)."""
    _known.clear()


def _recent(year: int, month: int) -> bool:
    """Whether a month is young enough that retention will not drop its partition soon:
    older months are checked on every batch instead of remembered."""
    horizon = clock.now() - dt.timedelta(days=settings.DROPLINE_USAGE_RAW_RETENTION_DAYS + 31)
    return month_bounds(year, month)[1] > horizon


def _remember(key: tuple[str, int, int]) -> None:
    if _recent(key[1], key[2]):
        _known.add(key)


def ensure_for(moments: Iterable[dt.datetime]) -> None:
    """Make sure the partitions of ``moments``' months exist (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    database = _database()
    months = set()
    for moment in moments:
        utc = moment.astimezone(dt.UTC)
        months.add((utc.year, utc.month))
    for year, month in sorted(months):
        key = (database, year, month)
        if key in _known:
            continue
        start, end = month_bounds(year, month)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {name_of(year, month)} PARTITION OF {PARENT}"
                    f" FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                )
        except DatabaseError:
            # Another process made it at the same moment: it exists now.
            pass
        # Remembered only once it is committed: a partition made inside a transaction
        # that rolls back is gone again.
        transaction.on_commit(lambda key=key: _remember(key))  # type: ignore[misc]
