"""Give Customer care and Billing the disputes queue: reading disputes with their
messages and files, and working them (replies, internal notes, assignment, credit or
rejection). Administrators have every payments permission."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_dispute_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("payments"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0010_collections_roles"),
        ("payments", "0004_disputes"),
    ]
    operations = [migrations.RunPython(grant_dispute_permissions, migrations.RunPython.noop)]
