"""The hourly purge of expired rows from the database cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from dropline.core.tasks import purge_expired_cache

pytestmark = pytest.mark.django_db


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dropline_cache")
        return int(cursor.fetchone()[0])


@pytest.fixture
def database_cache(settings: Any) -> Any:
    """The database cache as an install without REDIS_URL has it, whatever the tests use."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dropline_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }
    call_command("createcachetable", verbosity=0)
    return caches["default"]


def test_expired_rows_go_and_live_counters_stay(database_cache):
    cache = database_cache
    cache.set("rate-limit:live", 3, timeout=900)
    for n in range(5):
        cache.set(f"rate-limit:old:{n}", 1, timeout=-10)  # already expired
    assert rows() == 6

    assert purge_expired_cache() == 5

    assert rows() == 1
    assert cache.get("rate-limit:live") == 3


def test_nothing_to_do_with_redis_or_another_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert purge_expired_cache() == 0


def test_the_purge_runs_every_hour():
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired-cache"]
    assert schedule["task"] == purge_expired_cache.name
    assert schedule["schedule"] == 3600.0
