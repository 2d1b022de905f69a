"""Background tasks of the core app."""

from __future__ import annotations

import socket

from celery import shared_task
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone

from dropline.core import clock


@shared_task(name="core.worker_heartbeat")
def worker_heartbeat(token: str) -> dict[str, str]:
    """Answer from whichever worker takes it: proof that tasks go out and results come back."""
    return {"token": token, "worker": socket.gethostname(), "at": clock.now().isoformat()}


@shared_task(name="core.purge_expired_cache")
def purge_expired_cache() -> int:
    """Delete expired rows from the database cache (with Redis: nothing to do).

    Django removes them only when the table passes ``MAX_ENTRIES``, which is set high
    so that live rate-limit counters are never culled; meanwhile every cache write
    counts the table's rows, and expired counters would pile up. Run hourly by beat.
    """
    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        return 0
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    table = connection.ops.quote_name(cache.cache_model_class._meta.db_table)
    expires = connection.ops.quote_name("expires")
    now = timezone.now().replace(microsecond=0)  # as Django's own cull compares
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 - quoted names only
            [connection.ops.adapt_datetimefield_value(now)],
        )
        return int(cursor.rowcount)
