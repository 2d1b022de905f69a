"""Give Customer care and Billing the usage permissions their jobs need (a service's
usage, a goodwill credit of data, RADIUS usernames; Billing also the ingest status and
usage files), and administrators every usage permission (collectors among them)."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_usage_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("usage"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0012_gateway_event_roles"),
        ("usage", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant_usage_permissions, migrations.RunPython.noop)]
