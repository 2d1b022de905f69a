"""The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

import os

import pytest
from django.db import connection

from tests.support.services import need

DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_through_psycopg3_with_a_connection_pool():
    need(DATABASE_URL.startswith("postgres"), "DATABASE_URL does not point at PostgreSQL")
    assert connection.vendor == "postgresql"
    import psycopg

    assert connection.Database is psycopg  # type: ignore[attr-defined]
    assert connection.pool is not None  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


@pytest.mark.django_db
def test_database_matches_database_url():
    expected = "postgresql" if DATABASE_URL.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
