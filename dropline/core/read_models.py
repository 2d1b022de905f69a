"""Read models kept in the cache: what the signed-in pages read of the catalogue, and of
each account, built once and kept until a domain write says it changed.

Each has a version in the cache: ``read-models:catalogue`` for the catalogue and
``read-models:account:<id>`` for an account, a random token made on first use. A read
model is kept under its name and the version it was built at, so changing the version
(``catalogue_changed``, ``accounts_changed``: they drop it) leaves every read model built
before it unread; they expire by themselves. The domain write functions call these
explicitly, once the write is done and again when its transaction commits, so that a
page read between the two never keeps the old figures.

Readers take the version before they read the database: a read model built from rows
read before a change is kept under the version the change dropped.

The catalogue's read models are small and kept in each process's memory instead, with
the version they were built at, so a page pays one cache read, for the version, only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

CATALOGUE_KEY = "read-models:catalogue"
ACCOUNT_KEY = "read-models:account:{}"
SECONDS = 60 * 60  # a read model is built again at least this often
# In every account read model's key: change it with any change to the classes kept
# (``AccountOverview``'s lines, ``BillingSummary``, ``MyServices``...), so that a new
# release never reads back what the one before it kept in another shape.
SHAPE = "1"
VERSION_SECONDS = 24 * 60 * 60

_memory: dict[str, tuple[str, Any]] = {}


def _versions(*keys: str) -> list[str]:
    """The versions under ``keys``, in one cache read; a missing one is made."""
    found = cache.get_many(keys)
    versions = []
    for key in keys:
        version = found.get(key)
        if version is None:
            version = secrets.token_hex(8)
            if not cache.add(key, version, VERSION_SECONDS):
                version = cache.get(key) or version
        versions.append(str(version))
    return versions


def catalogue(name: str, build: Callable[[], T]) -> T:
    """The catalogue's read model ``name``: from this process's memory when built at the
    catalogue's current version, else built by ``build`` (and kept)."""
    (version,) = _versions(CATALOGUE_KEY)
    kept = _memory.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = build()
    _memory[name] = (version, value)
    return value


def for_account(account_id: int, name: str, build: Callable[[], T]) -> T:
    """The read model ``name`` of an account: from the cache when built at the account's
    and the catalogue's current versions (it shows names and terms from the catalogue),
    else built by ``build`` (and kept). ``name`` says what else it depends on (the
    language, the day)."""
    account, catalogue = _versions(ACCOUNT_KEY.format(account_id), CATALOGUE_KEY)
    key = f"read-models:{SHAPE}:{account_id}:{account}:{catalogue}:{name}"
    kept = cache.get(key)
    if kept is not None:
        return kept
    value = build()
    cache.set(key, value, SECONDS)
    return value


def _now_and_on_commit(drop: Callable[[], None]) -> None:
    drop()
    transaction.on_commit(drop)


def catalogue_changed() -> None:
    """The catalogue changed (plans, promotions, add-ons, equipment, bundles, channel
    line-ups)."""

    def drop() -> None:
        _memory.clear()
        cache.delete(CATALOGUE_KEY)

    _now_and_on_commit(drop)


def accounts_changed(account_ids: Iterable[int]) -> None:
    """Something the accounts' pages keep changed: their services, equipment, bills,
    payments or balance."""
    keys = sorted({ACCOUNT_KEY.format(account_id) for account_id in account_ids})

    def drop() -> None:
        cache.delete_many(keys)

    if keys:
        _now_and_on_commit(drop)
