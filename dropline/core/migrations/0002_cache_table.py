"""The database cache's table, made by ``migrate`` itself.

Without Redis the cache is a table of the database (``dropline_cache``), and domain
writes drop the read models kept in it. Every database that is migrated therefore has
the table, whether or not ``createcachetable`` was also run (it does nothing when the
table is there, nor when the cache is Redis).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
