"""Shared fixtures.

Helpers live in ``tests/support/``; test modules import from there, never from
another test module or a conftest.py.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what is computed, not how fast: speed is measured in bench/. On a
# busy two-core machine one example can take longer than Hypothesis's default 200 ms.
settings.register_profile("dropline", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dropline")


# Fixtures through which a test reaches the database. pytest-django refuses database
# access to a test that has none of them (nor the django_db mark), so a test without
# them runs the same on every database.
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def _touches_the_database(item: pytest.Item) -> bool:
    # The scale-out test's processes share a PostgreSQL database of their own.
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("scaleout") is not None
        or bool(_DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``DROPLINE_TESTS=database`` keeps only the tests that reach the database, for a
    second database's run in CI: the others ran on the first and would only repeat."""
    if os.environ.get("DROPLINE_TESTS") != "database":
        return
    kept = [item for item in items if _touches_the_database(item)]
    deselected = [item for item in items if not _touches_the_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture
def demo(db: None, request: pytest.FixtureRequest) -> None:
    """The demo provider and household, as `dropline seed demo` loads them: loaded once
    per test process and copied back for each later test (tests/support/demo_snapshot.py),
    or loaded afresh for a test marked ``real_demo``."""
    from dropline.seeding.demo import load_demo

    if request.node.get_closest_marker("real_demo") is not None:
        load_demo()
        return
    from tests.support.demo_snapshot import load_demo_data

    load_demo_data(load_demo)


@pytest.fixture
def make_customer(db: None) -> Callable[..., object]:
    """A factory for a customer account with a holder who can sign in."""
    from tests.support.factories import make_customer as factory

    return factory


@pytest.fixture(autouse=True)
def _fresh_shared_cache() -> None:
    """Each test starts with an empty cache: rate-limit counters, used codes and reset
    codes must not leak from one test into the next. Redis (REDIS_URL points the tests
    at a database of their own) is emptied here; the database cache needs nothing, as
    each test's transaction takes its rows away with it."""
    if os.environ.get("REDIS_URL"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def memory_cache(settings: Any) -> None:
    """The cache in this process's memory, as Redis is in production: reading the pages'
    read models back from it costs no SQL statement (the database cache's do)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }


@pytest.fixture(autouse=True)
def _language_of_the_settings() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the thread; the next test starts
    in the settings' language again."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def distinct_codes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One-time codes come out as 111111, 222222, 333333, ... instead of at random, so a
    test about an older and a newer code never meets two equal ones. Every code flow
    draws its digits with ``secrets.randbelow``; the list records what was handed out."""
    handed_out: list[str] = []
    values = itertools.count(1)

    def randbelow(bound: int) -> int:
        value = next(values) * 111_111 % bound
        handed_out.append(str(value))
        return value

    monkeypatch.setattr(secrets, "randbelow", randbelow)
    return handed_out
