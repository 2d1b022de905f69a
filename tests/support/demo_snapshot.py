"""The demo provider for tests, loaded once per test process and then copied back.

Loading the demo runs a year of bill runs, payments and usage through the real code:
seconds a test. ``load_demo_data`` loads it for real the first time (in a test's
transaction, exactly as ``load_demo`` does), reads back every table it wrote, the
database's sequences and counters, the emails it sent and the cache entries it left;
each later call writes those back in bulk (COPY on PostgreSQL, ``executemany`` on
SQLite) and sets the sequences to where the load left them, so the test sees the
same rows under the same keys.

A copy is only used where it is the same thing: the same database, the same kind of
test (one in a transaction that rolls back, or one whose writes commit and run their
on-commit work), the same settings, language and day (or frozen moment), and a
database holding nothing but what the migrations made. Otherwise the demo is loaded
for real (and that load kept for the next test in the same situation), as it is
for a test marked ``real_demo`` and for every test with DROPLINE_DEMO_SNAPSHOT=0.
Tables the
migrations fill and a transactional test's flush refills under new keys (content
types, permissions, role groups) are put back as they were at the first load.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from dropline.core import clock
from tests.support import tables
from tests.support.tables import Rows

# Rows the migrations write and the flush after a transactional test writes again under
# new keys (post_migrate's content types and permissions; the role groups the e2e
# fixture syncs): a copy replaces them rather than refusing the database.
# The help centre's search index on SQLite is no model's table, so a flush leaves it as it
# was: a copy replaces its rows too.
REFILLED = (
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "helpdesk_article_search",
)
FRESH_AFTER = dt.timedelta(hours=1)  # an unfrozen load is redone after this long
KEPT = 4  # copies kept per process (one per situation met)


@dataclass
class Table:
    name: str
    columns: list[str]
    before: frozenset[Any]  # rows already there before the load
    after: Rows  # every row after the load

    def added(self) -> Rows:
        return [row for row in self.after if row not in self.before]

    def rewritten(self) -> bool:
        """Whether the load changed or removed a row that was there before it."""
        return not self.before.issubset(self.after)


@dataclass
class Snapshot:
    taken_at: dt.datetime
    tables: list[Table]
    sequences: list[tuple[str, int, bool]]
    partitions: list[tuple[str, str, str]] = field(default_factory=list)
    emails: list[Any] = field(default_factory=list)
    cache: dict[bytes, tuple[bytes | None, int]] = field(default_factory=dict)
    database_cache: dict[Any, tuple[Any, ...] | None] = field(default_factory=dict)


_snapshots: dict[tuple[object, ...], Snapshot] = {}
# How often each way ran in this process and the seconds it took (the time the suite
# saves shows in restore_seconds / restores against load_seconds / loads).
stats: dict[str, float] = {"loads": 0, "restores": 0, "load_seconds": 0.0, "restore_seconds": 0.0}


def load_demo_data(load: Callable[[], object] | None = None) -> None:
    """The demo in the test database, as ``load`` (``load_demo``) leaves it."""
    if load is None:
        from dropline.seeding.demo import load_demo

        load = load_demo
    started = time.perf_counter()
    if os.environ.get("DROPLINE_DEMO_SNAPSHOT") == "0":
        load()  # every test loads the demo for real (to compare, or to time)
        stats["loads"] += 1
        stats["load_seconds"] += time.perf_counter() - started
        return
    key = _situation()
    snapshot = _snapshots.get(key)
    fresh = snapshot is not None and clock.now() - snapshot.taken_at < FRESH_AFTER
    if fresh and snapshot is not None and restore(snapshot):
        stats["restores"] += 1
        stats["restore_seconds"] += time.perf_counter() - started
        return
    taken = capture(load)
    stats["loads"] += 1
    stats["load_seconds"] += time.perf_counter() - started
    if taken is not None:
        if len(_snapshots) >= KEPT:
            _snapshots.pop(next(iter(_snapshots)))
        _snapshots[key] = taken


def forget() -> None:
    _snapshots.clear()


def _situation() -> tuple[object, ...]:
    """What the demo's rows depend on, besides the code: the database and the kind of
    test, the settings, the language, and the day (or the moment, when frozen)."""
    frozen = clock._frozen_at
    when: object = frozen if frozen is not None else clock.today()
    names = sorted(name for name in dir(settings) if name.isupper())
    fingerprint = hashlib.sha256(
        repr([(name, getattr(settings, name)) for name in names]).encode()
    ).hexdigest()
    return (
        connection.vendor,
        connection.settings_dict["NAME"],
        connection.in_atomic_block,
        when,
        fingerprint,
        translation.get_language(),
    )


def _outbox() -> list[Any] | None:
    from django.core import mail

    return getattr(mail, "outbox", None)


def _redis() -> Any | None:
    """The Redis client behind the cache, when the cache is Redis."""
    from django.core.cache import cache

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return None
    return cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]


def _cache_entries(client: Any) -> dict[bytes, tuple[bytes | None, int]]:
    """Every key with its serialized value and time to live (0: none)."""
    entries = {}
    for key in client.keys("*"):
        ttl = client.pttl(key)
        entries[key] = (client.dump(key), max(ttl, 0))
    return entries


# -- taking and putting back -----------------------------------------------------------


def capture(load: Callable[[], object]) -> Snapshot | None:
    """Run ``load`` and record what it wrote; None when it cannot be copied (it moved
    the clock)."""
    names = tables.table_names()
    columns = tables.columns_of(names)
    counts = tables.row_counts(names)
    before = {t: frozenset(tables.read_rows(t, columns[t])) for t in names if counts[t]}
    outbox = _outbox()
    sent_before = len(outbox) if outbox is not None else 0
    redis = _redis()
    cache_before = _cache_entries(redis) if redis is not None else {}
    cached_before = tables.cache_rows()
    frozen = clock._frozen_at

    load()

    if clock._frozen_at != frozen or set(tables.table_names()) != set(names):
        return None
    counts = tables.row_counts(names)
    written = [
        Table(t, columns[t], before.get(t, frozenset()), tables.read_rows(t, columns[t]))
        for t in tables.in_dependency_order(names)
        if counts[t] or t in before
    ]
    cache_after = _cache_entries(redis) if redis is not None else {}
    cached_after = tables.cache_rows()
    return Snapshot(
        taken_at=clock.now(),
        tables=written,
        sequences=tables.read_sequences(),
        partitions=tables.read_partitions(),
        emails=list(outbox[sent_before:]) if outbox is not None else [],
        database_cache={
            **{key: None for key in cached_before if key not in cached_after},
            **{k: row for k, row in cached_after.items() if cached_before.get(k) != row},
        },
        cache={
            **{key: (None, 0) for key in cache_before if key not in cache_after},
            **{
                key: value
                for key, value in cache_after.items()
                if cache_before.get(key, (None, 0))[0] != value[0]
            },
        },
    )


def restore(snapshot: Snapshot) -> bool:
    """Write the snapshot's rows back; False (nothing written) when the database holds
    more than what the migrations made, or other than what it held at the load."""
    names = tables.table_names()
    counts = tables.row_counts(names)
    kept = {t.name: t for t in snapshot.tables}
    if set(names) - {name for name, count in counts.items() if not count} - set(kept):
        return False  # a table the demo leaves alone has rows: not a fresh database
    plan: list[tuple[Table, bool]] = []  # (table, replace its rows)
    for table in snapshot.tables:
        if table.name not in counts:
            return False
        if not counts[table.name] and not table.before:
            plan.append((table, False))
            continue
        current = tables.read_rows(table.name, table.columns)
        if frozenset(current) == table.before and len(current) == len(table.before):
            plan.append((table, table.rewritten()))
        elif table.name in REFILLED:
            plan.append((table, True))
        else:
            return False
    with transaction.atomic():
        tables.make_partitions(snapshot.partitions)
        for table, replace in reversed(plan):
            if replace:
                tables.empty(table.name)
        for table, replace in plan:
            rows = table.after if replace else table.added()
            tables.write_rows(table.name, table.columns, rows)
        tables.set_sequences(snapshot.sequences)
        tables.write_cache_rows(snapshot.database_cache)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    outbox = _outbox()
    if outbox is not None:
        outbox.extend(copy.copy(email) for email in snapshot.emails)
    redis = _redis()
    if redis is not None:
        for key, (value, ttl) in snapshot.cache.items():
            if value is None:
                redis.delete(key)
            else:
                redis.restore(key, ttl, value, replace=True)
    return True
