"""The database itself refuses to change or delete posted journal rows.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, used only to empty a test database,
is a statement of its own and is not refused). SQLite refuses UPDATE; DELETE stays
possible there because Django empties SQLite test databases row by row.
"""

from __future__ import annotations

from django.db import migrations

TABLES = ("ledger_journaltransaction", "ledger_journalentry")


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % refused', "
            "TG_OP, TG_TABLE_NAME; END $$ LANGUAGE plpgsql",
            params=None,
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER ledger_append_only_{table} BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
    elif connection.vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER ledger_append_only_{table} BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END"
            )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    for table in TABLES:
        if connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_append_only_{table} ON {table}")
        elif connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ledger_append_only_{table}")
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
