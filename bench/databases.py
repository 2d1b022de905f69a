"""A throwaway PostgreSQL database for one benchmark run, dropped afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


@contextmanager
def throwaway_postgres(server_url: str, prefix: str) -> Iterator[str]:
    """Create ``<prefix>_<pid>`` on the server ``server_url`` names and yield its URL;
    close Django's connections and drop it when the block ends, however it ends.

    ``BENCH_DATABASE_PREFIX`` in the environment goes in front of the name, for a server
    shared by several people who each keep to databases named after themselves."""
    import psycopg

    server = urlsplit(server_url)
    named = server.path.strip("/")
    # A URL naming a database of one's own (not the server's ``postgres``) lends its
    # name as a prefix, so the throwaway sits beside it: ``<name>_<prefix>_<pid>``.
    lent = f"{named}_" if named and named != "postgres" else ""
    name = f"{os.environ.get('BENCH_DATABASE_PREFIX', '')}{lent}{prefix}_{os.getpid()}"
    admin_url = server._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server._replace(path=f"/{name}").geturl()
    finally:
        from django.db import connections

        for connection in connections.all():
            close_pool = getattr(connection, "close_pool", None)
            if close_pool is not None:
                close_pool()
        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
